/**
 * Victim ranking, ported from upstream TestSortingActivePodsWithRanks (PodDeletionCost and
 * LogarithmicScaleDown on) plus getPodsToDelete over colocated pods.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Pod } from '../../api/pod.js'
import { formatTime } from './plan.js'
import { getPodsToDelete, type RankedPod, shouldDeleteFirst } from './victims.js'

const now = Date.parse('2025-06-01T12:00:00Z')
const hours = (h: number) => now - h * 3600_000
const month = Date.parse('2025-05-01T12:00:00Z')

function pod(
  name: string,
  node: string,
  phase: string,
  ready: boolean,
  opts: { restarts?: number; readySince?: number; created?: number; cost?: string } = {},
): Pod {
  return {
    metadata: {
      name,
      creationTimestamp: opts.created ? formatTime(opts.created) : undefined,
      annotations: opts.cost ? { 'controller.kubernetes.io/pod-deletion-cost': opts.cost } : undefined,
    },
    spec: { nodeName: node || undefined, containers: [] },
    status: {
      phase,
      conditions: ready
        ? [
            {
              type: 'Ready',
              status: 'True',
              lastTransitionTime: opts.readySince ? formatTime(opts.readySince) : undefined,
            },
          ]
        : [],
      containerStatuses: [{ name: 'c', ready, restartCount: opts.restarts ?? 0, image: '', imageID: '' }],
    },
  }
}

const unscheduled = pod('unscheduled', '', 'Pending', false)
const scheduledPending = pod('pending', 'node', 'Pending', false)
const unknownPhase = pod('unknown-phase', 'node', 'Unknown', false)
const runningNotReady = pod('not-ready', 'node', 'Running', false)
const readyNoTransition = pod('ready-no-last-transition-time', 'node', 'Running', true)
const readyNow = pod('ready-now', 'node', 'Running', true, { readySince: now, created: now })
const readyThen = pod('ready-then', 'node', 'Running', true, { readySince: month, created: month })
const readyNowHighRestarts = pod('ready-high-restarts', 'node', 'Running', true, {
  restarts: 9001,
  readySince: now,
  created: now,
})
const readyNowCreatedThen = pod('ready-now-created-then', 'node', 'Running', true, { readySince: now, created: month })
const lowCost = pod('low-deletion-cost', 'node', 'Running', true, { readySince: now, created: month, cost: '10' })
const highCost = pod('high-deletion-cost', 'node', 'Running', true, { readySince: now, created: month, cost: '100' })
const unscheduled5h = pod('unscheduled-5-hours', '', 'Pending', false, { created: hours(5) })
const unscheduled8h = pod('unscheduled-8-hours', '', 'Pending', false, { created: hours(8) })
const ready2h = pod('ready-2-hours', '', 'Running', true, { readySince: hours(2), created: month })
const ready5h = pod('ready-5-hours', '', 'Running', true, { readySince: hours(5), created: month })
const ready8h = pod('ready-8-hours', '', 'Running', true, { readySince: hours(8), created: month })

const r = (p: Pod, rank: number): RankedPod => ({ pod: p, rank })

describe('shouldDeleteFirst', () => {
  const equal: [Pod, Pod][] = [
    [unscheduled, unscheduled],
    [scheduledPending, scheduledPending],
    [unknownPhase, unknownPhase],
    [runningNotReady, runningNotReady],
    [readyNow, readyNow],
    [readyThen, readyThen],
    [readyNowHighRestarts, readyNowHighRestarts],
    [readyNowCreatedThen, readyNowCreatedThen],
    [unscheduled5h, unscheduled8h],
    [ready5h, ready8h],
  ]
  for (const [a, b] of equal) {
    it(`${a.metadata.name} and ${b.metadata.name} rank equal`, () => {
      assert.equal(shouldDeleteFirst(r(a, 1), r(b, 1), now), false)
      assert.equal(shouldDeleteFirst(r(b, 1), r(a, 1), now), false)
    })
  }

  const lesser: { name: string; first: RankedPod; later: RankedPod }[] = [
    { name: 'unassigned before assigned', first: r(unscheduled, 1), later: r(scheduledPending, 2) },
    { name: 'unassigned before assigned whatever the rank', first: r(unscheduled, 2), later: r(scheduledPending, 1) },
    { name: 'Pending before Unknown', first: r(scheduledPending, 1), later: r(unknownPhase, 2) },
    { name: 'Unknown before Running', first: r(unknownPhase, 1), later: r(runningNotReady, 2) },
    { name: 'not ready before ready', first: r(runningNotReady, 1), later: r(readyNoTransition, 1) },
    { name: 'ready without a time before ready now', first: r(readyNoTransition, 1), later: r(readyNow, 1) },
    { name: 'more colocated before fewer', first: r(readyNow, 2), later: r(readyNoTransition, 1) },
    { name: 'ready recently before ready long ago', first: r(readyNow, 1), later: r(readyThen, 1) },
    { name: 'rank wins over ready time', first: r(readyNow, 2), later: r(readyThen, 1) },
    { name: 'more restarts first', first: r(readyNowHighRestarts, 1), later: r(readyNow, 1) },
    { name: 'rank wins over restarts', first: r(readyNow, 2), later: r(readyNowHighRestarts, 1) },
    { name: 'newer before older', first: r(readyNow, 1), later: r(readyNowCreatedThen, 1) },
    { name: 'rank wins over age', first: r(readyNowCreatedThen, 2), later: r(readyNow, 1) },
    { name: 'lower deletion cost first, before rank', first: r(lowCost, 2), later: r(highCost, 1) },
    { name: 'ready 2h before ready 5h (log scale buckets differ)', first: r(ready2h, 1), later: r(ready5h, 1) },
  ]
  for (const c of lesser) {
    it(c.name, () => {
      assert.equal(shouldDeleteFirst(c.first, c.later, now), true)
      assert.equal(shouldDeleteFirst(c.later, c.first, now), false)
    })
  }

  it('equal log buckets fall back to the UID', () => {
    const a = { ...unscheduled5h, metadata: { ...unscheduled5h.metadata, uid: 'a' } }
    const b = { ...unscheduled8h, metadata: { ...unscheduled8h.metadata, uid: 'b' } }
    assert.equal(shouldDeleteFirst(r(a, 0), r(b, 0), now), true)
    assert.equal(shouldDeleteFirst(r(b, 0), r(a, 0), now), false)
  })

  it('invalid deletion costs count as 0', () => {
    const plus = pod('plus', 'node', 'Running', true, { readySince: now, created: month, cost: '+5' })
    const zeros = pod('zeros', 'node', 'Running', true, { readySince: now, created: month, cost: '007' })
    const negative = pod('neg', 'node', 'Running', true, { readySince: now, created: month, cost: '-007' })
    assert.equal(shouldDeleteFirst(r(plus, 1), r(zeros, 1), now), false)
    assert.equal(shouldDeleteFirst(r(negative, 1), r(plus, 1), now), true)
  })
})

describe('getPodsToDelete', () => {
  const onNode = (name: string, node: string, readySince: number) =>
    pod(name, node, 'Running', true, { readySince, created: month })

  it('deletes everything without sorting when diff covers all pods', () => {
    const pods = [readyThen, readyNow]
    assert.deepEqual(getPodsToDelete(pods, pods, 2, now), pods)
  })

  it('prefers pods doubled up on a node, then the least advanced', () => {
    const a = onNode('a', 'n1', hours(10))
    const b = onNode('b', 'n1', hours(10))
    const c = onNode('c', 'n2', hours(10))
    const pending = pod('p', 'n3', 'Pending', false)
    const victims = getPodsToDelete([a, b, c, pending], [a, b, c, pending], 2, now)
    assert.deepEqual(
      victims.map(p => p.metadata.name),
      ['p', 'a'],
    )
  })

  it('counts pods of sibling ReplicaSets on the same node', () => {
    const mine1 = onNode('mine-1', 'n1', hours(10))
    const mine2 = onNode('mine-2', 'n2', hours(10))
    const sibling = onNode('sibling', 'n2', hours(10))
    const victims = getPodsToDelete([mine1, mine2], [mine1, mine2, sibling], 1, now)
    assert.deepEqual(
      victims.map(p => p.metadata.name),
      ['mine-2'],
    )
  })
})
