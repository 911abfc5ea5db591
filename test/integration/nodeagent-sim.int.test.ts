/**
 * Simulated node agents against the real API server (memory store) with the node IPAM controller:
 * three nodes register Ready with pod CIDRs and renew their leases; a pod bound to a node runs,
 * becomes Ready with an IP from that node's CIDR, follows the simulate-ready annotation, runs its
 * init containers first, fails by restartPolicy Never on a scripted exit, and a graceful delete
 * completes with the pod gone.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type Lease, NamespaceNodeLease } from '../../src/api/coordination.js'
import type { Node } from '../../src/api/core.js'
import type { Pod } from '../../src/api/pod.js'
import { type ApiServer, startApiServer } from '../../src/apiserver/server.js'
import { LEASES, NODES, PODS } from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { NodeIpamController } from '../../src/controllers/nodeipam/controller.js'
import { Manager } from '../../src/controllers/runtime/manager.js'
import { isNotFound } from '../../src/machinery/status-error.js'
import type { SimulatedRuntime } from '../../src/nodeagent/runtime/simulated/runtime.js'
import { startSimulatedNodes } from '../../src/nodeagent/simulated-nodes.js'
import { openStore } from '../../src/storage/registry.js'
import type { Store } from '../../src/storage/store.js'

let store: Store
let server: ApiServer
let client: RestClient
const stop = new AbortController()
let running: Promise<unknown>
let runtimes: SimulatedRuntime[]

before(async () => {
  store = await openStore('memory:')
  server = await startApiServer({ store, listen: { host: '127.0.0.1', port: 0 } })
  client = new RestClient({ server: server.url, token: server.token, ca: server.ca })
  const manager = new Manager({ client })
  manager.add(new NodeIpamController({ client, informers: manager.informers }))
  const nodes = startSimulatedNodes({
    client,
    count: 3,
    signal: stop.signal,
    agent: { heartbeatIntervalMs: 200, informerOptions: { backoff: { initialMs: 50, maxMs: 500 } } },
  })
  runtimes = nodes.runtimes
  running = Promise.all([manager.start(stop.signal), nodes.done])
})

after(async () => {
  stop.abort()
  await running
  client.close()
  await server.close()
  await store.close()
})

async function until<T>(get: () => Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms
  let last: unknown
  while (Date.now() < end) {
    try {
      const v = await get()
      if (v !== undefined) return v
    } catch (e) {
      last = e
    }
    await new Promise(r => setTimeout(r, 20))
  }
  assert.fail(`timed out waiting for ${what}${last ? ` (last error: ${last})` : ''}`)
}

const condition = (pod: Pod, type: string) => pod.status?.conditions?.find(c => c.type === type)
const getPod = (name: string) => client.get<Pod>(PODS, name, { namespace: 'default' })
const podWhere = (name: string, ok: (p: Pod) => boolean, what: string) =>
  until(async () => {
    const p = await getPod(name)
    return ok(p) ? p : undefined
  }, `${name}: ${what}`)

function inCIDR(ip: string, cidr: string): boolean {
  const n = (s: string) => s.split('.').reduce((a, p) => a * 256 + Number(p), 0)
  const [base, len] = cidr.split('/')
  return n(ip) >>> (32 - Number(len)) === n(base!) >>> (32 - Number(len))
}

test('three simulated nodes register Ready with pod CIDRs and renew their leases', async () => {
  const nodes = await until(async () => {
    const list = await client.list<Node>(NODES)
    const ready = list.items.filter(n => n.spec?.podCIDR && condition(n as Pod, 'Ready')?.status === 'True')
    return ready.length === 3 ? list.items : undefined
  }, 'three Ready nodes')
  assert.deepEqual(nodes.map(n => n.metadata.name).sort(), ['node-1', 'node-2', 'node-3'])
  assert.equal(new Set(nodes.map(n => n.spec?.podCIDR)).size, 3)
  const n1 = nodes.find(n => n.metadata.name === 'node-1')!
  assert.equal(n1.metadata.labels?.['kubernetes.io/hostname'], 'node-1')
  assert.equal(n1.metadata.labels?.['kubernetes.io/os'], 'linux')
  assert.equal(n1.status?.nodeInfo?.kubeletVersion, 'v1.32.0+petset')
  assert.equal(n1.status?.nodeInfo?.containerRuntimeVersion, 'simulated://petset')
  assert.deepEqual(n1.status?.addresses, [
    { type: 'InternalIP', address: '172.18.0.2' },
    { type: 'Hostname', address: 'node-1' },
  ])
  assert.equal(condition(n1 as Pod, 'Ready')?.reason, 'KubeletReady')
  // Pod capacity is capped at the IPs of the node's /24.
  assert.deepEqual([n1.status?.capacity?.pods, n1.status?.allocatable?.pods], ['253', '253'])

  const lease = () => client.get<Lease>(LEASES, 'node-1', { namespace: NamespaceNodeLease })
  const first = await until(lease, 'the node-1 lease')
  assert.equal(first.spec?.holderIdentity, 'node-1')
  assert.equal(first.spec?.leaseDurationSeconds, 40)
  assert.match(first.spec?.renewTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
  await until(async () => {
    const l = await lease()
    return l.spec?.renewTime !== first.spec?.renewTime ? l : undefined
  }, 'the lease to be renewed')
})

test('a bound pod runs, becomes Ready with an IP from its node CIDR, and follows simulate-ready', async () => {
  await client.create<Pod>(PODS, {
    metadata: { name: 'web-0', namespace: 'default' },
    spec: { nodeName: 'node-2', containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
  })
  const pod = await podWhere('web-0', p => condition(p, 'Ready')?.status === 'True', 'Ready')
  const node = await client.get<Node>(NODES, 'node-2')
  assert.equal(pod.status?.phase, 'Running')
  assert.ok(
    pod.status?.podIP && inCIDR(pod.status.podIP, node.spec!.podCIDR!),
    `${pod.status?.podIP} in ${node.spec?.podCIDR}`,
  )
  assert.deepEqual(pod.status?.podIPs, [{ ip: pod.status?.podIP }])
  assert.equal(pod.status?.hostIP, '172.18.0.3')
  assert.equal(pod.status?.qosClass, 'BestEffort')
  const [cs] = pod.status?.containerStatuses ?? []
  assert.match(cs?.containerID ?? '', /^simulated:\/\/[0-9a-f]{64}$/)
  assert.deepEqual(
    [cs?.image, cs?.ready, cs?.started, cs?.restartCount],
    ['docker.io/library/nginx:1.27', true, true, 0],
  )
  assert.deepEqual(
    pod.status?.conditions?.map(c => c.type),
    ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'],
  )

  await client.patch(PODS, 'web-0', {
    namespace: 'default',
    type: 'merge',
    body: { metadata: { annotations: { 'petset.dev/simulate-ready': 'false' } } },
  })
  const unready = await podWhere('web-0', p => condition(p, 'Ready')?.status === 'False', 'not Ready')
  assert.equal(condition(unready, 'Ready')?.message, 'containers with unready status: [nginx]')
  assert.equal(unready.status?.phase, 'Running')
  await client.patch(PODS, 'web-0', {
    namespace: 'default',
    type: 'merge',
    body: { metadata: { annotations: { 'petset.dev/simulate-ready': null } } },
  })
  await podWhere('web-0', p => condition(p, 'Ready')?.status === 'True', 'Ready again')
})

test('a graceful delete stops the pod and removes it', async () => {
  await podWhere('web-0', p => p.status?.phase === 'Running', 'Running')
  await client.delete(PODS, 'web-0', { namespace: 'default' })
  const marked = await getPod('web-0').catch(e => e)
  if (!isNotFound(marked))
    assert.ok((marked as Pod).metadata.deletionTimestamp, 'graceful deletion marks the pod first')
  await until(async () => (isNotFound(await getPod('web-0').catch(e => e)) ? true : undefined), 'web-0 to be gone')
})

test('init containers complete before the app starts', async () => {
  await client.create<Pod>(PODS, {
    metadata: { name: 'with-init', namespace: 'default' },
    spec: {
      nodeName: 'node-1',
      initContainers: [
        { name: 'setup', image: 'busybox' },
        { name: 'migrate', image: 'busybox' },
      ],
      containers: [{ name: 'app', image: 'nginx' }],
    },
  })
  const pod = await podWhere('with-init', p => condition(p, 'Ready')?.status === 'True', 'Ready')
  assert.deepEqual(
    pod.status?.initContainerStatuses?.map(s => [s.name, s.state?.terminated?.reason, s.ready]),
    [
      ['setup', 'Completed', true],
      ['migrate', 'Completed', true],
    ],
  )
  const started = (name: string) =>
    Date.parse(pod.status?.initContainerStatuses?.find(s => s.name === name)?.state?.terminated?.finishedAt ?? '')
  const app = Date.parse(pod.status?.containerStatuses?.[0]?.state?.running?.startedAt ?? '')
  assert.ok(started('setup') <= started('migrate') && started('migrate') <= app)
  await client.delete(PODS, 'with-init', { namespace: 'default', gracePeriodSeconds: 0 })
})

test('a scripted exit with restartPolicy Never fails the pod', async () => {
  await client.create<Pod>(PODS, {
    metadata: { name: 'crash', namespace: 'default', annotations: { 'petset.dev/simulate-exit-code': '3' } },
    spec: { nodeName: 'node-3', restartPolicy: 'Never', containers: [{ name: 'job', image: 'busybox' }] },
  })
  const pod = await podWhere('crash', p => p.status?.phase === 'Failed', 'Failed')
  const t = pod.status?.containerStatuses?.[0]?.state?.terminated
  assert.deepEqual([t?.exitCode, t?.reason], [3, 'Error'])
  assert.equal(condition(pod, 'Ready')?.reason, 'PodFailed')
})

test('a pod force-deleted from the API while running is stopped and its sandbox removed', async () => {
  await client.create<Pod>(PODS, {
    metadata: { name: 'forced', namespace: 'default' },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx' }] },
  })
  const pod = await podWhere('forced', p => p.status?.phase === 'Running', 'Running')
  const runtime = runtimes[0]!
  assert.ok((await runtime.listPodSandboxes()).some(s => s.uid === pod.metadata.uid))
  await client.delete(PODS, 'forced', { namespace: 'default', gracePeriodSeconds: 0 })
  await until(async () => {
    const left = (await runtime.listPodSandboxes()).filter(s => s.uid === pod.metadata.uid)
    return left.length === 0 ? true : undefined
  }, 'the sandbox to be removed')
})
