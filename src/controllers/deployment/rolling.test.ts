/** Rollout arithmetic, table-tested with upstream's cases (deployment_util_test.go, rolling_test.go). */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { IntOrString } from '../../api/pod.js'
import {
  maxUnavailable,
  newRSNewReplicas,
  planCleanupUnhealthy,
  planOldScaleDown,
  planScaleDownOld,
  resolveFenceposts,
} from './rolling.js'
import { newDeployment, rs } from './testing.js'

describe('resolveFenceposts', () => {
  const cases: { surge?: IntOrString; unavailable?: IntOrString; desired: number; want?: [number, number] }[] = [
    { surge: '0%', unavailable: '0%', desired: 0, want: [0, 1] },
    { surge: '39%', unavailable: '39%', desired: 10, want: [4, 3] },
    { surge: 'oops', unavailable: '39%', desired: 10 },
    { surge: '55%', unavailable: 'urg', desired: 10 },
    { unavailable: '39%', desired: 10, want: [0, 3] },
    { surge: '39%', desired: 10, want: [4, 0] },
    { desired: 10, want: [0, 1] },
    { surge: '25%', unavailable: '25%', desired: 3, want: [1, 0] },
  ]
  for (const c of cases) {
    it(`surge ${c.surge} unavailable ${c.unavailable} of ${c.desired}`, () => {
      if (!c.want) return assert.throws(() => resolveFenceposts(c.surge, c.unavailable, c.desired))
      const { surge, unavailable } = resolveFenceposts(c.surge, c.unavailable, c.desired)
      assert.deepEqual([surge, unavailable], c.want)
    })
  }
})

describe('maxUnavailable', () => {
  const cases: { name: string; replicas: number; unavailable: IntOrString; want: number; recreate?: boolean }[] = [
    { name: 'less than replicas', replicas: 10, unavailable: 5, want: 5 },
    { name: 'equal to replicas', replicas: 10, unavailable: 10, want: 10 },
    { name: 'greater than replicas', replicas: 5, unavailable: 10, want: 5 },
    { name: 'with 0 replicas', replicas: 0, unavailable: 10, want: 0 },
    { name: 'Recreate', replicas: 10, unavailable: 10, want: 0, recreate: true },
    { name: 'less than replicas, percent', replicas: 10, unavailable: '50%', want: 5 },
    { name: 'equal to replicas, percent', replicas: 10, unavailable: '100%', want: 10 },
    { name: 'greater than replicas, percent', replicas: 5, unavailable: '100%', want: 5 },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const d = newDeployment(c.replicas, {
        maxSurge: 1,
        maxUnavailable: c.unavailable,
        type: c.recreate ? 'Recreate' : undefined,
      })
      assert.equal(maxUnavailable(d), c.want)
    })
  }
})

describe('newRSNewReplicas', () => {
  const cases = [
    { name: 'cannot scale up: stays at the new size', type: 'RollingUpdate', replicas: 1, newRS: 5, surge: 1, want: 5 },
    { name: 'scale up to spec.replicas', type: 'RollingUpdate', replicas: 6, newRS: 2, surge: 10, want: 6 },
    { name: 'Recreate: spec.replicas at once', type: 'Recreate', replicas: 3, newRS: 1, surge: 1, want: 3 },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const d = newDeployment(c.replicas, { maxSurge: c.surge, maxUnavailable: 1, type: c.type })
      const newRS = rs('new', c.newRS)
      assert.equal(newRSNewReplicas(d, [rs('five', 5)], newRS), c.want)
    })
  }
  const reconcileNew = [
    { replicas: 10, surge: 0, old: 10, new: 0, want: 0 },
    { replicas: 10, surge: 2, old: 10, new: 0, want: 2 },
    { replicas: 10, surge: 2, old: 5, new: 0, want: 7 },
    { replicas: 10, surge: 2, old: 10, new: 2, want: 2 },
  ]
  for (const c of reconcileNew) {
    it(`reconcileNewReplicaSet: ${c.replicas} desired, surge ${c.surge}, old ${c.old}, new ${c.new} -> ${c.want}`, () => {
      const newRS = rs('foo-v2', c.new)
      assert.equal(
        newRSNewReplicas(newDeployment(c.replicas, { maxSurge: c.surge }), [newRS, rs('foo-v1', c.old)], newRS),
        c.want,
      )
    })
  }
})

describe('planOldScaleDown (reconcileOldReplicaSets)', () => {
  const cases = [
    { replicas: 10, unavailable: 0, old: 10, new: 0, readyOld: 10, readyNew: 0, want: [9] },
    { replicas: 10, unavailable: 2, old: 10, new: 0, readyOld: 10, readyNew: 0, want: [8] },
    {
      name: 'unhealthy old replicas go first',
      replicas: 10,
      unavailable: 2,
      old: 10,
      new: 0,
      readyOld: 8,
      readyNew: 0,
      want: [8],
    },
    {
      name: 'one unhealthy, then one ready',
      replicas: 10,
      unavailable: 2,
      old: 10,
      new: 0,
      readyOld: 9,
      readyNew: 0,
      want: [9, 8],
    },
    {
      name: 'unavailable new pods block further scale down',
      replicas: 10,
      unavailable: 2,
      old: 8,
      new: 2,
      readyOld: 8,
      readyNew: 0,
      want: [],
    },
  ]
  for (const c of cases) {
    it(c.name ?? `${c.replicas} desired, maxUnavailable ${c.unavailable}, old ${c.old} (${c.readyOld} ready)`, () => {
      const d = newDeployment(c.replicas, { maxUnavailable: c.unavailable })
      const oldRS = rs('foo-old', c.old, { available: c.readyOld })
      const newRS = rs('foo-new', c.new, { available: c.readyNew })
      const ops = planOldScaleDown(d, [oldRS, newRS], [oldRS], newRS)
      assert.deepEqual(
        ops.map(o => o.to),
        c.want,
      )
    })
  }
})

describe('planCleanupUnhealthy', () => {
  const cases = [
    { ready: 8, max: 1, cleaned: 1 },
    { ready: 8, max: 3, cleaned: 2 },
    { ready: 8, max: 0, cleaned: 0 },
    { ready: 10, max: 3, cleaned: 0 },
  ]
  for (const c of cases) {
    it(`10 replicas, ${c.ready} available, at most ${c.max} -> ${c.cleaned}`, () => {
      const ops = planCleanupUnhealthy([rs('foo-v2', 10, { available: c.ready })], c.max)
      assert.equal(
        ops.reduce((n, o) => n + 10 - o.to, 0),
        c.cleaned,
      )
    })
  }
})

describe('planScaleDownOld (scaleDownOldReplicaSetsForRollingUpdate)', () => {
  const cases = [
    { unavailable: 0, ready: 10, old: 10, want: [9] },
    { unavailable: 2, ready: 10, old: 10, want: [8] },
    { unavailable: 2, ready: 8, old: 10, want: [] },
    { unavailable: 2, ready: 10, old: 0, want: [] },
    { unavailable: 2, ready: 1, old: 10, want: [] },
  ]
  for (const c of cases) {
    it(`maxUnavailable ${c.unavailable}, ${c.ready} available of ${c.old}`, () => {
      const oldRS = rs('foo-v2', c.old, { available: c.ready })
      const ops = planScaleDownOld(newDeployment(10, { maxUnavailable: c.unavailable }), [oldRS], [oldRS])
      assert.deepEqual(
        ops.map(o => o.to),
        c.want,
      )
    })
  }

  it('scales the oldest ReplicaSet down first (2 desired, 1 may be unavailable: 4 of 5 go)', () => {
    const older = rs('foo-v1', 2, { available: 2, created: '2016-05-20T00:00:00Z' })
    const old = rs('foo-v2', 3, { available: 3, created: '2016-05-20T01:00:00Z' })
    const ops = planScaleDownOld(newDeployment(2, { maxUnavailable: 0 }), [old, older], [old, older])
    assert.deepEqual(
      ops.map(o => [o.rs.metadata.name, o.to]),
      [
        ['foo-v1', 0],
        ['foo-v2', 1],
      ],
    )
  })
})
