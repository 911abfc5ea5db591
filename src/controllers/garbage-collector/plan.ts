/**
 * The garbage collector's decisions, as pure functions (C6): given what is known about an object,
 * its owners and its dependents, what should happen. No I/O, no clock, no logger; collector.ts
 * gathers the facts (graph plus live GETs) and acts through actions.ts.
 * Mirrors kubernetes/pkg/controller/garbagecollector: attemptToDeleteItem, classifyReferences,
 * processDeletingDependentsItem and orphanDependents.
 */
import { FinalizerForeground, FinalizerOrphan, type ObjectMeta, type OwnerReference } from '../../api/meta.js'

/** What a lookup found about one owner reference. */
export type OwnerState =
  /** Exists with the referenced uid. */
  | 'live'
  /** Gone: 404, or the name now belongs to an object with another uid. */
  | 'absent'
  /** Exists but is being deleted in the foreground (deletionTimestamp + foregroundDeletion). */
  | 'deletingDependents'
  /** Kind not served or not known: never treated as gone. */
  | 'unknown'

/** Owner references sorted by what their owners' states mean for the dependent. */
export interface ClassifiedOwners {
  solid: OwnerReference[]
  dangling: OwnerReference[]
  waitingForDependentsDeletion: OwnerReference[]
}

/** classifyReferences: unknown owners count as solid (deleting on a guess would lose data). */
export function classifyOwners(
  refs: readonly OwnerReference[],
  states: ReadonlyMap<string, OwnerState>,
): ClassifiedOwners {
  const out: ClassifiedOwners = { solid: [], dangling: [], waitingForDependentsDeletion: [] }
  for (const ref of refs) {
    const state = states.get(ref.uid) ?? 'unknown'
    if (state === 'absent') out.dangling.push(ref)
    else if (state === 'deletingDependents') out.waitingForDependentsDeletion.push(ref)
    else out.solid.push(ref)
  }
  return out
}

/** What to do with a dependent. */
export type DependentAction =
  | { type: 'none'; why: string }
  /** Patch the listed owner uids out of metadata.ownerReferences. */
  | { type: 'removeOwnerReferences'; uids: string[] }
  | { type: 'delete'; propagationPolicy: 'Background' | 'Foreground' | 'Orphan' }

/** The facts planDependent needs. */
export interface DependentFacts {
  /** The object's latest metadata (from a live GET). */
  metadata: Pick<ObjectMeta, 'ownerReferences' | 'finalizers' | 'deletionTimestamp'>
  /** State of each owner by uid. */
  ownerStates: ReadonlyMap<string, OwnerState>
  /** Whether the object has dependents of its own (in the graph). */
  hasDependents: boolean
}

/** attemptToDeleteItem for an object that is not itself deleting its dependents. */
export function planDependent(facts: DependentFacts): DependentAction {
  const { metadata } = facts
  if (metadata.deletionTimestamp) return { type: 'none', why: 'already being deleted' }
  const refs = metadata.ownerReferences ?? []
  if (!refs.length) return { type: 'none', why: 'no owner references' }
  const { solid, dangling, waitingForDependentsDeletion } = classifyOwners(refs, facts.ownerStates)
  if (solid.length) {
    const stale = [...dangling, ...waitingForDependentsDeletion]
    // A live owner keeps the object; references to owners that are gone, or that wait for this
    // object to disappear, are removed so they neither linger nor block the owner's deletion.
    if (!stale.length) return { type: 'none', why: 'has a live owner' }
    return { type: 'removeOwnerReferences', uids: stale.map(r => r.uid) }
  }
  if (waitingForDependentsDeletion.length && facts.hasDependents) {
    // An owner waits for us in the foreground, and we have dependents: delete them first, too.
    return { type: 'delete', propagationPolicy: 'Foreground' }
  }
  const finalizers = metadata.finalizers ?? []
  if (finalizers.includes(FinalizerOrphan)) return { type: 'delete', propagationPolicy: 'Orphan' }
  if (finalizers.includes(FinalizerForeground)) return { type: 'delete', propagationPolicy: 'Foreground' }
  return { type: 'delete', propagationPolicy: 'Background' }
}

/** A dependent as the graph knows it. */
export interface DependentInfo {
  uid: string
  ownerReferences: readonly OwnerReference[]
  /** Itself in foreground deletion (deletionTimestamp + foregroundDeletion finalizer). */
  deletingDependents: boolean
}

/** What to do for an owner in foreground deletion. */
export interface ForegroundPlan {
  /** No blocking dependent is left: remove the foregroundDeletion finalizer. */
  removeFinalizer: boolean
  /** Blocking dependents to attempt to delete. */
  deleteDependents: string[]
}

/** processDeletingDependentsItem: only dependents with blockOwnerDeletion hold the owner back. */
export function planForegroundOwner(ownerUid: string, dependents: readonly DependentInfo[]): ForegroundPlan {
  const blocking = dependents.filter(d => d.ownerReferences.some(r => r.uid === ownerUid && r.blockOwnerDeletion))
  if (!blocking.length) return { removeFinalizer: true, deleteDependents: [] }
  return {
    removeFinalizer: false,
    // A blocking dependent that is itself deleting its dependents is already on its way.
    deleteDependents: blocking.filter(d => !d.deletingDependents).map(d => d.uid),
  }
}

/** Whether obj is in foreground deletion. */
export function isDeletingDependents(meta: Pick<ObjectMeta, 'deletionTimestamp' | 'finalizers'>): boolean {
  return !!meta.deletionTimestamp && (meta.finalizers ?? []).includes(FinalizerForeground)
}

/** Whether obj waits for its dependents to be orphaned. */
export function isOrphaning(meta: Pick<ObjectMeta, 'deletionTimestamp' | 'finalizers'>): boolean {
  return !!meta.deletionTimestamp && (meta.finalizers ?? []).includes(FinalizerOrphan)
}

/**
 * A merge patch that drops owner references by uid, guarded by resourceVersion (the server
 * answers 409 if the object changed since it was read). Undefined when nothing would change.
 */
export function removeOwnerReferencesPatch(
  meta: Pick<ObjectMeta, 'ownerReferences' | 'resourceVersion'>,
  uids: readonly string[],
): { metadata: Record<string, unknown> } | undefined {
  const refs = meta.ownerReferences ?? []
  const kept = refs.filter(r => !uids.includes(r.uid))
  if (kept.length === refs.length) return undefined
  return { metadata: { resourceVersion: meta.resourceVersion, ownerReferences: kept.length ? kept : null } }
}

/** A merge patch that drops one finalizer, guarded by resourceVersion. Undefined when absent. */
export function removeFinalizerPatch(
  meta: Pick<ObjectMeta, 'finalizers' | 'resourceVersion'>,
  finalizer: string,
): { metadata: Record<string, unknown> } | undefined {
  const finalizers = meta.finalizers ?? []
  if (!finalizers.includes(finalizer)) return undefined
  const kept = finalizers.filter(f => f !== finalizer)
  return { metadata: { resourceVersion: meta.resourceVersion, finalizers: kept.length ? kept : null } }
}
