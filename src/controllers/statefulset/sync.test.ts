/**
 * Scaling behaviour of whole syncs in a simulated world (FakeWorld), named after the upstream e2e
 * cases they mirror (statefulset.md §10). The test plays the node agent; every step ends with the
 * invariant check of invariants.ts.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ControllerRevisionHashLabel, PodIndexLabel, StatefulSetPodNameLabel } from '../../api/apps.js'
import { FakeWorld } from './fake-pod-control.js'
import { newStatefulSet } from './fixtures.js'
import { settle, step } from './invariants.js'

describe('OrderedReady scaling', () => {
  test('OrderedReady creates web-1 only after web-0 is Running and Ready', async () => {
    const w = new FakeWorld(newStatefulSet('web', 2))
    assert.deepEqual((await step(w)).calls, ['create pod web-0'])
    assert.deepEqual((await step(w)).calls, [], 'web-0 is Pending: nothing happens')
    w.unready('web-0')
    assert.deepEqual((await step(w)).calls, [], 'Running but not Ready: still nothing')
    w.ready('web-0')
    assert.deepEqual((await step(w)).calls, ['create pod web-1'])
    assert.deepEqual(w.podNames(), ['web-0', 'web-1'])
    assert.deepEqual(
      w.events.map(e => `${e.type} ${e.reason} ${e.message}`),
      [
        'Normal SuccessfulCreate create Pod web-0 in StatefulSet web successful',
        'Normal SuccessfulCreate create Pod web-1 in StatefulSet web successful',
      ],
    )
  })

  test('Scaling should happen in predictable order and halt if any stateful pod is unhealthy', async () => {
    const w = new FakeWorld(newStatefulSet('ss', 1))
    w.gracefulDelete = true
    await settle(w)
    w.unready('ss-0')
    w.updateSpec(s => (s.replicas = 3))
    for (let i = 0; i < 3; i++) assert.deepEqual((await step(w)).calls, [], 'halted while ss-0 is unhealthy')
    w.ready('ss-0')
    const created: string[] = []
    for (let i = 0; i < 6; i++) {
      const { calls } = await step(w)
      created.push(...calls.filter(c => c.startsWith('create pod')))
      for (const name of w.pods.keys()) w.ready(name)
    }
    assert.deepEqual(created, ['create pod ss-1', 'create pod ss-2'])

    for (const name of w.pods.keys()) w.unready(name)
    w.updateSpec(s => (s.replicas = 0))
    for (let i = 0; i < 3; i++) assert.deepEqual((await step(w)).calls, [], 'no deletion while all are unhealthy')
    for (const name of w.pods.keys()) w.ready(name)
    const deleted: string[] = []
    for (let i = 0; i < 8; i++) {
      const { calls } = await step(w)
      deleted.push(...calls)
      assert.ok([...w.pods.values()].filter(p => p.metadata.deletionTimestamp).length <= 1, 'one terminating at a time')
      if (i % 2 === 1) w.finishAllDeletions()
    }
    assert.deepEqual(deleted, ['delete pod ss-2', 'delete pod ss-1', 'delete pod ss-0'])
    assert.equal(w.set!.status!.replicas, 0)
  })

  test("should not deadlock when a pod's predecessor fails", async () => {
    const w = new FakeWorld(newStatefulSet('ss', 2))
    await settle(w)
    w.unready('ss-1')
    w.pods.delete('ss-0') // deleted with grace 0
    assert.deepEqual((await step(w)).calls, ['create pod ss-0'])
  })

  test('a scale-down may delete the first unhealthy pod, but two unhealthy pods halt it', async () => {
    const w = new FakeWorld(newStatefulSet('web', 3))
    await settle(w)
    w.updateSpec(s => (s.replicas = 1))
    w.unready('web-2')
    assert.deepEqual((await step(w)).calls, ['delete pod web-2'], 'web-2 is the first unhealthy pod')
    w.unready('web-0')
    assert.deepEqual((await step(w)).calls, [], 'web-0 unhealthy blocks in the replica pass')
  })

  test('Should recreate evicted statefulset: a Failed pod is deleted, then recreated once gone', async () => {
    const w = new FakeWorld(newStatefulSet('ss', 1))
    w.gracefulDelete = true
    await settle(w)
    const oldUid = w.pod('ss-0').metadata.uid
    w.phase('ss-0', 'Failed')
    assert.deepEqual((await step(w)).calls, ['delete pod ss-0'])
    assert.deepEqual((await step(w)).calls, [], 'no replacement while the old object exists')
    w.finishDeletion('ss-0')
    assert.deepEqual((await step(w)).calls, ['create pod ss-0'])
    assert.notEqual(w.pod('ss-0').metadata.uid, oldUid)
    assert.ok(!w.events.some(e => e.reason.startsWith('Recreating')), 'no RecreatingFailedPod event (1.31+)')
  })

  test('ordinals.start: pods are numbered from start, and moving start replaces pods in order', async () => {
    const w = new FakeWorld(newStatefulSet('ss', 2, { ordinals: { start: 2 } }))
    await settle(w)
    assert.deepEqual(w.podNames(), ['ss-2', 'ss-3'])
    w.updateSpec(s => (s.ordinals = { start: 4 }))
    const calls: string[] = []
    for (let i = 0; i < 10; i++) {
      calls.push(...(await step(w)).calls)
      for (const name of w.pods.keys()) if (w.pods.get(name)!.status?.phase === 'Pending') w.ready(name)
    }
    assert.deepEqual(calls, ['create pod ss-4', 'create pod ss-5', 'delete pod ss-3', 'delete pod ss-2'])
    assert.deepEqual(w.podNames(), ['ss-4', 'ss-5'])
  })
})

describe('Parallel scaling', () => {
  test('Burst scaling should run to completion even with unhealthy pods', async () => {
    const w = new FakeWorld(newStatefulSet('ss', 1, { podManagementPolicy: 'Parallel' }))
    await step(w)
    w.unready('ss-0')
    w.updateSpec(s => (s.replicas = 3))
    assert.deepEqual((await step(w)).calls, ['create pod ss-1', 'create pod ss-2'])
    w.updateSpec(s => (s.replicas = 0))
    assert.deepEqual((await step(w)).calls.sort(), ['delete pod ss-0', 'delete pod ss-1', 'delete pod ss-2'])
    await step(w)
    assert.equal(w.set!.status!.replicas, 0)
  })

  test('Parallel creates in slow-start batches of 1, 2, 4, … and stops after a failing batch', async () => {
    const w = new ConcurrencyWorld(newStatefulSet('ss', 10, { podManagementPolicy: 'Parallel' }))
    w.failOn('create pod', 5, new Error('quota exceeded'))
    await step(w, { fails: true })
    assert.deepEqual(w.batches, [1, 2, 4], 'the batch holding the 5th create fails; the 4th batch never starts')
    assert.equal(w.pods.size, 6)
    assert.ok(w.events.some(e => e.reason === 'FailedCreate' && e.message.endsWith('failed error: quota exceeded')))
    w.batches.length = 0
    await step(w)
    assert.deepEqual(w.batches, [1, 3], 'the next sync creates the 4 missing pods in the batches of their slots')
    assert.equal(w.pods.size, 10)
  })

  test('a 1000-replica Parallel set creates every pod in one sync, at most 500 at once', async () => {
    const w = new ConcurrencyWorld(newStatefulSet('big', 1000, { podManagementPolicy: 'Parallel' }))
    await step(w)
    assert.equal(w.pods.size, 1000)
    assert.deepEqual(w.batches, [1, 2, 4, 8, 16, 32, 64, 128, 256, 489])
  })
})

describe('identity and adoption', () => {
  test('pods carry the pod-name, pod-index and revision labels, hostname and subdomain', async () => {
    const w = new FakeWorld(newStatefulSet('web', 1))
    await step(w)
    const pod = w.pod('web-0')
    assert.equal(pod.metadata.labels![StatefulSetPodNameLabel], 'web-0')
    assert.equal(pod.metadata.labels![PodIndexLabel], '0')
    assert.equal(pod.metadata.labels![ControllerRevisionHashLabel], w.set!.status!.updateRevision)
    assert.equal(pod.spec.hostname, 'web-0')
    assert.equal(pod.spec.subdomain, 'nginx')
    assert.deepEqual(pod.metadata.ownerReferences, [
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        name: 'web',
        uid: 'web-uid',
        controller: true,
        blockOwnerDeletion: true,
      },
    ])
  })

  test('identity repair restores a removed pod-name label with a pod update', async () => {
    const w = new FakeWorld(newStatefulSet('web', 1))
    await settle(w)
    delete w.pod('web-0').metadata.labels![StatefulSetPodNameLabel]
    assert.deepEqual((await step(w)).calls, ['update pod web-0'])
    assert.equal(w.pod('web-0').metadata.labels![StatefulSetPodNameLabel], 'web-0')
    assert.equal(w.events.at(-1)!.message, 'update Pod web-0 in StatefulSet web successful')
  })

  test('should adopt matching orphans and release non-matching pods', async () => {
    const w = new FakeWorld(newStatefulSet('web', 1))
    await settle(w)
    w.pod('web-0').metadata.ownerReferences = []
    assert.deepEqual((await step(w)).calls, ['adopt pod web-0'])
    assert.equal(w.pod('web-0').metadata.ownerReferences![0]!.uid, 'web-uid')
    w.pod('web-0').metadata.labels = { other: 'x' }
    assert.ok((await step(w)).calls.includes('release pod web-0'))
    assert.deepEqual(w.pod('web-0').metadata.ownerReferences, [])
  })

  test('a pod name held by another owner is retried later, without an event', async () => {
    const w = new FakeWorld(newStatefulSet('web', 1))
    w.pods.set('web-0', {
      metadata: {
        name: 'web-0',
        namespace: 'default',
        uid: 'foreign',
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'x', controller: true }],
      },
      spec: { containers: [] },
      status: { phase: 'Running' },
    })
    const { calls, result } = await step(w)
    assert.deepEqual(calls, ['create pod web-0'])
    assert.equal(result!.requeueAfterMs, 1000)
    assert.deepEqual(w.events, [])
  })
})

describe('status', () => {
  test('steady state: all counters at replicas, current == update revision, written only on change', async () => {
    const w = new FakeWorld(newStatefulSet('web', 3))
    await settle(w)
    const s = w.set!.status!
    assert.equal(s.observedGeneration, 1)
    assert.deepEqual(
      [s.replicas, s.readyReplicas, s.availableReplicas, s.currentReplicas, s.updatedReplicas],
      [3, 3, 3, 3, 3],
    )
    assert.equal(s.currentRevision, s.updateRevision)
    assert.match(s.currentRevision!, /^web-[4-9bcdf]{1,10}$/)
    assert.equal(s.collisionCount, 0)
    const from = w.calls.length
    await w.sync()
    assert.deepEqual(w.calls.slice(from), [], 'nothing changed: no status write')
  })

  test('minReadySeconds: web-1 waits until web-0 is available, and the sync asks to look again', async () => {
    const w = new FakeWorld(newStatefulSet('web', 2, { minReadySeconds: 30 }))
    await step(w)
    w.ready('web-0')
    const { calls, result } = await step(w)
    assert.deepEqual(calls, [])
    assert.equal(result!.requeueAfterMs, 30_000)
    assert.equal(w.set!.status!.availableReplicas, 0)
    w.now += 31_000
    assert.deepEqual((await step(w)).calls, ['create pod web-1'])
    assert.equal(w.set!.status!.availableReplicas, 1)
  })
})

/** FakeWorld that yields inside createPod and records the size of each concurrent batch. */
class ConcurrencyWorld extends FakeWorld {
  readonly batches: number[] = []
  private inFlight = 0
  private current = 0

  override async createPod(pod: Parameters<FakeWorld['createPod']>[0]): Promise<boolean> {
    if (this.inFlight === 0) this.current = 0
    this.inFlight++
    this.current++
    await new Promise(r => setImmediate(r))
    if (this.inFlight === this.current) this.batches.push(this.current)
    this.inFlight--
    return super.createPod(pod)
  }
}
