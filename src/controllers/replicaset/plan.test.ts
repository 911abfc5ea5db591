/** The ReplicaSet plan: pod-count changes, and status counts and conditions (upstream calculateStatus). */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ReplicaSet } from '../../api/apps.js'
import type { Pod } from '../../api/pod.js'
import { calculateStatus, formatTime, isStatusCurrent, planReplicas } from './plan.js'

const now = Date.parse('2025-06-01T12:00:00Z')

function rs(replicas: number, extra: Partial<ReplicaSet['spec']> = {}): ReplicaSet {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'u', generation: 2 },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [] } },
      ...extra,
    },
  }
}

function pod(name: string, opts: { ready?: boolean; readyFor?: number; labels?: Record<string, string> } = {}): Pod {
  return {
    metadata: { name, namespace: 'ns', labels: opts.labels ?? { app: 'web', tier: 'fe' } },
    spec: { containers: [] },
    status: {
      phase: opts.ready ? 'Running' : 'Pending',
      conditions: opts.ready
        ? [{ type: 'Ready', status: 'True', lastTransitionTime: formatTime(now - (opts.readyFor ?? 60) * 1000) }]
        : [],
    },
  }
}

describe('planReplicas', () => {
  const three = [pod('a'), pod('b'), pod('c')]
  it('creates the shortfall', () => assert.deepEqual(planReplicas(rs(5), three, three, now), { create: 2, delete: [] }))
  it('caps creations at the burst', () => assert.equal(planReplicas(rs(1000), [], [], now).create, 500))
  it('does nothing at the desired count', () =>
    assert.deepEqual(planReplicas(rs(3), three, three, now), { create: 0, delete: [] }))
  it('deletes the surplus, not-ready pods first', () => {
    const pods = [pod('a', { ready: true }), pod('b'), pod('c', { ready: true })]
    const plan = planReplicas(rs(2), pods, pods, now)
    assert.deepEqual(
      plan.delete.map(p => p.metadata.name),
      ['b'],
    )
  })
  it('replicas defaults to 1', () => {
    const r = rs(0)
    delete r.spec.replicas
    assert.equal(planReplicas(r, [], [], now).create, 1)
  })
})

describe('calculateStatus', () => {
  it('counts replicas, fully labeled, ready and available pods', () => {
    const pods = [pod('a', { ready: true }), pod('b', { ready: true, labels: { app: 'web' } }), pod('c')]
    assert.deepEqual(calculateStatus(rs(3), pods, undefined, now), {
      replicas: 3,
      fullyLabeledReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
    })
  })

  it('a pod is available only after minReadySeconds', () => {
    const pods = [pod('a', { ready: true, readyFor: 5 }), pod('b', { ready: true, readyFor: 30 })]
    const s = calculateStatus(rs(2, { minReadySeconds: 10 }), pods, undefined, now)
    assert.equal(s.readyReplicas, 2)
    assert.equal(s.availableReplicas, 1)
  })

  it('a failed create sets ReplicaFailure FailedCreate; a clean sync removes it', () => {
    const failed = calculateStatus(rs(3), [pod('a')], new Error('pods "web-" is forbidden: exceeded quota'), now)
    assert.deepEqual(failed.conditions, [
      {
        type: 'ReplicaFailure',
        status: 'True',
        lastTransitionTime: '2025-06-01T12:00:00Z',
        reason: 'FailedCreate',
        message: 'pods "web-" is forbidden: exceeded quota',
      },
    ])
    const withCond = { ...rs(3), status: failed }
    assert.equal(calculateStatus(withCond, [pod('a')], new Error('again'), now).conditions, failed.conditions)
    assert.equal(calculateStatus(withCond, [pod('a')], undefined, now).conditions, undefined)
  })

  it('a failed delete is FailedDelete', () => {
    const s = calculateStatus(rs(0), [pod('a')], new Error('unable to delete pods: boom'), now)
    assert.equal(s.conditions?.[0]?.reason, 'FailedDelete')
  })
})

describe('isStatusCurrent', () => {
  it('needs matching counts and the observed generation', () => {
    const r = { ...rs(1), status: { replicas: 1, readyReplicas: 1, observedGeneration: 2 } }
    assert.equal(isStatusCurrent(r, { replicas: 1, readyReplicas: 1 }), true)
    assert.equal(isStatusCurrent(r, { replicas: 1 }), false)
    assert.equal(
      isStatusCurrent({ ...r, metadata: { ...r.metadata, generation: 3 } }, { replicas: 1, readyReplicas: 1 }),
      false,
    )
  })
})
