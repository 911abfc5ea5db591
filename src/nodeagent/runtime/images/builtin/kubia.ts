/**
 * The Kubernetes in Action StatefulSet demo apps: `luksa/kubia-pet` (GET shows this pod's
 * data, POST stores it in /var/data/kubia.txt) and `luksa/kubia-pet-peers` (GET gathers every
 * peer's data through the SRV records of kubia.default.svc.cluster.local). Written anew with the
 * book's answers; they run on the host's node. Definitions only.
 */
import { realpathSync } from 'node:fs'
import { dirname } from 'node:path'
import { type BuiltinImage, defaultPath } from './define.js'

const common = `'use strict'
const http = require('http')
const os = require('os')
const fs = require('fs')
const path = require('path')

// KUBIA_* variables exist for tests; in a pod the defaults are the book's.
const dataFile = path.join(process.env.KUBIA_DATA_DIR || '/var/data', 'kubia.txt')
const port = Number(process.env.KUBIA_PORT || 8080)
const hostname = () => process.env.HOSTNAME || os.hostname()

function readData() {
  try {
    return fs.readFileSync(dataFile, 'utf8')
  } catch (e) {
    return 'No data posted yet'
  }
}

function store(req, res) {
  const chunks = []
  req.on('data', c => chunks.push(c))
  req.on('end', () => {
    fs.writeFile(dataFile, Buffer.concat(chunks), err => {
      if (err) {
        res.writeHead(500)
        res.end('Could not store data: ' + err.message + '\\n')
        return
      }
      console.log('New data has been received and stored.')
      res.writeHead(200)
      res.end('Data stored on pod ' + hostname() + '\\n')
    })
  })
}
`

/** Source of the kubia-pet app (/app.js). */
export const kubiaPetApp = `// luksa/kubia-pet (petset built-in): a pet that remembers what was posted to it.
${common}
http
  .createServer((req, res) => {
    if (req.method === 'POST') return store(req, res)
    res.writeHead(200)
    res.end("You've hit " + hostname() + '\\nData stored on this pod: ' + readData() + '\\n')
  })
  .listen(port)
`

/** Source of the kubia-pet-peers app (/app.js). */
export const kubiaPeersApp = `// luksa/kubia-pet-peers (petset built-in): a pet that also shows its peers' data.
${common}
const dns = require('dns')

const serviceName = process.env.KUBIA_SERVICE || 'kubia.default.svc.cluster.local'
const peerPort = Number(process.env.KUBIA_PEER_PORT || 8080)
const resolver = new dns.Resolver()
if (process.env.KUBIA_DNS_SERVER) resolver.setServers([process.env.KUBIA_DNS_SERVER])

function peerData(host) {
  return new Promise(resolve => {
    http
      .get({ host, port: peerPort, path: '/data' }, r => {
        let body = ''
        r.on('data', d => (body += d))
        r.on('end', () => resolve(body))
      })
      .on('error', e => resolve('Error: ' + e.message))
  })
}

http
  .createServer((req, res) => {
    if (req.method === 'POST') return store(req, res)
    res.writeHead(200)
    if (req.url === '/data') return res.end(readData())
    res.write("You've hit " + hostname() + '\\n')
    res.write('Data stored in the cluster:\\n')
    resolver.resolveSrv(serviceName, (err, addresses) => {
      if (err) return res.end('Could not look up DNS SRV records: ' + err)
      if (addresses.length === 0) return res.end('No peers discovered.')
      Promise.all(addresses.map(a => peerData(a.name))).then(data => {
        addresses.forEach((a, i) => res.write('- ' + a.name + ': ' + data[i] + '\\n'))
        res.end()
      })
    })
  })
  .listen(port)
`

/** How `node` is reached inside a host-rootfs container: in place under /usr, else bound read-only. */
function nodeInContainer(): { path: string; dirs: BuiltinImage['dirs'] } {
  const bin = dirname(realpathSync(process.execPath))
  if (bin.startsWith('/usr/')) return { path: bin === '/usr/bin' ? defaultPath : `${bin}:${defaultPath}`, dirs: [] }
  const at = '/opt/petset/node/bin'
  return { path: `${at}:${defaultPath}`, dirs: [{ path: at, from: bin, writable: false }] }
}

/** luksa/kubia-pet or luksa/kubia-pet-peers: `node app.js` in /, data in /var/data, port 8080. */
export function kubiaImage(peers: boolean): BuiltinImage {
  const node = nodeInContainer()
  return {
    key: peers ? 'kubia-pet-peers' : 'kubia-pet',
    config: { entrypoint: ['node', 'app.js'], env: [`PATH=${node.path}`], workingDir: '/', exposedPorts: [8080] },
    content: [{ path: 'app.js', data: peers ? kubiaPeersApp : kubiaPetApp }],
    files: [{ path: '/app.js', from: 'app.js' }],
    dirs: node.dirs,
    writableDirs: ['/var/data'],
    requires: [],
  }
}
