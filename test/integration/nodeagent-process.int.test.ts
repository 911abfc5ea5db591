/**
 * A real node (process runtime, host images) against the real API server, driven over the API
 * like kubectl would: env and a configMap volume reach the process, `pods/log` streams through
 * the agent's streaming server (current and previous attempts), a failing liveness probe restarts
 * the container with the kubelet's events, an unknown image waits in ErrImagePull then
 * ImagePullBackOff, and the petset.dev/runtime annotation routes a pod to the simulated runtime.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { ConfigMap, Event } from '../../src/api/core.js'
import type { Pod } from '../../src/api/pod.js'
import { type ApiServer, startApiServer } from '../../src/apiserver/server.js'
import { CONFIG_MAPS, EVENTS, PODS } from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { NodeIpamController } from '../../src/controllers/nodeipam/controller.js'
import { Manager } from '../../src/controllers/runtime/manager.js'
import { ServiceAccountController } from '../../src/controllers/serviceaccount/controller.js'
import { startNodes } from '../../src/nodeagent/real-nodes.js'
import { openStore } from '../../src/storage/registry.js'
import type { Store } from '../../src/storage/store.js'

let store: Store
let server: ApiServer
let client: RestClient
let dataDir: string
const stop = new AbortController()
let running: Promise<unknown>

before(async () => {
  store = await openStore('memory:')
  server = await startApiServer({
    store,
    listen: { host: '127.0.0.1', port: 0 },
    nodeAgentToken: 'agent-secret',
    nodeAgentScheme: 'http',
  })
  client = new RestClient({ server: server.url, token: server.token, ca: server.ca })
  dataDir = await mkdtemp(join(tmpdir(), 'petset-real-'))
  const manager = new Manager({ client })
  manager.add(new NodeIpamController({ client, informers: manager.informers }))
  manager.add(new ServiceAccountController({ client, informers: manager.informers, caCert: 'CA' }))
  const nodes = startNodes({
    client,
    count: 1,
    runtime: 'process',
    dataDir,
    streamingToken: 'agent-secret',
    address: '127.0.0.1',
    signal: stop.signal,
    agent: { heartbeatIntervalMs: 500, informerOptions: { backoff: { initialMs: 50, maxMs: 500 } } },
  })
  running = Promise.all([manager.start(stop.signal), nodes.done])
})

after(async () => {
  for (const name of ['logs', 'liveness', 'noimage', 'sim', 'kata'])
    await client.delete(PODS, name, { namespace: 'default', gracePeriodSeconds: 0 }).catch(() => {})
  await until(
    async () => ((await client.list<Pod>(PODS, { namespace: 'default' })).items.length ? undefined : true),
    'pods gone',
    30_000,
  )
  stop.abort()
  await running
  client.close()
  await server.close()
  await store.close()
  await rm(dataDir, { recursive: true, force: true })
})

async function until<T>(get: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
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

const getPod = (name: string) => client.get<Pod>(PODS, name, { namespace: 'default' })
const logs = async (name: string, query: Record<string, string> = {}) =>
  (
    await client.request<string>({
      method: 'GET',
      path: `/api/v1/namespaces/default/pods/${name}/log`,
      query,
      accept: '*/*',
    })
  ).body
const eventsOf = async (name: string) =>
  (await client.list<Event>(EVENTS, { namespace: 'default' })).items.filter(e => e.involvedObject.name === name)

test('env and a configMap volume reach the process; logs stream through the agent', async () => {
  await client.create<ConfigMap>(CONFIG_MAPS, {
    metadata: { name: 'cfg', namespace: 'default' },
    data: { greeting: 'hello from the configmap' },
  })
  await client.create<Pod>(PODS, {
    metadata: { name: 'logs', namespace: 'default' },
    spec: {
      nodeName: 'node-1',
      containers: [
        {
          name: 'app',
          image: 'busybox',
          // NOTE: the process runtime maps mount paths in argv words, not inside a shell script.
          command: ['sh', '-c', 'echo "level=$LEVEL"; cat "$1"; echo; sleep 3600', 'sh', '/etc/config/greeting'],
          env: [{ name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'greeting' } } }],
          volumeMounts: [{ name: 'config', mountPath: '/etc/config' }],
          readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 },
        },
      ],
      volumes: [{ name: 'config', configMap: { name: 'cfg' } }],
    },
  })
  await until(async () => {
    const p = await getPod('logs')
    return p.status?.conditions?.find(c => c.type === 'Ready')?.status === 'True' ? p : undefined
  }, 'logs Ready')
  const text = await until(async () => {
    const t = await logs('logs')
    return t.includes('hello from the configmap\n') ? t : undefined
  }, 'the log lines')
  assert.equal(text, 'level=hello from the configmap\nhello from the configmap\n')
  assert.match(
    await logs('logs', { timestamps: 'true', tailLines: '1' }),
    /^\d{4}-\d\d-\d\dT[\d:.]+Z hello from the configmap\n$/,
  )
  await assert.rejects(
    logs('logs', { previous: 'true' }),
    /previous terminated container "app" in pod "logs" not found/,
  )
})

test('a failing liveness probe restarts the container with the kubelet events; previous logs', async () => {
  await client.create<Pod>(PODS, {
    metadata: { name: 'liveness', namespace: 'default' },
    spec: {
      nodeName: 'node-1',
      terminationGracePeriodSeconds: 2,
      containers: [
        {
          name: 'app',
          image: 'busybox',
          command: ['sh', '-c', 'echo started; sleep 3600'],
          livenessProbe: {
            exec: { command: ['sh', '-c', 'echo sick; exit 1'] },
            periodSeconds: 1,
            failureThreshold: 2,
          },
        },
      ],
    },
  })
  const pod = await until(
    async () => {
      const p = await getPod('liveness')
      return (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 ? p : undefined
    },
    'a restart',
    30_000,
  )
  assert.ok(pod.status?.containerStatuses?.[0]?.lastState?.terminated)
  const events = await until(async () => {
    const es = await eventsOf('liveness')
    return es.some(e => e.reason === 'Killing') && es.some(e => e.reason === 'Unhealthy') ? es : undefined
  }, 'the events')
  assert.equal(events.find(e => e.reason === 'Unhealthy')?.message, 'Liveness probe failed: sick\n')
  assert.equal(
    events.find(e => e.reason === 'Killing')?.message,
    'Container app failed liveness probe, will be restarted',
  )
  assert.equal(await logs('liveness', { previous: 'true' }), 'started\n')
})

test('an unknown image waits in ErrImagePull, then ImagePullBackOff', async () => {
  await client.create<Pod>(PODS, {
    metadata: { name: 'noimage', namespace: 'default' },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'example.com/does-not-exist:1' }] },
  })
  const waiting = (reason: string) =>
    until(async () => {
      const w = (await getPod('noimage')).status?.containerStatuses?.[0]?.state?.waiting
      return w?.reason === reason ? w : undefined
    }, reason)
  const pull = await waiting('ErrImagePull')
  assert.match(pull.message ?? '', /example\.com\/does-not-exist:1/)
  const failed = await until(
    async () => (await eventsOf('noimage')).find(e => e.message?.startsWith('Failed to pull image')),
    'Failed',
  )
  assert.equal(failed.message, `Failed to pull image "example.com/does-not-exist:1": ${pull.message}`)
  await assert.rejects(
    logs('noimage'),
    /container "app" in pod "noimage" is waiting to start: (image can't be pulled|trying and failing to pull image)/,
  )
  const backoff = await waiting('ImagePullBackOff')
  assert.equal(backoff.message, `Back-off pulling image "example.com/does-not-exist:1": ErrImagePull: ${pull.message}`)
})

test('petset.dev/runtime routes a pod to another runtime of the node, or explains why it cannot', async () => {
  await client.create<Pod>(PODS, {
    metadata: { name: 'sim', namespace: 'default', annotations: { 'petset.dev/runtime': 'simulated' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'anything:1' }] },
  })
  const pod = await until(async () => {
    const p = await getPod('sim')
    return p.status?.containerStatuses?.[0]?.state?.running ? p : undefined
  }, 'sim running')
  assert.match(pod.status?.containerStatuses?.[0]?.containerID ?? '', /^simulated:\/\//)
  assert.match(pod.status?.podIP ?? '', /^10\.244\.\d+\.(1[3-9]\d|2\d\d)$/, 'from the upper half of the podCIDR')
  await client.create<Pod>(PODS, {
    metadata: { name: 'kata', namespace: 'default', annotations: { 'petset.dev/runtime': 'kata' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'busybox' }] },
  })
  const event = await until(
    async () => (await eventsOf('kata')).find(e => e.reason === 'FailedCreatePodSandBox'),
    'FailedCreatePodSandBox',
  )
  assert.equal(
    event.message,
    'Failed to create pod sandbox: runtime "kata" (annotation petset.dev/runtime) is not available on this node; it has: process, simulated',
  )
})
