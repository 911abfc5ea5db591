/**
 * Updates, revisions and rollbacks of whole syncs in a simulated world (FakeWorld), named after the
 * upstream e2e cases they mirror (statefulset.md §4, §10): rolling update order, partitions,
 * OnDelete, maxUnavailable, rollback by revision reuse, history limits and name collisions.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ControllerRevisionHashLabel, type StatefulSet } from '../../api/apps.js'
import { FakeWorld } from './fake-pod-control.js'
import { newStatefulSet } from './fixtures.js'
import { isStable, settle, step } from './invariants.js'
import { getPatch, hashRevisionData, newRevision } from './revisions.js'

const image = (w: FakeWorld, name: string) => w.pod(name).spec.containers[0]!.image
const revisionOf = (w: FakeWorld, name: string) => w.pod(name).metadata.labels![ControllerRevisionHashLabel]
const setImage = (w: FakeWorld, img: string) => w.updateSpec(s => (s.template.spec.containers[0]!.image = img))

/** Syncs while playing the node agent; collects pod deletions in order. */
async function rollOut(w: FakeWorld, max = 40): Promise<string[]> {
  const deleted: string[] = []
  for (let i = 0; i < max; i++) {
    const { calls } = await step(w)
    deleted.push(...calls.filter(c => c.startsWith('delete pod')).map(c => c.slice('delete pod '.length)))
    if (calls.length === 0 && isStable(w)) break
    for (const name of w.pods.keys()) if (w.pods.get(name)!.status?.phase === 'Pending') w.ready(name)
    w.finishAllDeletions()
  }
  return deleted
}

describe('rolling updates', () => {
  test('should perform rolling updates and roll backs of template modifications', async () => {
    const w = new FakeWorld(newStatefulSet('ss2', 3))
    await settle(w)
    const first = w.set!.status!.currentRevision!
    assert.equal(w.set!.status!.updateRevision, first)
    for (const name of w.pods.keys()) assert.equal(revisionOf(w, name), first)

    w.unready('ss2-1')
    setImage(w, 'nginx:1.10')
    const { calls } = await step(w)
    assert.ok(!calls.some(c => c.startsWith('delete')), 'no update while ss2-1 is unready')
    const second = w.set!.status!.updateRevision!
    assert.notEqual(second, first)
    assert.equal(w.set!.status!.currentRevision, first)
    w.ready('ss2-1')
    assert.deepEqual(await rollOut(w), ['ss2-2', 'ss2-1', 'ss2-0'], 'highest ordinal first, one at a time')
    assert.equal(w.set!.status!.currentRevision, second)
    for (const name of w.pods.keys()) {
      assert.equal(image(w, name), 'nginx:1.10')
      assert.equal(revisionOf(w, name), second)
    }

    setImage(w, 'nginx:1.9.1') // roll back
    const { calls: back } = await step(w)
    assert.equal(w.set!.status!.updateRevision, first, 'the prior revision is reused, not recreated')
    assert.equal(w.revisions.size, 2)
    assert.equal(w.revisions.get(first)!.revision, 3, 'renumbered to max+1')
    assert.deepEqual(back, [`renumber revision ${first} 3`, 'delete pod ss2-2'])
    assert.deepEqual(await rollOut(w), ['ss2-1', 'ss2-0'])
    assert.equal(w.set!.status!.currentRevision, first)
    for (const name of w.pods.keys()) assert.equal(image(w, name), 'nginx:1.9.1')
  })

  test('should perform canary updates and phased rolling updates of template modifications', async () => {
    const w = new FakeWorld(newStatefulSet('ss2', 3))
    await settle(w)
    const first = w.set!.status!.currentRevision!
    w.updateSpec(s => (s.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 3 } }))
    setImage(w, 'nginx:1.10')
    assert.deepEqual(await rollOut(w), [], 'partition 3 of 3: a new revision, no pod changed')
    const second = w.set!.status!.updateRevision!
    assert.notEqual(second, first)

    w.updateSpec(s => (s.updateStrategy!.rollingUpdate!.partition = 2))
    assert.deepEqual(await rollOut(w), ['ss2-2'], 'canary: only the ordinal at the partition')
    assert.equal(revisionOf(w, 'ss2-2'), second)

    w.pods.delete('ss2-0')
    w.pods.delete('ss2-2')
    await rollOut(w)
    assert.equal(revisionOf(w, 'ss2-0'), first, 'below the partition a deleted pod comes back at the current revision')
    assert.equal(revisionOf(w, 'ss2-2'), second, 'at or above it, at the update revision')

    w.updateSpec(s => (s.updateStrategy!.rollingUpdate!.partition = 1))
    assert.deepEqual(await rollOut(w), ['ss2-1'])
    w.updateSpec(s => (s.updateStrategy!.rollingUpdate!.partition = 0))
    assert.deepEqual(await rollOut(w), ['ss2-0'])
    assert.equal(w.set!.status!.currentRevision, second)
    assert.equal(w.set!.status!.updateRevision, second)
  })

  test('should implement legacy replacement when the update strategy is OnDelete', async () => {
    const w = new FakeWorld(newStatefulSet('ss2', 3, { updateStrategy: { type: 'OnDelete' } }))
    await settle(w)
    const first = w.set!.status!.currentRevision!
    setImage(w, 'nginx:1.10')
    assert.deepEqual(await rollOut(w), [], 'OnDelete: a template change deletes nothing')
    const second = w.set!.status!.updateRevision!
    for (const name of [...w.pods.keys()]) w.pods.delete(name)
    await rollOut(w)
    for (const name of w.pods.keys()) {
      assert.equal(revisionOf(w, name), second)
      assert.equal(image(w, name), 'nginx:1.10')
    }
    assert.equal(w.set!.status!.currentRevision, first, 'QUIRK: OnDelete never promotes currentRevision')
  })

  test('RollingUpdate without a rollingUpdate object recreates deleted pods below currentReplicas at the old revision', async () => {
    const w = new FakeWorld(newStatefulSet('ss', 3, { updateStrategy: { type: 'RollingUpdate' } }))
    await settle(w)
    const first = w.set!.status!.currentRevision!
    w.unready('ss-2')
    setImage(w, 'nginx:1.10')
    await step(w)
    w.pods.delete('ss-0')
    await step(w)
    assert.equal(revisionOf(w, 'ss-0'), first, 'QUIRK §4.3')
  })

  test('a broken update blocks at the unready pod; reverting and deleting it recovers', async () => {
    const w = new FakeWorld(newStatefulSet('web', 3))
    await settle(w)
    setImage(w, 'nginx:broken')
    await step(w) // deletes web-2
    await step(w) // recreates web-2
    w.unready('web-2')
    for (let i = 0; i < 3; i++) assert.deepEqual((await step(w)).calls, [], 'blocked at web-2')
    setImage(w, 'nginx:1.9.1')
    w.pods.delete('web-2')
    await rollOut(w)
    assert.equal(image(w, 'web-2'), 'nginx:1.9.1')
  })
})

describe("maxUnavailable (petset enables upstream's gated algorithm)", () => {
  const withMax = (maxUnavailable: number | string, policy = 'OrderedReady'): StatefulSet =>
    newStatefulSet('web', 5, {
      podManagementPolicy: policy,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable } },
    })

  for (const policy of ['OrderedReady', 'Parallel']) {
    test(`${policy}: maxUnavailable 2 updates two pods at a time, highest ordinals first`, async () => {
      const w = new FakeWorld(withMax(2, policy))
      await settle(w)
      setImage(w, 'nginx:1.10')
      const { calls } = await step(w)
      assert.deepEqual(calls, ['delete pod web-4', 'delete pod web-3'])
      assert.equal(w.set!.status!.currentReplicas, 3, 'currentReplicas drops by the deletions')
      await step(w)
      const { calls: waiting } = await step(w)
      assert.deepEqual(waiting, [], 'two new pods not ready yet: budget used up')
      assert.deepEqual(await rollOut(w), ['web-2', 'web-1', 'web-0'])
      for (const name of w.pods.keys()) assert.equal(image(w, name), 'nginx:1.10')
    })
  }

  test('a percentage is taken of replicas and rounded down, but never below 1', async () => {
    const w = new FakeWorld(withMax('10%'))
    await settle(w)
    setImage(w, 'nginx:1.10')
    assert.deepEqual((await step(w)).calls, ['delete pod web-4'])
    const w2 = new FakeWorld(withMax('60%', 'Parallel'))
    await settle(w2)
    setImage(w2, 'nginx:1.10')
    assert.deepEqual((await step(w2)).calls, ['delete pod web-4', 'delete pod web-3', 'delete pod web-2'])
  })

  test('unhealthy pods below the partition use up the budget', async () => {
    const w = new FakeWorld(withMax(2, 'Parallel'))
    await settle(w)
    w.updateSpec(s => (s.updateStrategy!.rollingUpdate!.partition = 3))
    w.unready('web-0')
    setImage(w, 'nginx:1.10')
    assert.deepEqual((await step(w)).calls, ['delete pod web-4'], 'one unhealthy pod leaves room for one')
  })
})

describe('revisions', () => {
  test('revisionHistoryLimit keeps the newest unused revisions and every live one', async () => {
    const w = new FakeWorld(newStatefulSet('web', 1, { revisionHistoryLimit: 1 }))
    for (const tag of ['1', '2', '3', '4']) {
      setImage(w, `nginx:${tag}`)
      await rollOut(w)
    }
    await step(w) // the sync after promotion sees the old current revision as history
    const numbers = [...w.revisions.values()].map(r => r.revision).sort()
    assert.deepEqual(numbers, [3, 4], 'one unused revision kept, plus the live one')
  })

  test('a name collision with other data bumps collisionCount and renames the revision', async () => {
    const set = newStatefulSet('web', 1)
    const w = new FakeWorld(set)
    const wanted = newRevision(w.set!, 1, 0)
    w.revisions.set(wanted.metadata.name!, {
      ...wanted,
      metadata: { ...wanted.metadata, labels: { app: 'web' } },
      data: { spec: { template: { $patch: 'replace', metadata: { labels: { other: 'x' } } } } },
    })
    await step(w)
    assert.equal(w.set!.status!.collisionCount, 1)
    assert.equal(w.set!.status!.updateRevision, `web-${hashRevisionData(getPatch(w.set!), 1)}`)
    assert.ok(w.revisions.has(w.set!.status!.updateRevision!))
  })

  test('orphaned revisions matching the selector are adopted', async () => {
    const w = new FakeWorld(newStatefulSet('web', 1))
    const rev = newRevision(w.set!, 1, 0)
    w.revisions.set(rev.metadata.name!, { ...rev, metadata: { ...rev.metadata, ownerReferences: [] } })
    const { calls } = await step(w)
    assert.equal(calls[0], `adopt revision ${rev.metadata.name}`)
    assert.equal(w.set!.status!.updateRevision, rev.metadata.name, 'the adopted revision is reused')
  })
})
