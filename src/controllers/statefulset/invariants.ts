/**
 * Invariants a StatefulSet sync must keep (upstream's assertMonotonicInvariants), checked by the
 * unit tests after every step of a simulated world: at most one pod per ordinal, every pod with
 * its identity and claims, and in OrderedReady at most one create or delete per sync, a create
 * only when every lower ordinal was healthy; plus `step` and `settle`, which sync a FakeWorld and
 * check them. Test support only.
 */
import assert from 'node:assert/strict'
import type { StatefulSet } from '../../api/apps.js'
import type { PersistentVolumeClaim } from '../../api/core.js'
import type { Pod } from '../../api/pod.js'
import { isControlledBy } from '../../machinery/objects.js'
import { getClaimNames } from './claims.js'
import type { FakeWorld } from './fake-pod-control.js'
import { getOrdinal, getStartOrdinal, identityMatches, isHealthy, storageMatches } from './pods.js'
import type { SyncResult } from './sync.js'

/** The world as one step saw it. */
export interface WorldState {
  set: StatefulSet
  pods: ReadonlyMap<string, Pod>
  claims: ReadonlyMap<string, PersistentVolumeClaim>
}

/** Checks one step: `before` is the state the sync read, `after` what it left. */
export function assertStepInvariants(before: WorldState, after: WorldState): void {
  const { set } = before
  const byOrdinal = new Map<number, string[]>()
  for (const pod of after.pods.values()) {
    if (!isControlledBy(pod, set)) continue
    const o = getOrdinal(pod)
    byOrdinal.set(o, [...(byOrdinal.get(o) ?? []), pod.metadata.name!])
    assert.ok(identityMatches(set, pod), `${pod.metadata.name} has its identity`)
    assert.ok(storageMatches(set, pod), `${pod.metadata.name} mounts its claims`)
    for (const claim of getClaimNames(set, o))
      assert.ok(after.claims.has(claim), `claim ${claim} exists for ${pod.metadata.name}`)
  }
  for (const [o, names] of byOrdinal) assert.ok(names.length <= 1, `at most one pod for ordinal ${o}: ${names}`)

  const created = [...after.pods.values()].filter(
    p => before.pods.get(p.metadata.name!)?.metadata.uid !== p.metadata.uid,
  )
  const deleted = [...before.pods.values()].filter(
    p =>
      !after.pods.has(p.metadata.name!) ||
      (!p.metadata.deletionTimestamp && after.pods.get(p.metadata.name!)!.metadata.deletionTimestamp),
  )
  const ordered = set.spec.podManagementPolicy !== 'Parallel'
  const maxUnavailable = set.spec.updateStrategy?.rollingUpdate?.maxUnavailable !== undefined
  if (ordered && !maxUnavailable) {
    assert.ok(
      created.length + deleted.length <= 1,
      `OrderedReady: one create or delete per sync, saw ${created.length} + ${deleted.length}`,
    )
  }
  if (ordered) {
    const start = getStartOrdinal(set)
    for (const pod of created) {
      for (let o = start; o < getOrdinal(pod); o++) {
        const lower = [...before.pods.values()].find(p => getOrdinal(p) === o)
        assert.ok(lower && isHealthy(lower), `${pod.metadata.name} created only after ordinal ${o} was healthy`)
      }
    }
  }
}

/** A deep copy of the world for before/after comparison. */
function state(w: FakeWorld): WorldState {
  return {
    set: structuredClone(w.set!),
    pods: new Map([...w.pods].map(([k, v]) => [k, structuredClone(v)])),
    claims: new Map([...w.claims].map(([k, v]) => [k, structuredClone(v)])),
  }
}

/** One sync followed by the invariant check; returns the calls it made. */
export async function step(
  w: FakeWorld,
  opts: { fails?: boolean } = {},
): Promise<{ calls: string[]; result?: SyncResult }> {
  const before = state(w)
  const from = w.calls.length
  let result: SyncResult | undefined
  try {
    result = await w.sync()
    assert.ok(!opts.fails, 'sync should have failed')
  } catch (e) {
    if (!opts.fails) throw e
  }
  assertStepInvariants(before, state(w))
  return { calls: w.calls.slice(from).filter(c => !/^(update status|create revision)/.test(c)), result }
}

/** Syncs, playing a healthy node agent (pods become ready, deletions finish), until nothing changes. */
export async function settle(w: FakeWorld, max = 50): Promise<void> {
  for (let i = 0; i < max; i++) {
    const { calls } = await step(w)
    if (calls.length === 0 && isStable(w)) return
    for (const name of w.pods.keys()) if (w.pods.get(name)!.status?.phase === 'Pending') w.ready(name)
    w.finishAllDeletions()
  }
  assert.fail('world did not settle')
}

/** Every pod Running, none terminating: a sync without writes means the world has settled. */
export function isStable(w: FakeWorld): boolean {
  return [...w.pods.values()].every(p => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp)
}
