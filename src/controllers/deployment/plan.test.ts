/**
 * Sync decisions, table-tested with upstream's cases: scale() (sync_test.go TestScale),
 * cleanupDeployment, oldPodsRunning (recreate_test.go), and the new ReplicaSet's shape.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Deployment, ReplicaSet } from '../../api/apps.js'
import type { Pod } from '../../api/pod.js'
import { setReplicasAnnotations } from './annotations.js'
import { computeHash } from './hash.js'
import { isScalingEvent, newReplicaSetFor, oldPodsRunning, planCleanup, planScale } from './plan.js'
import { maxSurge } from './rolling.js'
import { newDeployment, rs } from './testing.js'

const newer = '2016-05-20T02:00:00Z'
const old = '2016-05-20T01:00:00Z'
const older = '2016-05-20T00:00:00Z'

describe('planScale (TestScale)', () => {
  const relabelled = (n: number) => {
    const d = newDeployment(n)
    d.spec.template.metadata!.labels!.another = 'label'
    return d
  }
  const cases: {
    name: string
    d: Deployment
    was: Deployment
    newRS?: ReplicaSet
    oldRSs: ReplicaSet[]
    want: Record<string, number>
    desired?: Record<string, number>
  }[] = [
    {
      name: 'normal scaling event: 10 -> 12',
      d: newDeployment(12),
      was: newDeployment(10),
      newRS: rs('foo-v1', 10, { created: newer }),
      oldRSs: [],
      want: { 'foo-v1': 12 },
    },
    {
      name: 'normal scaling event: 10 -> 5',
      d: newDeployment(5),
      was: newDeployment(10),
      newRS: rs('foo-v1', 10, { created: newer }),
      oldRSs: [],
      want: { 'foo-v1': 5 },
    },
    {
      name: 'proportional scaling: 5 -> 10',
      d: newDeployment(10),
      was: newDeployment(5),
      newRS: rs('foo-v2', 2, { created: newer }),
      oldRSs: [rs('foo-v1', 3, { created: old })],
      want: { 'foo-v2': 4, 'foo-v1': 6 },
    },
    {
      name: 'proportional scaling: 5 -> 3',
      d: newDeployment(3),
      was: newDeployment(5),
      newRS: rs('foo-v2', 2, { created: newer }),
      oldRSs: [rs('foo-v1', 3, { created: old })],
      want: { 'foo-v2': 1, 'foo-v1': 2 },
    },
    {
      name: 'proportional scaling: 9 -> 4',
      d: newDeployment(4),
      was: newDeployment(9),
      newRS: rs('foo-v2', 8, { created: newer }),
      oldRSs: [rs('foo-v1', 1, { created: old })],
      want: { 'foo-v2': 4, 'foo-v1': 0 },
    },
    {
      name: 'proportional scaling: 7 -> 10',
      d: newDeployment(10),
      was: newDeployment(7),
      newRS: rs('foo-v3', 2, { created: newer }),
      oldRSs: [rs('foo-v2', 3, { created: old }), rs('foo-v1', 2, { created: older })],
      want: { 'foo-v3': 3, 'foo-v2': 4, 'foo-v1': 3 },
    },
    {
      name: 'proportional scaling: 13 -> 8',
      d: newDeployment(8),
      was: newDeployment(13),
      newRS: rs('foo-v3', 2, { created: newer }),
      oldRSs: [rs('foo-v2', 8, { created: old }), rs('foo-v1', 3, { created: older })],
      want: { 'foo-v3': 1, 'foo-v2': 5, 'foo-v1': 2 },
    },
    {
      name: 'leftover distribution: 3 -> 4 (newest first)',
      d: newDeployment(4),
      was: newDeployment(3),
      newRS: rs('foo-v3', 1, { created: newer }),
      oldRSs: [rs('foo-v2', 1, { created: old }), rs('foo-v1', 1, { created: older })],
      want: { 'foo-v3': 2, 'foo-v2': 1, 'foo-v1': 1 },
    },
    {
      name: 'leftover distribution: 3 -> 2 (oldest first)',
      d: newDeployment(2),
      was: newDeployment(3),
      newRS: rs('foo-v3', 1, { created: newer }),
      oldRSs: [rs('foo-v2', 1, { created: old }), rs('foo-v1', 1, { created: older })],
      want: { 'foo-v3': 1, 'foo-v2': 1, 'foo-v1': 0 },
    },
    {
      name: 'proportional scaling (no new rs): 4 -> 5',
      d: newDeployment(5),
      was: newDeployment(4),
      oldRSs: [rs('foo-v2', 2, { created: old }), rs('foo-v1', 2, { created: older })],
      want: { 'foo-v2': 3, 'foo-v1': 2 },
    },
    {
      name: 'proportional scaling: 6 -> 0',
      d: newDeployment(0),
      was: newDeployment(6),
      newRS: rs('foo-v3', 3, { created: newer }),
      oldRSs: [rs('foo-v2', 2, { created: old }), rs('foo-v1', 1, { created: older })],
      want: { 'foo-v3': 0, 'foo-v2': 0, 'foo-v1': 0 },
    },
    {
      name: 'proportional scaling: 0 -> 6',
      d: newDeployment(6),
      was: newDeployment(6),
      newRS: rs('foo-v3', 0, { created: newer }),
      oldRSs: [rs('foo-v2', 0, { created: old }), rs('foo-v1', 0, { created: older })],
      want: { 'foo-v3': 6, 'foo-v2': 0, 'foo-v1': 0 },
    },
    {
      name: 'an older desired-replicas annotation',
      d: newDeployment(5),
      was: newDeployment(5),
      newRS: rs('foo-v3', 2, { created: newer }),
      oldRSs: [rs('foo-v2', 1, { created: old }), rs('foo-v1', 1, { created: older })],
      want: { 'foo-v3': 2, 'foo-v2': 2, 'foo-v1': 1 },
      desired: { 'foo-v2': 3 },
    },
    {
      name: 'deployment with surge pods',
      d: newDeployment(20, { maxSurge: 2 }),
      was: newDeployment(10, { maxSurge: 2 }),
      newRS: rs('foo-v2', 6, { created: newer }),
      oldRSs: [rs('foo-v1', 6, { created: old })],
      want: { 'foo-v2': 11, 'foo-v1': 11 },
    },
    {
      name: 'change both surge and size',
      d: newDeployment(50, { maxSurge: 6 }),
      was: newDeployment(10, { maxSurge: 3 }),
      newRS: rs('foo-v2', 5, { created: newer }),
      oldRSs: [rs('foo-v1', 8, { created: old })],
      want: { 'foo-v2': 22, 'foo-v1': 34 },
    },
    {
      name: 'change both size and template',
      d: relabelled(14),
      was: newDeployment(10),
      oldRSs: [rs('foo-v2', 7, { created: newer }), rs('foo-v1', 3, { created: old })],
      want: { 'foo-v2': 10, 'foo-v1': 4 },
    },
    {
      name: 'saturated but broken new replica set does not affect old pods',
      d: newDeployment(2, { maxSurge: 1, maxUnavailable: 1 }),
      was: newDeployment(2, { maxSurge: 1, maxUnavailable: 1 }),
      newRS: rs('foo-v2', 2, { created: newer, available: 0 }),
      oldRSs: [rs('foo-v1', 1, { created: old })],
      want: { 'foo-v2': 2, 'foo-v1': 1 },
    },
    {
      name: 'a saturated new replica set sends old ones to 0',
      d: newDeployment(2, { maxSurge: 1 }),
      was: newDeployment(2, { maxSurge: 1 }),
      newRS: rs('foo-v2', 2, { created: newer, available: 2 }),
      oldRSs: [rs('foo-v1', 1, { created: old })],
      want: { 'foo-v2': 2, 'foo-v1': 0 },
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      for (const x of [c.newRS, ...c.oldRSs]) {
        if (!x) continue
        const desired = c.desired?.[x.metadata.name!] ?? c.was.spec.replicas!
        setReplicasAnnotations(x, desired, desired + maxSurge(c.was))
      }
      const sizes: Record<string, number> = {}
      for (const x of [c.newRS, ...c.oldRSs]) if (x) sizes[x.metadata.name!] = x.spec.replicas!
      for (const op of planScale(c.d, c.newRS, c.oldRSs).scales) sizes[op.rs.metadata.name!] = op.to
      assert.deepEqual(sizes, c.want)
    })
  }
})

describe('planCleanup (cleanupDeployment)', () => {
  const withStatus = (name: string, spec: number, status: number) => rs(name, spec, { status })
  const deleting = { ...withStatus('foo-1', 0, 0) }
  deleting.metadata = { ...deleting.metadata, deletionTimestamp: '2025-01-01T00:00:00Z' }
  const cases: { name: string; oldRSs: ReplicaSet[]; limit: number; deletions: number }[] = [
    {
      name: 'keeps the newest history',
      oldRSs: [withStatus('foo-1', 0, 0), withStatus('foo-2', 0, 0), withStatus('foo-3', 0, 0)],
      limit: 1,
      deletions: 2,
    },
    {
      name: 'only deletes fully scaled-down ReplicaSets',
      oldRSs: [
        withStatus('foo-1', 0, 0),
        withStatus('foo-2', 0, 1),
        withStatus('foo-3', 1, 0),
        withStatus('foo-4', 1, 1),
      ],
      limit: 0,
      deletions: 1,
    },
    {
      name: 'limit 0 deletes all',
      oldRSs: [withStatus('foo-1', 0, 0), withStatus('foo-2', 0, 0)],
      limit: 0,
      deletions: 2,
    },
    {
      name: 'nothing scaled down',
      oldRSs: [withStatus('foo-1', 1, 1), withStatus('foo-2', 1, 1)],
      limit: 0,
      deletions: 0,
    },
    { name: 'already being deleted', oldRSs: [deleting], limit: 0, deletions: 0 },
    {
      name: 'unlimited history',
      oldRSs: [withStatus('foo-1', 0, 0), withStatus('foo-2', 0, 0)],
      limit: 2147483647,
      deletions: 0,
    },
  ]
  for (const c of cases) {
    it(c.name, () =>
      assert.equal(planCleanup(newDeployment(1, { historyLimit: c.limit }), c.oldRSs).length, c.deletions),
    )
  }

  it('deletes the lowest revisions first, and not before the generation is observed', () => {
    const r = (name: string, revision: string) =>
      rs(name, 0, { annotations: { 'deployment.kubernetes.io/revision': revision } })
    const unobserved = r('foo-a', '1')
    unobserved.metadata.generation = 2
    const picked = planCleanup(newDeployment(1, { historyLimit: 1 }), [r('foo-c', '7'), unobserved, r('foo-b', '3')])
    assert.deepEqual(
      picked.map(x => x.metadata.name),
      ['foo-b'],
    )
  })
})

describe('oldPodsRunning', () => {
  const withPhase = (phase: string): Pod => ({ metadata: { name: phase }, spec: { containers: [] }, status: { phase } })
  const pods = (...phases: string[]) => new Map([['foo-1-uid', phases.map(withPhase)]])
  const cases: { name: string; oldRSs: ReplicaSet[]; pods?: Map<string, Pod[]>; want: boolean }[] = [
    { name: 'no old ReplicaSets', oldRSs: [], want: false },
    { name: 'old ReplicaSets with running pods', oldRSs: [rs('foo-1', 0)], pods: pods('Running'), want: true },
    { name: 'no pods but non-zero status replicas', oldRSs: [rs('foo-1', 0, { status: 1 })], want: true },
    { name: 'no pods and zero status replicas', oldRSs: [rs('foo-1', 0)], want: false },
    { name: 'only terminal pods', oldRSs: [rs('foo-1', 0)], pods: pods('Failed', 'Succeeded'), want: false },
    { name: 'a pod in Unknown phase', oldRSs: [rs('foo-1', 0)], pods: pods('Unknown'), want: true },
    { name: 'a pending pod', oldRSs: [rs('foo-1', 0)], pods: pods('Pending'), want: true },
    {
      name: 'terminal and pending pods',
      oldRSs: [rs('foo-1', 0)],
      pods: pods('Failed', 'Succeeded', 'Pending'),
      want: true,
    },
  ]
  for (const c of cases)
    it(c.name, () => assert.equal(oldPodsRunning(undefined, c.oldRSs, c.pods ?? new Map()), c.want))

  it("ignores the new ReplicaSet's pods", () => {
    assert.equal(oldPodsRunning(rs('foo-1', 1), [], pods('Running')), false)
  })
})

describe('the new ReplicaSet', () => {
  it('is named <deployment>-<hash>, labelled and selecting by hash, controlled by the Deployment', () => {
    const d = newDeployment(3, { maxSurge: 1 })
    d.spec.minReadySeconds = 5
    const hash = computeHash(d.spec.template)
    const created = newReplicaSetFor(d)
    assert.equal(created.metadata.name, `foo-${hash}`)
    assert.deepEqual(created.metadata.labels, { foo: 'bar', 'pod-template-hash': hash })
    assert.deepEqual(created.spec.selector, { matchLabels: { foo: 'bar', 'pod-template-hash': hash } })
    assert.deepEqual(created.spec.template.metadata?.labels, { foo: 'bar', 'pod-template-hash': hash })
    assert.equal(created.spec.minReadySeconds, 5)
    assert.deepEqual(created.metadata.ownerReferences, [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'foo',
        uid: 'd-uid',
        blockOwnerDeletion: true,
        controller: true,
      },
    ])
    assert.equal(d.spec.template.metadata?.labels?.['pod-template-hash'], undefined, 'the Deployment is untouched')
  })

  it('a collision count changes the name', () => {
    const d = newDeployment(3)
    const first = newReplicaSetFor(d).metadata.name
    d.status = { collisionCount: 1 }
    assert.notEqual(newReplicaSetFor(d).metadata.name, first)
  })
})

describe('isScalingEvent', () => {
  it('an active ReplicaSet sized for another spec.replicas means a scaling event', () => {
    const a = rs('foo-1', 3, { annotations: { 'deployment.kubernetes.io/desired-replicas': '3' } })
    const idle = rs('foo-0', 0, { annotations: { 'deployment.kubernetes.io/desired-replicas': '1' } })
    assert.equal(isScalingEvent(newDeployment(3), [a, idle]), false)
    assert.equal(isScalingEvent(newDeployment(5), [a, idle]), true)
    assert.equal(isScalingEvent(newDeployment(5), [rs('foo-2', 3)]), false, 'no annotation, no opinion')
  })
})
