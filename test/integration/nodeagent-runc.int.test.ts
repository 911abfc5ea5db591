/**
 * A real node on the runc runtime (root, runc and `ip netns` needed; skipped with the reason
 * otherwise), started by startNodes against the real API server: the pod runs in its own
 * namespaces with the agent's hostname, resolv.conf (ClusterFirst), env, a configMap volume
 * (under /etc) and its service-account token, and its logs come back through the API server.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { ConfigMap } from '../../src/api/core.js'
import type { Pod } from '../../src/api/pod.js'
import { type ApiServer, startApiServer } from '../../src/apiserver/server.js'
import { CONFIG_MAPS, PODS } from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { NodeIpamController } from '../../src/controllers/nodeipam/controller.js'
import { Manager } from '../../src/controllers/runtime/manager.js'
import { ServiceAccountController } from '../../src/controllers/serviceaccount/controller.js'
import { startNodes } from '../../src/nodeagent/real-nodes.js'
import { cleanupNodeNetwork } from '../../src/nodeagent/runtime/network/bridge.js'
import { canManageNetns } from '../../src/nodeagent/runtime/network/ip-command.js'
import { runcUnavailable } from '../../src/nodeagent/runtime/runc/testing.js'
import type { ContainerRuntime } from '../../src/nodeagent/runtime/runtime.js'
import { openStore } from '../../src/storage/registry.js'
import type { Store } from '../../src/storage/store.js'

const netns = runcUnavailable ? { ok: false, reason: runcUnavailable } : await canManageNetns()
const skip = runcUnavailable ?? (!netns.ok ? `needs ip netns: ${netns.reason}` : false)
const prefix = 'nart-'

let store: Store
let server: ApiServer
let client: RestClient
let dataDir: string
const stop = new AbortController()
let running: Promise<unknown> = Promise.resolve()
let runtimes: ContainerRuntime[] = []

before(async () => {
  if (skip) return
  store = await openStore('memory:')
  server = await startApiServer({
    store,
    listen: { host: '127.0.0.1', port: 0 },
    nodeAgentToken: 'agent-secret',
    nodeAgentScheme: 'http',
  })
  client = new RestClient({ server: server.url, token: server.token, ca: server.ca })
  dataDir = await mkdtemp(join(tmpdir(), 'petset-runc-'))
  const manager = new Manager({ client })
  manager.add(new NodeIpamController({ client, informers: manager.informers }))
  manager.add(new ServiceAccountController({ client, informers: manager.informers, caCert: 'CA' }))
  const nodes = startNodes({
    client,
    count: 1,
    runtime: 'runc',
    dataDir,
    namePrefix: prefix,
    streamingToken: 'agent-secret',
    address: '127.0.0.1',
    signal: stop.signal,
    agent: { heartbeatIntervalMs: 500, informerOptions: { backoff: { initialMs: 50, maxMs: 500 } } },
  })
  runtimes = nodes.runtimes
  running = Promise.all([manager.start(stop.signal), nodes.done])
})

after(async () => {
  if (skip) return
  await client.delete(PODS, 'dns', { namespace: 'default', gracePeriodSeconds: 0 }).catch(() => {})
  // The agent kills force-deleted pods within the 2 s minimum grace; leave no container behind.
  await until(async () => {
    const left = (await Promise.all(runtimes.map(r => r.listContainers()))).flat()
    return left.some(c => c.state !== 'exited') ? undefined : true
  }, 'containers stopped')
  stop.abort()
  await running
  await cleanupNodeNetwork(`${prefix}1`, { stateDir: join(dataDir, 'nodes', `${prefix}1`, 'network') })
  client.close()
  await server.close()
  await store.close()
  await rm(dataDir, { recursive: true, force: true })
})

async function until<T>(get: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms
  let last: unknown
  while (Date.now() < end) {
    try {
      const v = await get()
      if (v !== undefined) return v
    } catch (e) {
      last = e
    }
    await new Promise(r => setTimeout(r, 100))
  }
  assert.fail(`timed out waiting for ${what}${last ? ` (last error: ${last})` : ''}`)
}

test('a runc pod gets its hostname, resolv.conf, env, configMap and token; logs come through the API', {
  skip,
}, async () => {
  await client.create<ConfigMap>(CONFIG_MAPS, {
    metadata: { name: 'app-config', namespace: 'default' },
    data: { mode: 'fast' },
  })
  await client.create<Pod>(PODS, {
    metadata: { name: 'dns', namespace: 'default' },
    spec: {
      nodeName: `${prefix}1`,
      hostname: 'web-0',
      subdomain: 'nginx',
      containers: [
        {
          name: 'app',
          image: 'busybox',
          command: [
            'sh',
            '-c',
            'hostname; grep -E "^(nameserver|search|options)" /etc/resolv.conf; echo "MODE=$MODE"; cat /etc/app/mode; echo; ' +
              'test -s /var/run/secrets/kubernetes.io/serviceaccount/token && echo token-ok; sleep 3600',
          ],
          env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'mode' } } }],
          volumeMounts: [{ name: 'cfg', mountPath: '/etc/app' }],
        },
      ],
      volumes: [{ name: 'cfg', configMap: { name: 'app-config' } }],
    },
  })
  const text = await until(async () => {
    const res = await client.request<string>({
      method: 'GET',
      path: '/api/v1/namespaces/default/pods/dns/log',
      accept: '*/*',
    })
    return res.body.includes('token-ok') ? res.body : undefined
  }, 'the log')
  const lines = text.split('\n')
  assert.equal(lines[0], 'web-0')
  assert.ok(lines.includes('nameserver 10.96.0.10'), text)
  assert.ok(
    lines.some(l => l.startsWith('search default.svc.cluster.local svc.cluster.local cluster.local')),
    text,
  )
  assert.ok(lines.includes('options ndots:5'), text)
  assert.deepEqual(lines.slice(-4), ['MODE=fast', 'fast', 'token-ok', ''], text)
})
