/** Status and the Progressing condition (upstream TestSyncRolloutStatus, TestRequeueStuckDeployment). */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Deployment, ReplicaSet, WorkloadCondition } from '../../api/apps.js'
import { progressCheckAfter, rolloutStatus } from './progress.js'
import { calculateStatus, formatTime, setCondition } from './status.js'
import { newDeployment, rs } from './testing.js'

const testTime = Date.parse('2017-02-15T18:49:00Z')
const now = testTime + 5 * 60_000 // past the 60 s deadline
const t = formatTime(testTime)
const cond = (status: WorkloadCondition['status'], reason: string): WorkloadCondition => ({
  type: 'Progressing',
  status,
  reason,
  message: '',
  lastUpdateTime: t,
  lastTransitionTime: t,
})
const replicaSetUpdated = cond('True', 'ReplicaSetUpdated')
const failedTimedOut = cond('False', 'ProgressDeadlineExceeded')
const newRSAvailable = cond('True', 'NewReplicaSetAvailable')

/** currentDeployment(pds, replicas, statusReplicas, updatedReplicas, availableReplicas, conditions). */
function current(
  pds: number | undefined,
  replicas: number,
  statusReplicas: number,
  updated: number,
  available: number,
  conditions: WorkloadCondition[],
): Deployment {
  const d = newDeployment(replicas)
  d.spec.progressDeadlineSeconds = pds
  d.status = {
    observedGeneration: 1,
    replicas: statusReplicas,
    updatedReplicas: updated,
    availableReplicas: available,
    conditions,
  }
  return d
}
/** newRSWithAvailable(name, specReplicas, statusReplicas, availableReplicas). */
const withAvailable = (name: string, spec: number, status: number, available: number): ReplicaSet =>
  rs(name, spec, { status, available })

describe('rolloutStatus (syncRolloutStatus)', () => {
  const cases: {
    name: string
    d: Deployment
    allRSs: ReplicaSet[]
    newRS?: ReplicaSet
    want?: [string, string]
    lastTransition?: string
    lastUpdate?: string
  }[] = [
    {
      name: 'no progress deadline: no Progressing condition',
      d: current(undefined, 3, 2, 2, 2, []),
      allRSs: [withAvailable('bar', 0, 1, 1)],
      newRS: withAvailable('foo', 3, 2, 2),
    },
    {
      name: 'a completed rollout estimates no progress',
      d: current(60, 3, 3, 3, 3, [newRSAvailable]),
      allRSs: [withAvailable('bar', 3, 3, 3)],
      want: ['True', 'NewReplicaSetAvailable'],
      lastUpdate: t,
      lastTransition: t,
    },
    {
      name: 'progress keeps lastTransitionTime of Progressing=True',
      d: current(60, 3, 2, 2, 2, [replicaSetUpdated]),
      allRSs: [withAvailable('bar', 0, 1, 1)],
      newRS: withAvailable('foo', 3, 3, 2),
      want: ['True', 'ReplicaSetUpdated'],
      lastTransition: t,
    },
    {
      name: 'progress after Progressing=False updates everything',
      d: current(60, 3, 2, 2, 2, [failedTimedOut]),
      allRSs: [withAvailable('bar', 0, 1, 1)],
      newRS: withAvailable('foo', 3, 3, 2),
      want: ['True', 'ReplicaSetUpdated'],
      lastTransition: formatTime(now),
    },
    {
      name: 'progress creates the condition',
      d: current(60, 3, 2, 2, 2, []),
      allRSs: [withAvailable('bar', 0, 1, 1)],
      newRS: withAvailable('foo', 3, 3, 2),
      want: ['True', 'ReplicaSetUpdated'],
    },
    {
      name: 'complete keeps lastTransitionTime of Progressing=True',
      d: current(60, 3, 3, 3, 3, [replicaSetUpdated]),
      allRSs: [],
      newRS: withAvailable('foo', 3, 3, 3),
      want: ['True', 'NewReplicaSetAvailable'],
      lastTransition: t,
    },
    {
      name: 'complete after Progressing=False',
      d: current(60, 3, 3, 3, 3, [failedTimedOut]),
      allRSs: [],
      newRS: withAvailable('foo', 3, 3, 3),
      want: ['True', 'NewReplicaSetAvailable'],
    },
    {
      name: 'complete creates the condition',
      d: current(60, 3, 3, 3, 3, []),
      allRSs: [],
      newRS: withAvailable('foo', 3, 3, 3),
      want: ['True', 'NewReplicaSetAvailable'],
    },
    {
      name: 'complete without a new ReplicaSet',
      d: current(60, 0, 3, 3, 3, [replicaSetUpdated]),
      allRSs: [withAvailable('foo', 0, 0, 0)],
      want: ['True', 'NewReplicaSetAvailable'],
    },
    {
      name: 'no progress past the deadline times out',
      d: current(60, 3, 2, 2, 2, [replicaSetUpdated]),
      allRSs: [],
      newRS: withAvailable('foo', 3, 2, 2),
      want: ['False', 'ProgressDeadlineExceeded'],
    },
    {
      name: 'an existing timeout stays as it was',
      d: current(60, 3, 2, 2, 2, [failedTimedOut]),
      allRSs: [],
      newRS: withAvailable('foo', 3, 2, 2),
      want: ['False', 'ProgressDeadlineExceeded'],
      lastUpdate: t,
      lastTransition: t,
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const all = c.newRS ? [...c.allRSs, c.newRS] : c.allRSs
      const got = rolloutStatus(all, c.newRS, c.d, now).conditions?.find(x => x.type === 'Progressing')
      if (!c.want) return assert.equal(got, undefined)
      assert.deepEqual([got?.status, got?.reason], c.want)
      if (c.lastTransition) assert.equal(got?.lastTransitionTime, c.lastTransition)
      if (c.lastUpdate) assert.equal(got?.lastUpdateTime, c.lastUpdate)
    })
  }

  it('messages name the new ReplicaSet', () => {
    const s = rolloutStatus(
      [withAvailable('foo', 3, 3, 3)],
      withAvailable('foo', 3, 3, 3),
      current(60, 3, 2, 2, 2, []),
      now,
    )
    assert.equal(
      s.conditions?.find(x => x.type === 'Progressing')?.message,
      'ReplicaSet "foo" has successfully progressed.',
    )
  })

  it('surfaces the new ReplicaSet failure first, and clears it when gone', () => {
    const failing = withAvailable('foo', 3, 1, 1)
    failing.status!.conditions = [
      { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota', lastTransitionTime: t },
    ]
    const s = rolloutStatus([failing], failing, current(60, 3, 1, 1, 1, []), now)
    assert.deepEqual(
      s.conditions?.find(x => x.type === 'ReplicaFailure'),
      {
        type: 'ReplicaFailure',
        status: 'True',
        reason: 'FailedCreate',
        message: 'quota',
        lastUpdateTime: t,
        lastTransitionTime: t,
      },
    )
    const d = current(60, 3, 1, 1, 1, s.conditions!)
    const ok = withAvailable('foo', 3, 1, 1)
    assert.equal(
      rolloutStatus([ok], ok, d, now).conditions?.find(x => x.type === 'ReplicaFailure'),
      undefined,
    )
  })
})

describe('calculateStatus', () => {
  it('sums the ReplicaSets and sets Available from maxUnavailable', () => {
    const d = newDeployment(4, { maxUnavailable: 1 })
    const s = calculateStatus(
      [rs('a', 2, { status: 2, available: 2 }), rs('b', 2, { status: 2, available: 1 })],
      rs('b', 2, { status: 2, available: 1 }),
      d,
      now,
    )
    assert.equal(s.replicas, 4)
    assert.equal(s.updatedReplicas, 2)
    assert.equal(s.availableReplicas, 3)
    assert.equal(s.unavailableReplicas, 1)
    assert.equal(s.observedGeneration, 1)
    assert.deepEqual(
      s.conditions?.map(c => [c.type, c.status, c.reason, c.message]),
      [['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.']],
    )
    const short = calculateStatus([rs('a', 4, { status: 4, available: 2 })], undefined, d, now)
    assert.deepEqual(
      short.conditions?.map(c => [c.status, c.reason]),
      [['False', 'MinimumReplicasUnavailable']],
    )
    assert.equal(short.updatedReplicas, undefined, 'zero counters are omitted as Go omits them')
  })

  it('setCondition keeps lastTransitionTime when only the reason changes', () => {
    const status = { conditions: [cond('True', 'ReplicaSetUpdated')] }
    setCondition(status, {
      ...cond('True', 'NewReplicaSetAvailable'),
      lastTransitionTime: 'later',
      lastUpdateTime: 'later',
    })
    assert.deepEqual(
      [status.conditions[0]!.reason, status.conditions[0]!.lastTransitionTime, status.conditions[0]!.lastUpdateTime],
      ['NewReplicaSetAvailable', t, 'later'],
    )
  })
})

describe('progressCheckAfter (requeueStuckDeployment)', () => {
  const d = (conditions: WorkloadCondition[]) => current(600, 3, 2, 2, 2, conditions)
  const status = { replicas: 2, updatedReplicas: 2, availableReplicas: 2, observedGeneration: 1 }
  it('no Progressing condition: no check', () => assert.equal(progressCheckAfter(d([]), status, testTime), undefined))
  it('timed out already: no check', () =>
    assert.equal(progressCheckAfter(d([failedTimedOut]), status, testTime), undefined))
  it('complete: no check', () =>
    assert.equal(
      progressCheckAfter(
        d([replicaSetUpdated]),
        { ...status, replicas: 3, updatedReplicas: 3, availableReplicas: 3 },
        testTime,
      ),
      undefined,
    ))
  it('checks once the deadline passes, plus a second', () =>
    assert.equal(progressCheckAfter(d([replicaSetUpdated]), status, testTime + 180_000), 421_000))
  it('a passed deadline is checked in a second', () =>
    assert.equal(progressCheckAfter(d([replicaSetUpdated]), status, testTime + 700_000), 1000))
})
