/**
 * The StatefulSet controller against the real API server (memory store), real informers and the
 * real REST client, with the garbage collector running. The test plays the node agent: it moves
 * pods to Running and Ready through pods/status (no scheduler, so deletions are immediate).
 * Test names follow the upstream e2e cases of statefulset.md §10 where they correspond.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { ControllerRevision, StatefulSet } from '../../src/api/apps.js'
import type { Event, PersistentVolumeClaim } from '../../src/api/core.js'
import type { Pod } from '../../src/api/pod.js'
import { type ApiServer, startApiServer } from '../../src/apiserver/server.js'
import {
  CONTROLLER_REVISIONS,
  EVENTS,
  NAMESPACES,
  PERSISTENT_VOLUME_CLAIMS,
  PODS,
  STATEFUL_SETS,
} from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { GarbageCollector } from '../../src/controllers/garbage-collector/collector.js'
import { Manager } from '../../src/controllers/runtime/manager.js'
import { StatefulSetController } from '../../src/controllers/statefulset/controller.js'
import { getControllerOf } from '../../src/machinery/objects.js'
import { isNotFound } from '../../src/machinery/status-error.js'
import { openStore } from '../../src/storage/registry.js'
import type { Store } from '../../src/storage/store.js'

let store: Store
let server: ApiServer
let client: RestClient
const stop = new AbortController()
let running: Promise<void>
const ns = 'sts-test'

before(async () => {
  store = await openStore('memory:')
  server = await startApiServer({ store, listen: { host: '127.0.0.1', port: 0 } })
  client = new RestClient({ server: server.url, token: server.token, ca: server.ca })
  await client.create(NAMESPACES, { metadata: { name: ns } })
  const manager = new Manager({ client })
  manager.add(new GarbageCollector({ client, informers: manager.informers }))
  manager.add(new StatefulSetController({ client, informers: manager.informers }))
  running = manager.start(stop.signal)
})

after(async () => {
  stop.abort()
  await running
  client.close()
  await server.close()
  await store.close()
})

async function until<T>(get: () => Promise<T | undefined | false>, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await get()
    if (v) return v
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 20))
  }
}

const getSet = (name: string) => client.get<StatefulSet>(STATEFUL_SETS, name, { namespace: ns })
const listPods = async (app: string) =>
  (await client.list<Pod>(PODS, { namespace: ns, labelSelector: `app=${app}` })).items.sort((a, b) =>
    a.metadata.name!.localeCompare(b.metadata.name!, 'en', { numeric: true }),
  )
const listRevisions = async (app: string) =>
  (await client.list<ControllerRevision>(CONTROLLER_REVISIONS, { namespace: ns, labelSelector: `app=${app}` })).items
const podNames = async (app: string) => (await listPods(app)).map(p => p.metadata.name)
const claimNames = async (prefix: string) =>
  (await client.list<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS, { namespace: ns })).items
    .map(c => c.metadata.name!)
    .filter(n => n.startsWith(prefix))
    .sort()

/** The node agent's part: Running, Ready=True, containers ready. */
async function markReady(pod: Pod): Promise<void> {
  const now = new Date().toISOString()
  const running = { ready: true, restartCount: 0, imageID: '', state: { running: { startedAt: now } } }
  const containerStatuses = pod.spec.containers.map(c => ({ ...running, name: c.name, image: c.image ?? '' }))
  const conditions = [{ type: 'Ready', status: 'True' as const, lastTransitionTime: now }]
  const status = { ...pod.status, phase: 'Running', conditions, containerStatuses }
  await client.updateStatus(PODS, { ...pod, status }, { namespace: ns }).catch(() => undefined)
}

/** Runs a node agent that makes every Pending pod of the app Ready, until the returned stop(). */
function autoReady(app: string): () => void {
  let live = true
  void (async () => {
    while (live) {
      for (const pod of await listPods(app).catch(() => [])) if (pod.status?.phase === 'Pending') await markReady(pod)
      await new Promise(r => setTimeout(r, 20))
    }
  })()
  return () => (live = false)
}

function webSet(name: string, replicas: number, extra: Partial<StatefulSet['spec']> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: ns },
    spec: {
      serviceName: 'nginx',
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.9.1', ports: [{ name: 'web', containerPort: 80 }] }] },
      },
      ...extra,
    },
  }
}

const www = {
  metadata: { name: 'www' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
}
const withClaims = (name: string, replicas: number, extra: Partial<StatefulSet['spec']> = {}) =>
  webSet(name, replicas, { volumeClaimTemplates: [www], ...extra })

test('S1: web-1 is not created until web-0 is Running and Ready', async () => {
  await client.create(STATEFUL_SETS, webSet('web', 2), { namespace: ns })
  await until(async () => (await getSet('web')).status?.replicas === 1, 'status to count web-0')
  assert.deepEqual(await podNames('web'), ['web-0'], 'only web-0 while it is Pending')
  const [web0] = await listPods('web')
  const set = await getSet('web')
  const label = (k: string) => web0!.metadata.labels![k]
  assert.equal(label('statefulset.kubernetes.io/pod-name'), 'web-0')
  assert.equal(label('apps.kubernetes.io/pod-index'), '0')
  assert.equal(label('controller-revision-hash'), set.status!.updateRevision)
  assert.deepEqual([web0!.spec.hostname, web0!.spec.subdomain], ['web-0', 'nginx'])
  assert.equal(getControllerOf(web0!)!.uid, set.metadata.uid)
  await markReady(web0!)
  await until(async () => (await podNames('web')).length === 2 && true, 'web-1 created')
  await markReady((await listPods('web'))[1]!)
  const ready = await until(() => getSet('web').then(s => s.status?.readyReplicas === 2 && s), 'web 2/2 ready')
  assert.equal(ready.status!.currentRevision, ready.status!.updateRevision)
  assert.equal(ready.status!.observedGeneration, 1)

  const ofWeb = (list: Event[]) => list.filter(e => e.involvedObject.name === 'web')
  const events = await until(async () => {
    const list = ofWeb((await client.list<Event>(EVENTS, { namespace: ns })).items)
    return list.length >= 2 && list
  }, 'events')
  const messages = events.map(e => `${e.reason}: ${e.message}`)
  assert.ok(messages.includes('SuccessfulCreate: create Pod web-0 in StatefulSet web successful'))
  assert.ok(events.every(e => e.source?.component === 'statefulset-controller'))
})

test('should perform canary updates and phased rolling updates, then roll back like kubectl rollout undo', async () => {
  const stopAgent = autoReady('canary')
  try {
    await client.create(STATEFUL_SETS, webSet('canary', 3), { namespace: ns })
    const first = await until(async () => {
      const s = await getSet('canary')
      return s.status?.readyReplicas === 3 && s.status.currentRevision
    }, 'canary 3/3 ready')

    // kubectl patch partition 2, then kubectl set image.
    const body = {
      spec: {
        updateStrategy: { rollingUpdate: { partition: 2 } },
        template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.10' }] } },
      },
    }
    await client.patch(STATEFUL_SETS, 'canary', { namespace: ns, type: 'strategic', body })
    await until(async () => {
      const pods = await listPods('canary')
      return (
        pods.length === 3 && pods[2]!.spec.containers[0]!.image === 'nginx:1.10' && pods[2]!.status?.phase === 'Running'
      )
    }, 'canary-2 updated')
    const updated = await until(async () => {
      const s = await getSet('canary')
      return s.status?.updatedReplicas === 1 && s.status.readyReplicas === 3 && s
    }, 'status: 1 updated')
    const images = (await listPods('canary')).map(p => p.spec.containers[0]!.image)
    assert.deepEqual(images, ['nginx:1.9.1', 'nginx:1.9.1', 'nginx:1.10'], 'only the ordinal at the partition')
    assert.equal(updated.status!.currentRevision, first)
    const second = updated.status!.updateRevision!
    assert.notEqual(second, first)

    // A pod below the partition that is deleted comes back at the current revision.
    await client.delete(PODS, 'canary-0', { namespace: ns, gracePeriodSeconds: 0 })
    const back = await until(async () => {
      const p = (await listPods('canary')).find(x => x.metadata.name === 'canary-0')
      return p?.status?.phase === 'Running' && p
    }, 'canary-0 back')
    assert.equal(back.metadata.labels!['controller-revision-hash'], first)

    // kubectl rollout undo: the previous revision's data as a strategic merge patch.
    const revisions = (await listRevisions('canary')).sort((a, b) => a.revision - b.revision)
    assert.deepEqual(
      revisions.map(r => `${r.metadata.name}:${r.revision}`),
      [`${first}:1`, `${second}:2`],
    )
    const data = revisions[0]!.data as { spec: { template: Record<string, unknown> } }
    assert.equal(data.spec.template.$patch, 'replace')
    await client.patch(STATEFUL_SETS, 'canary', { namespace: ns, type: 'strategic', body: data })
    const rolledBack = await until(async () => {
      const s = await getSet('canary')
      return s.status?.updateRevision === first && s.status.observedGeneration === s.metadata.generation && s
    }, 'update revision back to the first')
    assert.equal(rolledBack.spec.template.spec.containers[0]!.image, 'nginx:1.9.1')
    const after = await listRevisions('canary')
    assert.equal(after.length, 2, 'no new revision object')
    assert.equal(after.find(r => r.metadata.name === first)!.revision, 3, 'the reused revision is renumbered to max+1')
    await until(async () => {
      const p = await listPods('canary')
      return (
        p.length === 3 && p.every(x => x.spec.containers[0]!.image === 'nginx:1.9.1' && x.status?.phase === 'Running')
      )
    }, 'canary-2 rolled back')
  } finally {
    stopAgent()
  }
})

test('scale down removes the highest ordinals and leaves their PVCs', async () => {
  const stopAgent = autoReady('keep')
  try {
    await client.create(STATEFUL_SETS, withClaims('keep', 3), { namespace: ns })
    await until(async () => (await getSet('keep')).status?.readyReplicas === 3, 'keep 3/3 ready')
    assert.deepEqual(await claimNames('www-keep-'), ['www-keep-0', 'www-keep-1', 'www-keep-2'])
    const claim = await client.get<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS, 'www-keep-0', { namespace: ns })
    assert.equal(claim.metadata.labels!.app, 'keep')
    assert.equal(claim.metadata.ownerReferences, undefined, 'Retain/Retain: no owner references')

    const scale = await client.getScale(STATEFUL_SETS, 'keep', { namespace: ns })
    await client.updateScale(STATEFUL_SETS, { ...scale, spec: { replicas: 1 } }, { namespace: ns })
    await until(async () => (await podNames('keep')).length === 1, 'scaled to 1')
    assert.deepEqual(await podNames('keep'), ['keep-0'])
    assert.deepEqual(await claimNames('www-keep-'), ['www-keep-0', 'www-keep-1', 'www-keep-2'])
  } finally {
    stopAgent()
  }
})

test('should delete PVCs with a OnScaledown policy', async () => {
  const stopAgent = autoReady('gone')
  try {
    const policy = { whenScaled: 'Delete', whenDeleted: 'Retain' }
    await client.create(STATEFUL_SETS, withClaims('gone', 3, { persistentVolumeClaimRetentionPolicy: policy }), {
      namespace: ns,
    })
    await until(async () => (await getSet('gone')).status?.readyReplicas === 3, 'gone 3/3 ready')
    await client.patch(STATEFUL_SETS, 'gone', { namespace: ns, type: 'merge', body: { spec: { replicas: 1 } } })
    // The garbage collector deletes them; the pvc-protection finalizer (no controller for it runs
    // here) keeps the objects, marked for deletion.
    const live = async () =>
      (await client.list<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS, { namespace: ns })).items
        .filter(c => c.metadata.name!.startsWith('www-gone-') && !c.metadata.deletionTimestamp)
        .map(c => c.metadata.name)
    await until(async () => (await live()).length === 1, 'claims of removed pods deleted')
    assert.deepEqual(await live(), ['www-gone-0'])
    assert.deepEqual(await podNames('gone'), ['gone-0'])
  } finally {
    stopAgent()
  }
})

test('--cascade=orphan keeps the pods, and a new set with the same selector adopts them', async () => {
  const stopAgent = autoReady('orph')
  try {
    await client.create(STATEFUL_SETS, webSet('orph', 2), { namespace: ns })
    await until(async () => (await getSet('orph')).status?.readyReplicas === 2, 'orph 2/2 ready')
    const before = await listPods('orph')
    await client.delete(STATEFUL_SETS, 'orph', { namespace: ns, propagationPolicy: 'Orphan' })
    await until(async () => (await listPods('orph')).every(p => !getControllerOf(p)), 'pods orphaned')
    await until(() => getSet('orph').then(() => false, isNotFound), 'orph gone') // kubectl waits for the 404 too

    const created = await client.create(STATEFUL_SETS, webSet('orph', 2), { namespace: ns })
    await until(
      async () => (await listPods('orph')).every(p => getControllerOf(p)?.uid === created.metadata.uid),
      'pods adopted',
    )
    const after = await listPods('orph')
    assert.deepEqual(
      after.map(p => p.metadata.uid),
      before.map(p => p.metadata.uid),
      'the same pods, not replacements',
    )
    await until(async () => (await getSet('orph')).status?.readyReplicas === 2, 'status counts adopted pods')
  } finally {
    stopAgent()
  }
})

test('a 1000-replica Parallel set creates all its pods', async () => {
  await client.create(STATEFUL_SETS, webSet('big', 1000, { podManagementPolicy: 'Parallel' }), { namespace: ns })
  await until(async () => (await getSet('big')).status?.replicas === 1000, 'status counts 1000 pods', 60_000)
  assert.equal((await listPods('big')).length, 1000)
})
