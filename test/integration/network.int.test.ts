/**
 * The pod network and the service proxy on the real host (root and `ip netns` required, else
 * skipped): two node bridges, three netns "pods" talking over TCP, pods reaching their gateway
 * and the API server; the userspace proxy against the real API server (ClusterIP from the host
 * and from a pod, Endpoints changes followed, UDP, NodePort on loopback, deletion); the cluster
 * DNS on 10.96.0.10:53 answered to `dig` inside a pod. Only addresses of this machine are used
 * (10.244.23x/24, ClusterIPs on a test-only link, loopback); everything is removed in `after`.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { promisify } from 'node:util'
import type { Endpoints, Service } from '../../src/api/core.js'
import { type ApiServer, startApiServer } from '../../src/apiserver/server.js'
import { ENDPOINTS, SERVICES } from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { type DnsServer, startDnsServer } from '../../src/dns/server.js'
import { type ClusterDnsBinding, prepareClusterDns } from '../../src/nodeagent/proxy/cluster-dns.js'
import { type ServiceProxy, startServiceProxy } from '../../src/nodeagent/proxy/proxy.js'
import { removeServiceDevice, ServiceAddresses } from '../../src/nodeagent/proxy/service-addresses.js'
import { BridgeNetwork, cleanupNodeNetwork } from '../../src/nodeagent/runtime/network/bridge.js'
import { canManageNetns, runIp } from '../../src/nodeagent/runtime/network/ip-command.js'
import { openStore } from '../../src/storage/registry.js'
import type { Store } from '../../src/storage/store.js'

const run = promisify(execFile)
const support = await canManageNetns()
const skip = support.ok ? false : `pod network tests skipped: ${support.reason}`
const device = `pstv${process.pid % 100000}` // a test-only ClusterIP link (≤ 15 chars)
const nodes = { a: { name: 'pst-a', cidr: '10.244.231.0/24' }, b: { name: 'pst-b', cidr: '10.244.232.0/24' } }
const clusterIP = '10.100.231.10'
const version = 'v1.32.0+petset'

/** A TCP server answering its name, and a UDP echo "<name>:<datagram>", inside netns. */
const serverScript = `const [name] = process.argv.slice(1)
require('net').createServer(s => s.end(name)).listen(8080, '0.0.0.0')
const u = require('dgram').createSocket('udp4'); u.on('message', (m, r) => u.send(name + ':' + m, r.port, r.address)); u.bind(8081)
setTimeout(() => console.log('ready'), 50)`
/** Connects (TCP) and prints what the server sent, or the error code. */
const tcpScript = `const [host, port] = process.argv.slice(1)
const s = require('net').connect(+port, host); let out = ''
s.setTimeout(3000, () => { console.log('timeout'); process.exit(0) })
s.on('data', d => out += d); s.on('end', () => { console.log(out || 'connected'); process.exit(0) })
s.on('error', e => { console.log(e.code); process.exit(0) })`
/** GETs https://host:port/version (open without credentials) and prints the gitVersion. */
const versionScript = `const [host, port] = process.argv.slice(1)
require('https').get({ host, port: +port, path: '/version', rejectUnauthorized: false, timeout: 3000 }, r => {
  let b = ''; r.on('data', d => b += d); r.on('end', () => console.log(JSON.parse(b).gitVersion)) })
  .on('error', e => console.log(e.code))`
/** Sends one datagram and prints the reply. */
const udpScript = `const [host, port] = process.argv.slice(1)
const u = require('dgram').createSocket('udp4'); u.on('message', m => { console.log(String(m)); process.exit(0) })
u.send('ping', +port, host); setTimeout(() => { console.log('timeout'); process.exit(0) }, 3000)`

let store: Store
let api: ApiServer
let client: RestClient
let stateDir: string
let netA: BridgeNetwork
let netB: BridgeNetwork
let addresses: ServiceAddresses
let proxy: ServiceProxy | undefined
let dns: DnsServer | undefined
let dnsBinding: ClusterDnsBinding
const children: ChildProcess[] = []
const pods: Record<string, { ip: string; netns: string }> = {}

const sandbox = (id: string) => ({ id, uid: `uid-${id}`, namespace: 'default', name: id })
const netnsOf = (path: string | undefined) => path!.split('/').pop()!

/** Runs a node script inside a pod's netns; resolves with its trimmed stdout. */
async function inPod(pod: string, script: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('ip', ['netns', 'exec', pods[pod]!.netns, process.execPath, '-e', script, ...args], {
    timeout: 10_000,
  })
  return stdout.trim()
}

/** Starts the TCP/UDP server inside a pod and waits until it listens. */
async function startServer(pod: string): Promise<void> {
  const child = spawn('ip', ['netns', 'exec', pods[pod]!.netns, process.execPath, '-e', serverScript, pod])
  children.push(child)
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', d => String(d).includes('ready') && resolve())
    child.once('exit', code => reject(new Error(`server in ${pod} exited ${code}`)))
  })
}

/** What a TCP connection from the host to host:port receives. */
function fromHost(host: string, port: number): Promise<string> {
  return new Promise(resolve => {
    let out = ''
    const s = connect(port, host)
    s.setTimeout(3000, () => {
      s.destroy()
      resolve('timeout')
    })
    s.on('data', d => (out += d))
    s.on('end', () => resolve(out))
    s.on('error', (e: NodeJS.ErrnoException) => resolve(String(e.code)))
  })
}

async function until(cond: () => Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await cond()) return
    await new Promise(r => setTimeout(r, 25))
  }
  assert.fail(`timed out waiting for ${what}`)
}

const endpointsOf = (...ready: string[]): Endpoints => ({
  metadata: { name: 'echo', namespace: 'default' },
  subsets: !ready.length
    ? []
    : [
        {
          addresses: ready.map(p => ({ ip: pods[p]!.ip })),
          ports: [
            { name: 'http', port: 8080, protocol: 'TCP' },
            { name: 'udp', port: 8081, protocol: 'UDP' },
          ],
        },
      ],
})

async function setEndpoints(...ready: string[]): Promise<void> {
  const cur = await client.get<Endpoints>(ENDPOINTS, 'echo', { namespace: 'default' })
  await client.update(ENDPOINTS, { ...endpointsOf(...ready), metadata: cur.metadata })
}

before(async () => {
  if (skip) return
  for (const n of Object.values(nodes)) await cleanupNodeNetwork(n.name, { stateDir: '/nonexistent' })
  await removeServiceDevice(runIp, device)
  stateDir = await mkdtemp(join(tmpdir(), 'petset-net-'))
  netA = new BridgeNetwork({ nodeName: nodes.a.name, stateDir: join(stateDir, 'a') })
  netB = new BridgeNetwork({ nodeName: nodes.b.name, stateDir: join(stateDir, 'b') })
  await netA.configure({ podCIDR: nodes.a.cidr })
  await netB.configure({ podCIDR: nodes.b.cidr })
  for (const [id, net] of [
    ['a1', netA],
    ['a2', netA],
    ['b1', netB],
  ] as const) {
    const r = await net.setup(sandbox(id))
    pods[id] = { ip: r.ip!, netns: netnsOf(r.netnsPath) }
  }
  store = await openStore('memory:')
  api = await startApiServer({ store, listen: { host: '0.0.0.0', port: 0 } })
  client = new RestClient({ server: api.url.replace('0.0.0.0', '127.0.0.1'), token: api.token, ca: api.ca })
  addresses = new ServiceAddresses({ device })
  dnsBinding = await prepareClusterDns(addresses)
})

after(async () => {
  for (const c of children) c.kill('SIGKILL')
  await proxy?.close()
  await dns?.close()
  await addresses?.close()
  await netA?.cleanupAll()
  await netB?.cleanupAll()
  if (!skip) await removeServiceDevice(runIp, device)
  client?.close()
  await api?.close()
  await store?.close()
  if (stateDir) await rm(stateDir, { recursive: true, force: true })
})

test('pods get addresses from their node CIDR and talk across bridges and to their gateway', { skip }, async () => {
  assert.deepEqual([pods.a1!.ip, pods.a2!.ip, pods.b1!.ip], ['10.244.231.2', '10.244.231.3', '10.244.232.2'])
  await startServer('a2')
  await startServer('b1')
  assert.equal(await inPod('a1', tcpScript, pods.a2!.ip, '8080'), 'a2', 'same bridge')
  assert.equal(await inPod('a1', tcpScript, pods.b1!.ip, '8080'), 'b1', 'across bridges')
  assert.equal(await inPod('b1', tcpScript, pods.a2!.ip, '8080'), 'a2', 'and back')
  assert.equal(await inPod('a1', versionScript, '10.244.231.1', String(api.port)), version, 'API via gateway')
  assert.equal(await inPod('a1', tcpScript, '10.244.233.9', '8080'), 'EHOSTUNREACH', 'no bridge: unreachable')
})

test('the service proxy serves a ClusterIP from the host and from pods, following Endpoints', { skip }, async () => {
  await client.create<Service>(SERVICES, {
    metadata: { name: 'echo', namespace: 'default' },
    spec: {
      clusterIP,
      clusterIPs: [clusterIP],
      ports: [
        { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
        { name: 'udp', port: 81, targetPort: 8081, protocol: 'UDP' },
      ],
    },
  })
  await client.create(ENDPOINTS, endpointsOf('a2'))
  proxy = await startServiceProxy({
    client,
    addresses,
    exclude: [dnsBinding.exclude],
    overrides: { 'default/api-loopback': [{ ip: '127.0.0.1', port: api.port }] },
  })
  assert.ok(await proxy.waitForSync(AbortSignal.timeout(10_000)), 'proxy synced')
  assert.equal(await fromHost(clusterIP, 80), 'a2', 'from the host')
  assert.equal(await inPod('b1', tcpScript, clusterIP, '80'), 'a2', 'from a pod on another node')
  assert.equal(await inPod('a1', udpScript, clusterIP, '81'), 'a2:ping', 'UDP')

  await setEndpoints('a2', 'b1')
  const seen = new Set<string>()
  await until(async () => {
    seen.add(await fromHost(clusterIP, 80))
    return seen.has('a2') && seen.has('b1')
  }, 'both endpoints answer')
  await setEndpoints('b1')
  await until(async () => (await fromHost(clusterIP, 80)) === 'b1', 'only b1')
  for (let i = 0; i < 4; i++) assert.equal(await fromHost(clusterIP, 80), 'b1')
  assert.equal(await inPod('a1', udpScript, clusterIP, '81'), 'b1:ping', 'UDP follows too')
  await setEndpoints()
  await until(async () => (await fromHost(clusterIP, 80)) === 'ECONNRESET', 'no endpoints: reset')
})

test('a Service overridden to the loopback API server is reachable from a pod', { skip }, async () => {
  await client.create<Service>(SERVICES, {
    metadata: { name: 'api-loopback', namespace: 'default' },
    spec: { clusterIP: '10.100.231.12', ports: [{ name: 'https', port: 443, targetPort: 6443 }] },
  })
  await until(async () => proxy!.rules().some(r => r.key === 'TCP 10.100.231.12:443'), 'override listener')
  assert.equal(await inPod('b1', versionScript, '10.100.231.12', '443'), version)
})

test('the kubernetes Service reaches the API server from a pod', { skip }, async t => {
  const eps = await client.get<Endpoints>(ENDPOINTS, 'kubernetes', { namespace: 'default' }).catch(() => undefined)
  if (!eps?.subsets?.length) return t.skip('no kubernetes Endpoints (host without a non-loopback address)')
  await until(async () => proxy!.rules().some(r => r.key === 'TCP 10.96.0.1:443'), 'kubernetes listener')
  assert.equal(await inPod('a1', versionScript, '10.96.0.1', '443'), version)
})

test('NodePorts listen on loopback only; deleting a Service closes its listeners and address', { skip }, async () => {
  const np = await client.create<Service>(SERVICES, {
    metadata: { name: 'echo-np', namespace: 'default' },
    spec: { type: 'NodePort', clusterIP: '10.100.231.11', ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  })
  await client.create(ENDPOINTS, { ...endpointsOf('a2'), metadata: { name: 'echo-np', namespace: 'default' } })
  const nodePort = np.spec!.ports![0]!.nodePort!
  await until(async () => proxy!.rules().some(r => r.key === `TCP 127.0.0.1:${nodePort}`), 'node port')
  assert.ok(!proxy!.rules().some(r => r.kind === 'NodePort' && r.host !== '127.0.0.1'))
  assert.equal(await fromHost('127.0.0.1', nodePort), 'a2')
  await client.delete(SERVICES, 'echo-np', { namespace: 'default' })
  await until(async () => !proxy!.rules().some(r => r.service.startsWith('default/echo-np')), 'listeners closed')
  const { stdout } = await run('ip', ['-o', '-4', 'addr', 'show', 'dev', device])
  assert.ok(!stdout.includes('10.100.231.11/32') && stdout.includes(`${clusterIP}/32`), stdout)
  assert.equal(await fromHost('127.0.0.1', nodePort), 'ECONNREFUSED')
})

test('the cluster DNS answers on 10.96.0.10:53 inside a pod (dig, and glibc with the pod resolv.conf)', {
  skip: skip || (!existsSync('/usr/bin/dig') && 'dig not installed'),
}, async t => {
  try {
    dns = await startDnsServer({ client, listen: [dnsBinding.listen], upstreams: [] })
  } catch (err) {
    return t.skip(`10.96.0.10:53 is taken on this host: ${(err as Error).message}`)
  }
  assert.ok(await dns.waitForSync(AbortSignal.timeout(10_000)))
  const { stdout } = await run('ip', [
    ...['netns', 'exec', pods.b1!.netns, 'dig', '+short', '+time=1', '+tries=3', '@10.96.0.10'],
    'echo.default.svc.cluster.local',
  ])
  assert.equal(stdout.trim(), clusterIP)
  assert.ok(!proxy!.rules().some(r => r.host === '10.96.0.10' && r.port === 53), 'the proxy leaves port 53 alone')
  // The resolv.conf the runtime writes for pods; `ip netns exec` bind-mounts /etc/netns/<ns>/resolv.conf.
  const etc = `/etc/netns/${pods.b1!.netns}`
  const created = !existsSync('/etc/netns')
  await mkdir(etc, { recursive: true })
  try {
    const search = 'search default.svc.cluster.local svc.cluster.local cluster.local'
    await writeFile(`${etc}/resolv.conf`, `nameserver 10.96.0.10\n${search}\noptions ndots:5\n`)
    const short = await run('ip', ['netns', 'exec', pods.b1!.netns, 'getent', 'ahostsv4', 'echo'])
    assert.match(short.stdout, new RegExp(`^${clusterIP.replaceAll('.', '\\.')}\\s`), 'short name via the search list')
  } finally {
    await rm(created ? '/etc/netns' : etc, { recursive: true, force: true })
  }
})

test('teardown and cleanupAll remove namespaces, links and rules', { skip }, async () => {
  await netA.teardown(sandbox('a1'), {})
  const gone = async () => (await run('ip', ['netns', 'list'])).stdout
  assert.ok(!(await gone()).includes(pods.a1!.netns))
  for (const c of children) c.kill('SIGKILL')
  await netA.cleanupAll()
  await netB.cleanupAll()
  const links = (await run('ip', ['-o', 'link', 'show'])).stdout
  const rules = (await run('ip', ['rule'])).stdout
  assert.ok(!/psbr-pst-|ps-pst-/.test(links + (await gone())), links)
  assert.ok(!rules.includes('psbr-pst-'), rules)
})
