/**
 * The Deployment and ReplicaSet controllers against the real API server: creation, a rolling
 * update within maxSurge/maxUnavailable, revisions, rollback by template, /scale, Recreate
 * ordering, and a bare ReplicaSet adopting, releasing and choosing victims. The test acts as the
 * node agent (it marks pods ready). Tests run in order and share the Deployment "web".
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { ReplicaSet } from '../../src/api/apps.js'
import type { Pod } from '../../src/api/pod.js'
import { DEPLOYMENTS, PODS, REPLICA_SETS } from '../../src/client/resources.js'
import {
  deployment,
  type Harness,
  isReady,
  markReady,
  rollOut,
  startHarness,
  until,
  views,
} from './deployment-harness.js'

let h: Harness
let v: ReturnType<typeof views>
const ns = 'deploy-test'
const revision = (rs: ReplicaSet) => rs.metadata.annotations?.['deployment.kubernetes.io/revision']
const byRevision = async (selector: string) =>
  Object.fromEntries((await v.replicaSets(selector)).map(rs => [revision(rs)!, rs]))

before(async () => {
  h = await startHarness(ns)
  v = views(h)
})
after(() => h.stop())

test('a Deployment creates a ReplicaSet and three pods, and becomes Available once they are ready', async () => {
  await h.client.create(DEPLOYMENTS, deployment('web', ns, 3, 'nginx:1.25'))
  const rs = await until(async () => (await v.replicaSets('app=web'))[0], 'the ReplicaSet')
  const hash = rs.metadata.labels!['pod-template-hash']!
  assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/)
  assert.equal(rs.metadata.name, `web-${hash}`)
  assert.deepEqual(rs.spec.selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } })
  assert.equal(rs.spec.replicas, 3)
  assert.deepEqual(
    rs.metadata.ownerReferences?.map(r => [r.kind, r.name, r.controller, r.blockOwnerDeletion]),
    [['Deployment', 'web', true, true]],
  )
  assert.equal(revision(rs), '1')
  assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '3')
  assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '4')

  const pods = await until(async () => {
    const p = await v.pods('app=web')
    return p.length === 3 && p
  }, 'three pods')
  for (const p of pods) {
    assert.ok(p.metadata.name!.startsWith(`web-${hash}-`))
    assert.equal(p.metadata.labels?.['pod-template-hash'], hash)
    assert.deepEqual(
      p.metadata.ownerReferences?.map(r => [r.kind, r.name, r.controller]),
      [['ReplicaSet', rs.metadata.name, true]],
    )
  }
  const d = await rollOut(h, 'web')
  assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1')
  assert.deepEqual(
    d.status?.conditions?.map(c => [c.type, c.status, c.reason]),
    [
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ],
  )
  assert.equal(d.status?.readyReplicas, 3)
  assert.equal(d.status?.unavailableReplicas, undefined)

  const events = await until(async () => {
    const e = [...(await v.events('deployment-controller')), ...(await v.events('replicaset-controller'))]
    return e.length >= 4 && e
  }, 'events')
  const messages = events.map(e => `${e.reason}: ${e.message}`)
  assert.ok(
    messages.includes(`ScalingReplicaSet: Scaled up replica set ${rs.metadata.name} from 0 to 3`),
    messages.join('\n'),
  )
  for (const p of pods) assert.ok(messages.includes(`SuccessfulCreate: Created pod: ${p.metadata.name}`))
})

test('a template change rolls out within maxSurge 1 / maxUnavailable 0 and ends with the old ReplicaSet at 0', async () => {
  // Watch from now: every ReplicaSet size and every pod readiness the rollout passes through.
  const rv = (await h.client.list(PODS, { namespace: ns })).metadata.resourceVersion
  const stopWatch = new AbortController()
  const sizes = new Map<string, number>()
  let maxTotal = 0
  const rsWatch = (async () => {
    for await (const ev of h.client.watch<ReplicaSet>(REPLICA_SETS, {
      namespace: ns,
      resourceVersion: rv,
      signal: stopWatch.signal,
    })) {
      if (ev.type === 'DELETED') sizes.delete(ev.object.metadata.name!)
      else if (ev.object.metadata.labels?.app === 'web')
        sizes.set(ev.object.metadata.name!, ev.object.spec.replicas ?? 0)
      maxTotal = Math.max(
        maxTotal,
        [...sizes.values()].reduce((a, b) => a + b, 0),
      )
    }
  })()
  const ready = new Map<string, boolean>()
  let minReady = Number.POSITIVE_INFINITY
  const podWatch = (async () => {
    for (const p of await v.pods('app=web')) ready.set(p.metadata.name!, isReady(p))
    for await (const ev of h.client.watch<Pod>(PODS, {
      namespace: ns,
      resourceVersion: rv,
      signal: stopWatch.signal,
    })) {
      if (ev.object.metadata.labels?.app !== 'web') continue
      if (ev.type === 'DELETED') ready.delete(ev.object.metadata.name!)
      else ready.set(ev.object.metadata.name!, isReady(ev.object) && !ev.object.metadata.deletionTimestamp)
      minReady = Math.min(minReady, [...ready.values()].filter(Boolean).length)
    }
  })()

  await h.client.patch(DEPLOYMENTS, 'web', {
    namespace: ns,
    type: 'strategic',
    body: {
      metadata: { annotations: { 'kubernetes.io/change-cause': 'image 1.26' } },
      spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } } },
    },
  })
  const d = await rollOut(h, 'web')
  stopWatch.abort()
  await Promise.all([rsWatch, podWatch])

  assert.ok(maxTotal <= 4, `ReplicaSets summed to ${maxTotal} > replicas + maxSurge`)
  assert.ok(minReady >= 3, `only ${minReady} ready pods < replicas - maxUnavailable`)
  const rss = await byRevision('app=web')
  assert.deepEqual(Object.keys(rss).sort(), ['1', '2'])
  assert.equal(rss['1']!.spec.replicas, 0)
  assert.equal(rss['2']!.spec.replicas, 3)
  assert.equal(rss['2']!.spec.template.spec.containers[0]!.image, 'nginx:1.26')
  assert.equal(rss['2']!.metadata.annotations?.['kubernetes.io/change-cause'], 'image 1.26')
  assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '2')
  const pods = await until(async () => {
    const p = await v.pods('app=web')
    return p.length === 3 && p
  }, 'old pods gone')
  assert.ok(pods.every(p => p.spec.containers[0]!.image === 'nginx:1.26'))
})

test('patching the template back reuses the old ReplicaSet and moves it to revision 3', async () => {
  const before = await byRevision('app=web')
  await h.client.patch(DEPLOYMENTS, 'web', {
    namespace: ns,
    type: 'json',
    body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.25' }],
  })
  const d = await rollOut(h, 'web')
  const rss = await byRevision('app=web')
  assert.deepEqual(Object.keys(rss).sort(), ['2', '3'], 'no third ReplicaSet')
  assert.equal(rss['3']!.metadata.name, before['1']!.metadata.name)
  assert.equal(rss['3']!.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1')
  assert.equal(rss['3']!.spec.replicas, 3)
  assert.equal(rss['2']!.spec.replicas, 0)
  assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '3')
})

test('/scale resizes the active ReplicaSet and its replica annotations', async () => {
  const scale = await h.client.getScale(DEPLOYMENTS, 'web', { namespace: ns })
  assert.equal(scale.spec.replicas, 3)
  await h.client.updateScale(DEPLOYMENTS, { ...scale, spec: { replicas: 5 } }, { namespace: ns })
  await rollOut(h, 'web')
  const active = (await v.replicaSets('app=web')).filter(rs => (rs.spec.replicas ?? 0) > 0)
  assert.equal(active.length, 1)
  assert.equal(active[0]!.spec.replicas, 5)
  assert.equal(active[0]!.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '5')
  assert.equal(active[0]!.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '7')
  const messages = (await v.events('deployment-controller')).map(e => e.message)
  assert.ok(messages.includes(`Scaled up replica set ${active[0]!.metadata.name} from 3 to 5`), messages.join('\n'))

  const again = await h.client.getScale(DEPLOYMENTS, 'web', { namespace: ns })
  await h.client.updateScale(DEPLOYMENTS, { ...again, spec: { replicas: 2 } }, { namespace: ns })
  await until(async () => (await v.pods('app=web')).length === 2, 'scale down to 2 pods')
  const status = (await h.client.getScale(DEPLOYMENTS, 'web', { namespace: ns })).status
  assert.equal(status?.selector, 'app=web')
})

test('Recreate removes every old pod before the new ReplicaSet exists', async () => {
  // Scheduled pods are deleted gracefully: they stay, marked, until the node agent (this test) finishes.
  const spec = deployment('batch', ns, 2, 'busybox:1', { strategy: { type: 'Recreate' } })
  spec.spec.template.spec.nodeName = 'node-1'
  await h.client.create(DEPLOYMENTS, spec)
  await rollOut(h, 'batch')
  await h.client.patch(DEPLOYMENTS, 'batch', {
    namespace: ns,
    type: 'json',
    body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'busybox:2' }],
  })
  const terminating = await until(async () => {
    const p = await v.pods('app=batch')
    return p.length === 2 && p.every(x => x.metadata.deletionTimestamp) && p
  }, 'old pods marked for deletion')
  assert.equal((await v.replicaSets('app=batch')).length, 1, 'no new ReplicaSet while old pods remain')
  for (const p of terminating) {
    await h.client.delete(PODS, p.metadata.name!, { namespace: ns, gracePeriodSeconds: 0 })
  }
  const d = await rollOut(h, 'batch')
  const rss = await byRevision('app=batch')
  assert.equal(rss['1']!.spec.replicas, 0)
  assert.equal(rss['2']!.spec.replicas, 2)
  assert.equal(d.status?.updatedReplicas, 2)
  const pods = await v.pods('app=batch')
  assert.ok(pods.every(p => p.spec.containers[0]!.image === 'busybox:2'))
})

test('a ReplicaSet adopts a matching orphan, releases a pod relabelled away, and deletes not-ready pods first', async () => {
  const labels = { app: 'orphan' }
  const orphan = await h.client.create<Pod>(PODS, {
    metadata: { name: 'stray-1', namespace: ns, labels },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  })
  await markReady(h.client, orphan)
  await h.client.create<ReplicaSet>(REPLICA_SETS, {
    metadata: { name: 'orphans', namespace: ns },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    },
  })
  const owned = await until(async () => {
    const pods = await v.pods('app=orphan')
    return pods.length === 2 && pods.every(p => p.metadata.ownerReferences?.[0]?.name === 'orphans') && pods
  }, 'the orphan adopted and one pod created')
  const adopted = owned.find(p => p.metadata.name === 'stray-1')!
  assert.deepEqual(adopted.metadata.ownerReferences, [
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: 'orphans',
      uid: adopted.metadata.ownerReferences![0]!.uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ])

  await h.client.patch(PODS, 'stray-1', {
    namespace: ns,
    type: 'merge',
    body: { metadata: { labels: { app: 'elsewhere' } } },
  })
  await until(
    async () => !(await h.client.get<Pod>(PODS, 'stray-1', { namespace: ns })).metadata.ownerReferences?.length,
    'release',
  )
  const replaced = await until(async () => {
    const pods = await v.pods('app=orphan')
    return pods.length === 2 && pods
  }, 'a replacement pod')

  // One ready, one not: scaling to 1 deletes the not-ready one.
  await markReady(h.client, replaced[0]!)
  const keep = replaced[0]!.metadata.name
  const rs = await h.client.get<ReplicaSet>(REPLICA_SETS, 'orphans', { namespace: ns })
  await until(
    async () =>
      (await h.client.get<ReplicaSet>(REPLICA_SETS, 'orphans', { namespace: ns })).status?.readyReplicas === 1,
    'ready count',
  )
  await h.client.patch(REPLICA_SETS, 'orphans', { namespace: ns, type: 'merge', body: { spec: { replicas: 1 } } })
  const left = await until(async () => {
    const pods = await v.pods('app=orphan')
    return pods.length === 1 && pods
  }, 'scale down to 1')
  assert.equal(left[0]!.metadata.name, keep)
  const status = (await h.client.get<ReplicaSet>(REPLICA_SETS, 'orphans', { namespace: ns })).status
  assert.equal(status?.observedGeneration, (rs.metadata.generation ?? 0) + 1)
  const messages = (await v.events('replicaset-controller')).map(e => e.message)
  assert.ok(
    messages.some(m => m?.startsWith('Deleted pod: ')),
    messages.join('\n'),
  )
})
