/**
 * The runc runtime with the real pieces around it: built-in images from the image store
 * (nginx, kubia) and the bridge pod network through the SandboxNetwork hook. nginx answers on
 * its pod IP, kubia keeps its data in a volume on the host, /etc/hosts names the pod IP, and
 * the network namespace is the pod's. Needs root, runc, nginx and `ip netns`; skips otherwise.
 * Uses node `psrt` and 10.244.238.0/24 only; everything is removed in `after`.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import type { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { LocalImageStore } from '../../src/nodeagent/runtime/images/store.js'
import { BridgeNetwork, cleanupNodeNetwork } from '../../src/nodeagent/runtime/network/bridge.js'
import { canManageNetns } from '../../src/nodeagent/runtime/network/ip-command.js'
import { collectStreams, until } from '../../src/nodeagent/runtime/process/testing.js'
import { removeNodeCgroups } from '../../src/nodeagent/runtime/runc/cgroups.js'
import { RuncRuntime } from '../../src/nodeagent/runtime/runc/runtime.js'
import { runcUnavailable } from '../../src/nodeagent/runtime/runc/testing.js'

const node = 'psrt'
const netns = runcUnavailable ? { ok: false, reason: runcUnavailable } : await canManageNetns()
const skip =
  runcUnavailable ??
  (!netns.ok ? `needs ip netns: ${netns.reason}` : !existsSync('/usr/sbin/nginx') ? 'needs nginx on the host' : false)

let root: string
let rt: RuncRuntime

/** Sends one HTTP/1.0 request over a dialed connection and returns the whole response. */
async function http(sock: Socket, request: string): Promise<string> {
  // No half-close: Node's HTTP server may drop a response to a client that already sent FIN.
  // HTTP/1.0 without keep-alive makes the server close once it has answered.
  sock.write(request)
  const chunks: Buffer[] = []
  for await (const c of sock) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString()
}

before(async () => {
  if (skip) return
  root = await mkdtemp(join(tmpdir(), 'petset-runc-int-'))
  await cleanupNodeNetwork(node, { stateDir: join(root, 'network') })
  rt = new RuncRuntime({
    rootDir: join(root, 'nodes', node),
    images: new LocalImageStore({ dir: join(root, 'images') }),
    nodeName: node,
    network: new BridgeNetwork({ nodeName: node, stateDir: join(root, 'nodes', node, 'network') }),
    pollMs: 100,
  })
  await rt.updateRuntimeConfig({ podCIDR: '10.244.238.0/24' })
})

after(async () => {
  if (skip) return
  for (const sb of await rt.listPodSandboxes()) await rt.removePodSandbox(sb.id)
  await rt.close()
  await cleanupNodeNetwork(node, { stateDir: join(root, 'nodes', node, 'network') })
  await removeNodeCgroups(node)
  await rm(root, { recursive: true, force: true })
})

test('nginx answers on its pod IP, in its own network namespace', { skip }, async () => {
  const sb = await rt.runPodSandbox({ uid: 'nginx-uid', namespace: 'default', name: 'web-0', subdomain: 'nginx' })
  assert.match(sb.ip ?? '', /^10\.244\.238\.\d+$/)
  const c = await rt.startContainer(sb.id, { name: 'nginx', image: 'nginx:1.9.1', attempt: 0 })
  assert.equal(c.image, 'docker.io/library/nginx:1.9.1')
  const page = await until(
    async () => {
      const sock = await rt.dial(sb.id, 80).catch(() => undefined)
      return sock && (await http(sock, 'GET / HTTP/1.0\r\nHost: web-0\r\n\r\n'))
    },
    'nginx to answer',
    30_000,
  )
  assert.match(page, /^HTTP\/1\.1 200 OK/)
  assert.match(page, /Welcome to nginx!/)
  const hosts = collectStreams()
  assert.equal(await rt.exec(c.id, ['cat', '/etc/hosts'], hosts.streams), 0)
  assert.ok(hosts.out().includes(`${sb.ip}\tweb-0.nginx.default.svc.cluster.local\tweb-0`), hosts.out())
  const addr = collectStreams()
  assert.equal(await rt.exec(c.id, ['ip', '-4', '-o', 'addr', 'show', 'eth0'], addr.streams), 0)
  assert.ok(addr.out().includes(`inet ${sb.ip}/24`), addr.out())
})

test('kubia keeps what is posted in its volume on the host', { skip }, async () => {
  const sb = await rt.runPodSandbox({ uid: 'kubia-uid', namespace: 'default', name: 'kubia-0', subdomain: 'kubia' })
  const data = join(root, 'volumes', 'pv-a')
  await mkdir(data, { recursive: true })
  await rt.startContainer(sb.id, {
    name: 'kubia',
    image: 'luksa/kubia-pet',
    attempt: 0,
    mounts: [{ containerPath: '/var/data', hostPath: data }],
  })
  const posted = await until(
    async () => {
      const sock = await rt.dial(sb.id, 8080).catch(() => undefined)
      return sock && (await http(sock, 'POST / HTTP/1.0\r\nContent-Length: 5\r\n\r\nhello'))
    },
    'kubia to answer',
    30_000,
  )
  assert.match(posted, /Data stored on pod kubia-0/)
  assert.equal(await readFile(join(data, 'kubia.txt'), 'utf8'), 'hello')
  const got = await http(await rt.dial(sb.id, 8080), 'GET / HTTP/1.0\r\n\r\n')
  assert.match(got, /You've hit kubia-0\nData stored on this pod: hello/)
})
