/**
 * The scheduler with three simulated nodes and the node IPAM controller against the real API
 * server: pods are bound, started and spread per owner; a nodeSelector nobody matches leaves the
 * pod Pending with upstream's FailedScheduling message until a node is labelled; resource
 * shortage and unbound Immediate claims explain themselves; a WaitForFirstConsumer claim gets the
 * selected-node annotation and the pod binds to that node once the claim is bound.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Event, Node, PersistentVolume, PersistentVolumeClaim } from '../../src/api/core.js'
import type { Pod } from '../../src/api/pod.js'
import type { StorageClass } from '../../src/api/storage.js'
import { type ApiServer, startApiServer } from '../../src/apiserver/server.js'
import {
  EVENTS,
  NODES,
  PERSISTENT_VOLUME_CLAIMS,
  PERSISTENT_VOLUMES,
  PODS,
  STORAGE_CLASSES,
} from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { NodeIpamController } from '../../src/controllers/nodeipam/controller.js'
import { Manager } from '../../src/controllers/runtime/manager.js'
import { Scheduler } from '../../src/controllers/scheduler/scheduler.js'
import { startSimulatedNodes } from '../../src/nodeagent/simulated-nodes.js'
import { openStore } from '../../src/storage/registry.js'
import type { Store } from '../../src/storage/store.js'

let store: Store
let server: ApiServer
let client: RestClient
const stop = new AbortController()
let running: Promise<unknown>
const ns = 'default'

before(async () => {
  store = await openStore('memory:')
  server = await startApiServer({ store, listen: { host: '127.0.0.1', port: 0 } })
  client = new RestClient({ server: server.url, token: server.token, ca: server.ca })
  const manager = new Manager({ client })
  manager.add(new NodeIpamController({ client, informers: manager.informers }))
  manager.add(new Scheduler({ client, informers: manager.informers, backoff: { initialMs: 50, maxMs: 200 } }))
  const nodes = startSimulatedNodes({ client, count: 3, signal: stop.signal, capacity: { cpu: '4', pods: '110' } })
  running = Promise.all([manager.start(stop.signal), nodes.done])
  await until(async () => {
    const list = await client.list<Node>(NODES)
    const ready = list.items.filter(n => n.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True'))
    return ready.length === 3 ? true : undefined
  }, 'three Ready nodes')
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
  while (Date.now() < end) {
    const v = await get().catch(() => undefined)
    if (v !== undefined) return v
    await new Promise(r => setTimeout(r, 20))
  }
  assert.fail(`timed out waiting for ${what}`)
}

const pod = (name: string, extra: Partial<Pod['spec']> = {}, meta: Partial<Pod['metadata']> = {}): Pod => ({
  metadata: { name, namespace: ns, ...meta },
  spec: { containers: [{ name: 'app', image: 'nginx' }], ...extra },
})
const getPod = (name: string) => client.get<Pod>(PODS, name, { namespace: ns })
const eventsFor = async (name: string, reason: string) =>
  (await client.list<Event>(EVENTS, { namespace: ns })).items.filter(
    e => e.involvedObject.name === name && e.reason === reason,
  )
const scheduledCondition = (p: Pod) => p.status?.conditions?.find(c => c.type === 'PodScheduled')

async function failedWith(name: string): Promise<{ pod: Pod; event: Event }> {
  return until(async () => {
    const [event] = await eventsFor(name, 'FailedScheduling')
    const p = await getPod(name)
    return event && scheduledCondition(p)?.status === 'False' ? { pod: p, event } : undefined
  }, `FailedScheduling for ${name}`)
}

test('a pod is scheduled, started and Ready, with a Scheduled event', async () => {
  await client.create(PODS, pod('web-0'))
  const p = await until(async () => {
    const p = await getPod('web-0')
    return p.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True') ? p : undefined
  }, 'web-0 Ready')
  assert.match(p.spec.nodeName ?? '', /^node-[123]$/)
  const node = await client.get<Node>(NODES, p.spec.nodeName!)
  const prefix = node.spec!.podCIDR!.split('.').slice(0, 3).join('.')
  assert.ok(p.status?.podIP?.startsWith(`${prefix}.`), `${p.status?.podIP} in ${node.spec?.podCIDR}`)
  const [event] = await until(async () => {
    const list = await eventsFor('web-0', 'Scheduled')
    return list.length ? list : undefined
  }, 'the Scheduled event')
  assert.equal(event?.message, `Successfully assigned default/web-0 to ${p.spec.nodeName}`)
  assert.equal(event?.source?.component, 'default-scheduler')
  assert.equal(event?.type, 'Normal')
})

test('pods of one owner spread evenly over the nodes', async () => {
  const owner = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'spread', uid: 'spread-uid', controller: true }
  for (let i = 0; i < 6; i++) await client.create(PODS, pod(`spread-${i}`, {}, { ownerReferences: [owner] }))
  const nodes = await until(async () => {
    const ps = await Promise.all(Array.from({ length: 6 }, (_, i) => getPod(`spread-${i}`)))
    return ps.every(p => p.spec.nodeName) ? ps.map(p => p.spec.nodeName!) : undefined
  }, 'six bound pods')
  const counts: Record<string, number> = {}
  for (const n of nodes) counts[n] = (counts[n] ?? 0) + 1
  assert.deepEqual(counts, { 'node-1': 2, 'node-2': 2, 'node-3': 2 })
})

test('a nodeSelector nobody matches keeps the pod Pending until a node gets the label', async () => {
  await client.create(PODS, pod('picky', { nodeSelector: { disk: 'ssd' } }))
  const { pod: p, event } = await failedWith('picky')
  const want =
    "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
  assert.equal(event.message, want)
  assert.equal(event.type, 'Warning')
  assert.equal(event.source?.component, 'default-scheduler')
  assert.deepEqual([scheduledCondition(p)?.reason, scheduledCondition(p)?.message], ['Unschedulable', want])
  assert.equal(p.status?.phase, 'Pending')
  assert.equal(p.spec.nodeName, undefined)

  await client.patch(NODES, 'node-3', { type: 'merge', body: { metadata: { labels: { disk: 'ssd' } } } })
  const bound = await until(
    async () => ((await getPod('picky')).spec.nodeName ? getPod('picky') : undefined),
    'picky bound',
  )
  assert.equal(bound.spec.nodeName, 'node-3')
})

test('a pod asking for more cpu than any node has explains the shortage', async () => {
  await client.create(
    PODS,
    pod('greedy', { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '64' } } }] }),
  )
  const { event } = await failedWith('greedy')
  assert.equal(
    event.message,
    '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
  )
})

test('an unbound Immediate claim keeps the pod Pending', async () => {
  await client.create<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS, {
    metadata: { name: 'plain', namespace: ns },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: '', resources: { requests: { storage: '1Gi' } } },
  })
  await client.create(
    PODS,
    pod('needs-plain', { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'plain' } }] }),
  )
  const { event } = await failedWith('needs-plain')
  assert.equal(
    event.message,
    '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
  )
})

test('WaitForFirstConsumer: the claim gets selected-node, and the pod binds there once the claim is bound', async () => {
  await client.create<StorageClass>(STORAGE_CLASSES, {
    metadata: { name: 'local-wffc' },
    provisioner: 'petset.dev/test',
    volumeBindingMode: 'WaitForFirstConsumer',
  })
  await client.create<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS, {
    metadata: { name: 'data-db-0', namespace: ns },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'local-wffc',
      resources: { requests: { storage: '1Gi' } },
    },
  })
  await client.create(
    PODS,
    pod('db-0', { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } }] }),
  )
  const claim = await until(async () => {
    const c = await client.get<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS, 'data-db-0', { namespace: ns })
    return c.metadata.annotations?.['volume.kubernetes.io/selected-node'] ? c : undefined
  }, 'the selected-node annotation')
  const selected = claim.metadata.annotations!['volume.kubernetes.io/selected-node']!
  assert.match(selected, /^node-[123]$/)
  assert.equal((await getPod('db-0')).spec.nodeName, undefined, 'the pod waits for its claim')

  // Play the provisioner: a PV pinned to the selected node, bound to the claim.
  await client.create<PersistentVolume>(PERSISTENT_VOLUMES, {
    metadata: { name: 'pv-db-0' },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'local-wffc',
      hostPath: { path: '/tmp/pv-db-0' },
      claimRef: { kind: 'PersistentVolumeClaim', namespace: ns, name: 'data-db-0', uid: claim.metadata.uid },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [selected] }] },
          ],
        },
      },
    },
  })
  const named = await client.patch<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS, 'data-db-0', {
    namespace: ns,
    type: 'merge',
    body: { spec: { volumeName: 'pv-db-0' } },
  })
  await client.updateStatus(PERSISTENT_VOLUME_CLAIMS, { ...named, status: { phase: 'Bound' } })
  const bound = await until(async () => {
    const p = await getPod('db-0')
    return p.spec.nodeName ? p : undefined
  }, 'db-0 bound')
  assert.equal(bound.spec.nodeName, selected)
})

test('a burst of pods is all bound', async () => {
  const n = 200
  await Promise.all(Array.from({ length: n }, (_, i) => client.create(PODS, pod(`burst-${i}`))))
  await until(
    async () => {
      const list = await client.list<Pod>(PODS, { namespace: ns, fieldSelector: 'spec.nodeName=' })
      return list.items.filter(p => p.metadata.name?.startsWith('burst-')).length === 0 ? true : undefined
    },
    'every burst pod bound',
    60_000,
  )
})
