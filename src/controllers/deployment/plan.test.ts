/**
 * Sync decisions, table-tested with upstream's cases: cleanupDeployment (sync_test.go),
 * oldPodsRunning (recreate_test.go), scaling events, and the new ReplicaSet's shape.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ReplicaSet } from '../../api/apps.js'
import type { Pod } from '../../api/pod.js'
import { computeHash } from './hash.js'
import { isScalingEvent, newReplicaSetFor, oldPodsRunning, planCleanup } from './plan.js'
import { newDeployment, rs } from './testing.js'

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
