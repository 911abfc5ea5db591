/**
 * Decides what a StatefulSet needs next (upstream updateStatefulSet, processReplica,
 * processCondemned and the rolling-update step; statefulset.md §2–§4). Pure: no I/O, no clock (time
 * comes in as `now`), no logger. The result is plain data that execute.ts carries out in order.
 *
 * NOTE: this is the policy core, so it is longer than most files (the limit for such cores is 500
 * lines); the ordering rules read best in one place.
 */
import type { ControllerRevision, StatefulSet, StatefulSetStatus } from '../../api/apps.js'
import type { PersistentVolumeClaim } from '../../api/core.js'
import type { Pod } from '../../api/pod.js'
import { getScaledValueFromIntOrPercent } from '../../machinery/intstr.js'
import {
  type ClaimLookup,
  claimOwnerRefsFor,
  hasUnexpectedController,
  isClaimOwnerUpToDate,
  podClaimIsStale,
  podClaims,
} from './claims.js'
import {
  getOrdinal,
  getPodRevision,
  getReplicas,
  getStartOrdinal,
  identityMatches,
  isCreated,
  isFailed,
  isHealthy,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isTerminating,
  newVersionedStatefulSetPod,
  podInOrdinalRange,
  storageMatches,
  updateIdentity,
  updateStorage,
} from './pods.js'
import { applyRevision } from './revisions.js'
import { computeStatus } from './status.js'

/** Everything a decision depends on: the set, its claimed pods, claims, revisions and the time. */
export interface PlanInput {
  set: StatefulSet
  /** Pods the set controls (after adoption and release). */
  pods: readonly Pod[]
  /** Claims of the set's namespace by name. */
  claims: ClaimLookup
  currentRevision: ControllerRevision
  updateRevision: ControllerRevision
  collisionCount: number
  /** Milliseconds since the epoch (minReadySeconds). */
  now: number
}

/** Claim writes that go with a pod action. */
export interface ClaimWork {
  /** Missing claims, to create before the pod. */
  create: PersistentVolumeClaim[]
  /** Existing claims being deleted: the pod action fails with `pvc <name> is being deleted`. */
  deleting: string[]
  /** Claims whose ownerReferences must change for the retention policy (desired objects). */
  update: PersistentVolumeClaim[]
  /** Claims controlled by something else: a ConflictingController warning is due. */
  conflicting: string[]
}

/** One write (with its events) that the executor performs. */
export type Action =
  /** Create claims, then the pod, then fix existing claims' references. */
  | { type: 'createPod'; pod: Pod; claims: ClaimWork }
  | { type: 'deletePod'; pod: Pod; reason: 'terminal' | 'scaleDown' | 'update' }
  /** A pending pod's missing claims (e.g. deleted by hand) and claim references. */
  | { type: 'createClaims'; pod: Pod; claims: ClaimWork }
  /** Identity, storage or retention repair; `changed` says whether the pod itself differs. */
  | { type: 'updatePod'; pod: Pod; changed: boolean; claims: ClaimWork }
  /** Claim references of a condemned pod, before it is deleted. */
  | { type: 'updateClaims'; pod: Pod; claims: ClaimWork }

/**
 * What to do, phase by phase. Each slot is a list of actions run in order. OrderedReady
 * (`monotonic`) runs slots one after another; Parallel runs them in slow-start batches. An error
 * stops the pass: nothing later runs.
 */
export interface Plan {
  monotonic: boolean
  /** Slots of the replicas in range, by index. */
  replicas: Action[][]
  /** Claim fixes of condemned pods (descending ordinal). */
  condemnedClaims: Action[][]
  /** Deletions of condemned pods (descending ordinal). */
  condemned: Action[][]
  /** Rolling-update deletions, in order; each success lowers status.currentReplicas by one. */
  update: Action[]
  /** Status as the pods in the cache show it (before this plan's writes). */
  status: StatefulSetStatus
  /** Why the pass stops early: a debug line, e.g. "web-0 to be Running and Ready". */
  waitingFor?: string
  /** The wait is on something that sends no pod or set event (a stale claim): look again later. */
  recheck?: boolean
}

interface Ctx {
  set: StatefulSet
  updateSet: StatefulSet
  claims: ClaimLookup
  monotonic: boolean
  minReadySeconds: number
  now: number
}

interface SlotResult {
  actions: Action[]
  /** The slot ends the pass (OrderedReady only), with the reason. */
  stop?: string
  recheck?: boolean
}

/** Decides the next writes for a set (updateStatefulSet). */
export function planStatefulSet(input: PlanInput): Plan {
  const { set, now } = input
  const currentSet = applyRevision(set, input.currentRevision)
  const updateSet = applyRevision(set, input.updateRevision)
  const names = { current: input.currentRevision.metadata.name ?? '', update: input.updateRevision.metadata.name ?? '' }
  const statusInput = {
    set,
    currentRevision: names.current,
    updateRevision: names.update,
    collisionCount: input.collisionCount,
    now,
  }
  const { replicas, condemned } = partitionPods(set, input.pods, ord =>
    newVersionedStatefulSetPod(currentSet, updateSet, names, ord),
  )
  const monotonic = set.spec.podManagementPolicy !== 'Parallel'
  const plan: Plan = {
    monotonic,
    replicas: [],
    condemnedClaims: [],
    condemned: [],
    update: [],
    status: computeStatus(statusInput, [...replicas, ...condemned]),
  }
  // A set being deleted only reports status: it creates, deletes and adopts nothing.
  if (set.metadata.deletionTimestamp) {
    plan.status = computeStatus(statusInput, input.pods)
    return plan
  }
  const ctx: Ctx = {
    set,
    updateSet,
    claims: input.claims,
    monotonic,
    minReadySeconds: set.spec.minReadySeconds ?? 0,
    now,
  }

  if (runSlots(plan, plan.replicas, replicas, p => processReplica(ctx, p))) return plan
  runSlots(plan, plan.condemnedClaims, condemned, p => fixCondemnedClaims(ctx, p))
  const firstUnhealthy = replicas.find(p => !isHealthy(p)) ?? [...condemned].reverse().find(p => !isHealthy(p))
  if (runSlots(plan, plan.condemned, condemned, p => processCondemned(ctx, p, firstUnhealthy))) return plan
  if (set.spec.updateStrategy?.type === 'OnDelete') return plan
  planRollingUpdate(ctx, plan, replicas, names.update)
  return plan
}

/**
 * Pods by slot: `replicas[ordinal - start]` for ordinals in range (a placeholder pod, with no phase,
 * for each missing one) and `condemned` for valid ordinals out of range, highest first. Pods whose
 * name carries no ordinal are ignored.
 */
export function partitionPods(
  set: StatefulSet,
  pods: readonly Pod[],
  placeholder: (ordinal: number) => Pod,
): { replicas: Pod[]; condemned: Pod[] } {
  const start = getStartOrdinal(set)
  const replicas: (Pod | undefined)[] = new Array(getReplicas(set)).fill(undefined)
  const condemned: Pod[] = []
  for (const pod of pods) {
    const ordinal = getOrdinal(pod)
    if (podInOrdinalRange(pod, set)) replicas[ordinal - start] = pod
    else if (ordinal >= 0) condemned.push(pod)
  }
  condemned.sort((a, b) => getOrdinal(b) - getOrdinal(a))
  return { replicas: replicas.map((p, i) => p ?? placeholder(start + i)), condemned }
}

/** Appends each pod's slot; returns true when an OrderedReady pass stops in this phase. */
function runSlots(plan: Plan, out: Action[][], pods: Pod[], fn: (pod: Pod) => SlotResult): boolean {
  for (const pod of pods) {
    const r = fn(pod)
    out.push(r.actions)
    if (r.recheck) plan.recheck = true
    if (plan.monotonic && r.stop !== undefined) {
      plan.waitingFor = r.stop
      return true
    }
  }
  return false
}

/** processReplica: one slot in range, in the order of statefulset.md §2.3. */
function processReplica(ctx: Ctx, pod: Pod): SlotResult {
  const name = pod.metadata.name
  // Failed or Succeeded: delete; the replacement comes once the old object is gone.
  if (isFailed(pod) || isSucceeded(pod)) {
    const actions: Action[] = isTerminating(pod) ? [] : [{ type: 'deletePod', pod, reason: 'terminal' }]
    return { actions, stop: `terminal pod ${name} to be removed` }
  }
  if (!isCreated(pod)) {
    if (podClaimIsStale(ctx.set, pod, ctx.claims))
      return { actions: [], stop: `stale claims of ${name} to be removed`, recheck: true }
    // NOTE: a Parallel slot also ends here: the pod object is not in the cache yet, so there is
    // nothing to check until the next pass (upstream re-checks the placeholder; the result is the same).
    const claims = claimWork(ctx, ctx.set, pod, { create: true, retention: true })
    return { actions: [{ type: 'createPod', pod, claims }], stop: `${name} to be created` }
  }
  const actions: Action[] = []
  let claimsFixed = false
  if (isPending(pod)) {
    // A pending pod may wait for a claim someone deleted: create it again.
    const claims = claimWork(ctx, ctx.set, pod, { create: true, retention: true })
    if (hasClaimWork(claims)) {
      actions.push({ type: 'createClaims', pod, claims })
      claimsFixed = true
    }
  }
  if (ctx.monotonic) {
    if (isTerminating(pod)) return { actions, stop: `${name} to terminate` }
    if (!isRunningAndReady(pod)) return { actions, stop: `${name} to be Running and Ready` }
    if (!isRunningAndAvailable(pod, ctx.minReadySeconds, ctx.now)) return { actions, stop: `${name} to be available` }
  }
  const repair = repairAction(ctx, pod, claimsFixed)
  if (repair) actions.push(repair)
  return { actions }
}

/** Identity, storage and retention repair of an existing pod (UpdateStatefulPod), if needed. */
function repairAction(ctx: Ctx, pod: Pod, claimsFixed: boolean): Action | undefined {
  const set = ctx.updateSet
  const identity = identityMatches(set, pod)
  const storage = storageMatches(set, pod)
  const retention = claimsFixed || retentionMatches(ctx, set, pod)
  if (identity && storage && retention) return undefined
  const desired: Pod = structuredClone(pod)
  if (!identity) updateIdentity(set, desired)
  if (!storage) updateStorage(set, desired)
  const claims = claimWork(ctx, set, desired, { create: !storage, retention: !retention })
  return { type: 'updatePod', pod: desired, changed: !identity || !storage, claims }
}

/** Claim references of a condemned pod, fixed before it is deleted (so GC can follow the policy). */
function fixCondemnedClaims(ctx: Ctx, pod: Pod): SlotResult {
  const claims = claimWork(ctx, ctx.updateSet, pod, { create: false, retention: true })
  return { actions: claims.update.length ? [{ type: 'updateClaims', pod, claims }] : [] }
}

/** processCondemned: scale-down of one pod out of range (statefulset.md §2.4). */
function processCondemned(ctx: Ctx, pod: Pod, firstUnhealthy: Pod | undefined): SlotResult {
  const name = pod.metadata.name
  if (isTerminating(pod))
    return ctx.monotonic ? { actions: [], stop: `${name} to terminate before scale down` } : { actions: [] }
  // OrderedReady deletes an unhealthy pod only if it is the first unhealthy one.
  if (ctx.monotonic && pod !== firstUnhealthy) {
    const blocker = firstUnhealthy?.metadata.name
    if (!isRunningAndReady(pod)) return { actions: [], stop: `${blocker} to be Running and Ready before scale down` }
    if (!isRunningAndAvailable(pod, ctx.minReadySeconds, ctx.now))
      return { actions: [], stop: `${blocker} to be available before scale down` }
  }
  return { actions: [{ type: 'deletePod', pod, reason: 'scaleDown' }], stop: `${name} to be removed` }
}

/**
 * The rolling-update step. Without maxUnavailable (upstream's default path): from the highest
 * index down to the partition, delete the first pod not at the update revision, but wait at any
 * unhealthy pod met before it. With maxUnavailable (upstream's gated algorithm, which petset
 * enables): count unhealthy pods in all slots; below the budget, delete up to
 * `maxUnavailable − unhealthy` outdated pods, highest index first, down to the partition.
 */
function planRollingUpdate(ctx: Ctx, plan: Plan, replicas: Pod[], updateRevision: string): void {
  const rolling = ctx.set.spec.updateStrategy?.rollingUpdate
  const updateMin = rolling?.partition ?? 0
  const outdated = (p: Pod) => isCreated(p) && getPodRevision(p) !== updateRevision && !isTerminating(p)
  if (rolling?.maxUnavailable === undefined) {
    for (let i = replicas.length - 1; i >= updateMin; i--) {
      const pod = replicas[i]!
      if (outdated(pod)) {
        plan.update.push({ type: 'deletePod', pod, reason: 'update' })
        return
      }
      if (!isHealthy(pod)) {
        plan.waitingFor = `${pod.metadata.name} to update`
        return
      }
    }
    return
  }
  const maxUnavailable = getMaxUnavailable(ctx.set)
  const unavailable = replicas.filter(p => !isHealthy(p)).length
  if (unavailable >= maxUnavailable) {
    plan.waitingFor = `${unavailable} unavailable pods (maxUnavailable ${maxUnavailable}) before updating more`
    return
  }
  let budget = maxUnavailable - unavailable
  for (let i = replicas.length - 1; i >= updateMin && budget > 0; i--) {
    const pod = replicas[i]!
    if (!outdated(pod)) continue
    plan.update.push({ type: 'deletePod', pod, reason: 'update' })
    budget--
  }
}

/**
 * getStatefulSetMaxUnavailable: an int, or a percentage of spec.replicas rounded down; at least 1.
 * NOTE: the API docs say percentages round up; the controller rounds down (then clamps to 1).
 */
export function getMaxUnavailable(set: StatefulSet): number {
  const value = set.spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1
  let n: number
  try {
    n = getScaledValueFromIntOrPercent(value, getReplicas(set), false)
  } catch {
    n = 1 // unreachable: validation rejects malformed values
  }
  return Math.max(1, n)
}

/** ClaimsMatchRetentionPolicy: every existing claim of the pod has the references the policy wants. */
function retentionMatches(ctx: Ctx, set: StatefulSet, pod: Pod): boolean {
  return podClaims(set, pod, ctx.claims).every(({ existing }) => !existing || isClaimOwnerUpToDate(existing, set, pod))
}

/**
 * The claim writes for a pod: missing claims to create (with the references the policy wants
 * already in place), claims being deleted, and existing claims whose references must change.
 */
function claimWork(ctx: Ctx, set: StatefulSet, pod: Pod, opts: { create: boolean; retention: boolean }): ClaimWork {
  const work: ClaimWork = { create: [], deleting: [], update: [], conflicting: [] }
  for (const { name, existing, build } of podClaims(set, pod, ctx.claims)) {
    if (!existing) {
      if (!opts.create) continue
      const want = build()
      const refs = claimOwnerRefsFor(want, set, pod)
      if (refs.length) want.metadata.ownerReferences = refs
      work.create.push(want)
      continue
    }
    if (opts.create && existing.metadata.deletionTimestamp) work.deleting.push(name)
    if (!opts.retention) continue
    if (hasUnexpectedController(existing, set, pod)) work.conflicting.push(name)
    if (!isClaimOwnerUpToDate(existing, set, pod)) {
      const updated = structuredClone(existing)
      updated.metadata.ownerReferences = claimOwnerRefsFor(existing, set, pod)
      work.update.push(updated)
    }
  }
  return work
}

function hasClaimWork(w: ClaimWork): boolean {
  return w.create.length + w.deleting.length + w.update.length + w.conflicting.length > 0
}
