/**
 * One sync of one StatefulSet (upstream sync + UpdateStatefulSet): adopt orphan revisions, claim
 * pods, settle the current and update revisions, plan, execute, write status, trim history. It
 * reads only the snapshot it is given (built from listers) and writes only through
 * StatefulPodControl, so the controller and the unit tests' simulated world share it.
 */
import type { ControllerRevision, StatefulSet, StatefulSetStatus } from '../../api/apps.js'
import type { Pod } from '../../api/pod.js'
import type { Logger } from '../../client/log.js'
import { type Selector, selectorFromLabelSelector } from '../../machinery/labels.js'
import { getControllerOf } from '../../machinery/objects.js'
import { isAlreadyExists } from '../../machinery/status-error.js'
import { TerminalError } from '../runtime/result.js'
import type { ClaimLookup } from './claims.js'
import { aggregate, executePlan, messageOf } from './execute.js'
import { classifyPods, ownedRevisions } from './ownership.js'
import { type Plan, planStatefulSet } from './plan.js'
import type { StatefulPodControl } from './pod-control.js'
import { getReplicas } from './pods.js'
import {
  decideUpdateRevision,
  findCurrentRevision,
  renameRevision,
  revisionData,
  revisionsToTruncate,
  sortRevisions,
} from './revisions.js'
import { completeRollingUpdate, inconsistentStatus } from './status.js'

/** The cached state one sync starts from. */
export interface SyncInput {
  set: StatefulSet
  /** Pods of the set's namespace controlled by the set or by nothing (adoption candidates). */
  pods: readonly Pod[]
  /** Revisions of the set's namespace whose labels match the selector. */
  revisions: readonly ControllerRevision[]
  claims: ClaimLookup
  /** Milliseconds since the epoch. */
  now: number
}

/** What a sync did, for logs and requeueing. */
export interface SyncResult {
  plan?: Plan
  /** The status the sync computed (written if it differed). */
  status?: StatefulSetStatus
  /** Look again after this many ms (minReadySeconds, a stale claim, a taken name). */
  requeueAfterMs?: number
}

/** Pause before re-checking a wait that sends no event (a stale claim, a pod name held by someone else). */
export const RecheckAfterMs = 1000

/** Most renames after revision name collisions before giving up (upstream loops forever). */
const MaxCollisionRetries = 100

/** Syncs one set; throws (after writing status and trimming history) when any write failed. */
export async function syncStatefulSet(
  input: SyncInput,
  control: StatefulPodControl,
  log?: Logger,
): Promise<SyncResult> {
  const { set } = input
  let selector: Selector
  try {
    selector = selectorFromLabelSelector(set.spec.selector)
  } catch (e) {
    // A retry cannot fix a bad selector (validation normally rules it out).
    throw new TerminalError(`invalid selector of StatefulSet ${set.metadata.name}: ${messageOf(e)}`, { cause: e })
  }
  const canAdopt = canAdoptOnce(set, control)
  const revisions = await adoptOrphanRevisions(set, ownedRevisions(set, input.revisions), canAdopt, control)
  const pods = await claimPods(set, selector, input.pods, canAdopt, control)

  const sorted = sortRevisions(revisions)
  const { update, collisionCount } = await settleUpdateRevision(set, sorted, control)
  const current = findCurrentRevision(set, sorted, update)
  const plan = planStatefulSet({
    set,
    pods,
    claims: input.claims,
    currentRevision: current,
    updateRevision: update,
    collisionCount,
    now: input.now,
  })
  if (plan.waitingFor) log?.debug({ waitingFor: plan.waitingFor }, 'StatefulSet is waiting')
  const executed = await executePlan(set, plan, control)
  const errors = [...executed.errors]

  const counted = { ...plan.status, currentReplicas: (plan.status.currentReplicas ?? 0) - executed.updateDeletions }
  const status = completeRollingUpdate(set, counted)
  if (inconsistentStatus(set, status)) {
    try {
      await control.updateStatus(set, status)
    } catch (e) {
      if (errors.length) log?.error({ err: e }, 'Could not update status')
      else errors.push(e)
    }
  }
  try {
    for (const rev of revisionsToTruncate(set, pods, sorted, [current, update])) await control.deleteRevision(rev)
  } catch (e) {
    errors.push(e)
  }
  if (errors.length) throw combine(errors)

  const waits: number[] = []
  const minReadySeconds = set.spec.minReadySeconds ?? 0
  if (minReadySeconds > 0 && (status.availableReplicas ?? 0) !== getReplicas(set)) waits.push(minReadySeconds * 1000)
  if (plan.recheck || executed.nameTaken) waits.push(RecheckAfterMs)
  return { plan, status, requeueAfterMs: waits.length ? Math.min(...waits) : undefined }
}

/**
 * RecheckDeletionTimestamp, at most once per sync: before adopting anything, re-read the set from the
 * API; refuse if it is gone, was re-created (another UID) or is being deleted.
 */
function canAdoptOnce(set: StatefulSet, control: StatefulPodControl): () => Promise<void> {
  let check: Promise<void> | undefined
  const { namespace, name, uid } = set.metadata
  return () => {
    check ??= control.getSet(namespace ?? '', name ?? '').then(fresh => {
      if (!fresh) throw new Error(`original StatefulSet ${namespace}/${name} is gone: got nothing, wanted ${uid}`)
      if (fresh.metadata.uid !== uid)
        throw new Error(
          `original StatefulSet ${namespace}/${name} is gone: got uid ${fresh.metadata.uid}, wanted ${uid}`,
        )
      if (fresh.metadata.deletionTimestamp)
        throw new Error(`${namespace}/${name} has just been deleted at ${fresh.metadata.deletionTimestamp}`)
    })
    return check
  }
}

/** adoptOrphanRevisions: orphans matching the selector become the set's. */
async function adoptOrphanRevisions(
  set: StatefulSet,
  revisions: ControllerRevision[],
  canAdopt: () => Promise<void>,
  control: StatefulPodControl,
): Promise<ControllerRevision[]> {
  // NOTE: upstream tries (and fails, retrying with backoff) to adopt for a set being deleted; a
  // set being deleted adopts nothing, so petset does not try.
  if (set.metadata.deletionTimestamp || !revisions.some(r => !getControllerOf(r))) return revisions
  try {
    await canAdopt()
  } catch (e) {
    throw new Error(`can't adopt ControllerRevisions: ${messageOf(e)}`, { cause: e })
  }
  const out: ControllerRevision[] = []
  for (const rev of revisions) out.push(getControllerOf(rev) ? rev : await control.adoptRevision(set, rev))
  return out
}

/** ClaimPods: adopt matching orphans, release non-matching pods; resolves the pods the set controls. */
async function claimPods(
  set: StatefulSet,
  selector: Selector,
  candidates: readonly Pod[],
  canAdopt: () => Promise<void>,
  control: StatefulPodControl,
): Promise<Pod[]> {
  const { claimed, adopt, release } = classifyPods(set, selector, candidates)
  const errors: unknown[] = []
  for (const pod of adopt) {
    try {
      await canAdopt()
      if (await control.adoptPod(set, pod)) claimed.push(pod)
    } catch (e) {
      errors.push(e)
    }
  }
  for (const pod of release) {
    try {
      await control.releasePod(set, pod)
    } catch (e) {
      errors.push(e)
    }
  }
  if (errors.length) throw combine(errors)
  return claimed
}

/**
 * getStatefulSetRevisions' writes: reuse the latest revision, renumber an older equal one, or
 * create a new one, renaming it (collisionCount + 1) while its name is taken by other data.
 */
async function settleUpdateRevision(
  set: StatefulSet,
  sorted: readonly ControllerRevision[],
  control: StatefulPodControl,
): Promise<{ update: ControllerRevision; collisionCount: number }> {
  let collisionCount = set.status?.collisionCount ?? 0
  const decision = decideUpdateRevision(set, sorted, collisionCount)
  if (decision.kind === 'latest') return { update: decision.revision, collisionCount }
  if (decision.kind === 'renumber') {
    return { update: await control.updateRevisionNumber(decision.revision, decision.to), collisionCount }
  }
  let candidate = decision.revision
  const data = revisionData(candidate)
  for (let attempt = 0; attempt < MaxCollisionRetries; attempt++) {
    try {
      return { update: await control.createRevision(candidate), collisionCount }
    } catch (e) {
      if (!isAlreadyExists(e)) throw e
    }
    const namespace = set.metadata.namespace ?? ''
    const existing = await control.getRevision(namespace, candidate.metadata.name!)
    if (existing && revisionData(existing) === data) return { update: existing, collisionCount }
    // Deleted in between: try the same name again; otherwise another template holds it.
    if (existing) {
      collisionCount++
      candidate = renameRevision(candidate, set.metadata.name ?? '', collisionCount)
    }
  }
  throw new Error(`could not find a free name for a revision of StatefulSet ${set.metadata.name}`)
}

/** One error for several (messages joined as utilerrors does); a lone error passes through unchanged. */
function combine(errors: unknown[]): unknown {
  if (errors.length === 1) return errors[0]
  return new Error(aggregate(errors.map(messageOf)), { cause: errors[0] })
}
