/**
 * PersistentVolumeClaims of a StatefulSet (upstream stateful_set_utils.go, 1.31+ semantics): claim
 * names, the claims a pod needs, and the ownerReferences the retention policy asks for
 * (statefulset.md §3.4). Pure: no I/O. Nothing here mutates its arguments.
 */
import type { StatefulSet } from '../../api/apps.js'
import type { PersistentVolumeClaim } from '../../api/core.js'
import type { KObject, OwnerReference } from '../../api/meta.js'
import type { Pod } from '../../api/pod.js'
import { getClaimName, getOrdinal, PodKind, podInOrdinalRange, StatefulSetKind } from './pods.js'

/** Read access to the claims of the set's namespace, by name (a Map or a lister view). */
export interface ClaimLookup {
  get(name: string): PersistentVolumeClaim | undefined
}

/** The claim names a pod of this ordinal uses, in template order. */
export function getClaimNames(set: StatefulSet, ordinal: number): string[] {
  return (set.spec.volumeClaimTemplates ?? []).map(t => getClaimName(set, t, ordinal))
}

/**
 * The claims the pod needs, built from the templates: name, namespace, template labels overlaid
 * with the selector's matchLabels (matchExpressions add nothing), annotations and spec as given.
 */
export function getPersistentVolumeClaims(set: StatefulSet, pod: Pod): PersistentVolumeClaim[] {
  const ordinal = getOrdinal(pod)
  return (set.spec.volumeClaimTemplates ?? []).map(template => newClaim(set, template, ordinal))
}

/** The claim of one template for one ordinal (a fresh object: the template is copied). */
function newClaim(set: StatefulSet, template: PersistentVolumeClaim, ordinal: number): PersistentVolumeClaim {
  const matchLabels = set.spec.selector?.matchLabels
  const claim = structuredClone(template)
  delete claim.status
  claim.apiVersion = 'v1'
  claim.kind = 'PersistentVolumeClaim'
  const { creationTimestamp: _, ...meta } = claim.metadata
  claim.metadata = { ...meta, name: getClaimName(set, template, ordinal), namespace: set.metadata.namespace }
  if (claim.metadata.labels || matchLabels) claim.metadata.labels = { ...claim.metadata.labels, ...matchLabels }
  return claim
}

/**
 * The pod's claims as they exist (`existing`, from the lookup) or as they would be created
 * (`build()`, copying the template only when called). Every sync looks at every pod's claims, and
 * only missing ones need a new object: this keeps a steady 1000-replica sync from copying 1000
 * templates.
 */
export function podClaims(
  set: StatefulSet,
  pod: Pod,
  claims: ClaimLookup,
): { name: string; existing: PersistentVolumeClaim | undefined; build: () => PersistentVolumeClaim }[] {
  const ordinal = getOrdinal(pod)
  return (set.spec.volumeClaimTemplates ?? []).map(template => {
    const name = getClaimName(set, template, ordinal)
    return { name, existing: claims.get(name), build: () => newClaim(set, template, ordinal) }
  })
}

type Retention = 'Retain' | 'Delete'

/** The retention policy with Retain for anything unset. */
export function getRetentionPolicy(set: StatefulSet): { whenDeleted: Retention; whenScaled: Retention } {
  const p = set.spec.persistentVolumeClaimRetentionPolicy
  return {
    whenDeleted: p?.whenDeleted === 'Delete' ? 'Delete' : 'Retain',
    whenScaled: p?.whenScaled === 'Delete' ? 'Delete' : 'Retain',
  }
}

const isRetainAll = (set: StatefulSet) => {
  const p = getRetentionPolicy(set)
  return p.whenDeleted === 'Retain' && p.whenScaled === 'Retain'
}

type Kind = { apiVersion: string; kind: string }

/** The reference names this object by apiVersion, kind and name (whatever its UID). */
const matchesRef = (ref: OwnerReference, obj: KObject, kind: Kind) =>
  ref.apiVersion === kind.apiVersion && ref.kind === kind.kind && ref.name === obj.metadata.name

const uidOf = (obj: KObject) => obj.metadata.uid ?? ''

/** The claim references obj by name and kind but with another UID: left from an earlier object. */
export function hasStaleOwnerRef(claim: PersistentVolumeClaim, obj: KObject, kind: Kind): boolean {
  const ref = (claim.metadata.ownerReferences ?? []).find(r => matchesRef(r, obj, kind))
  return ref !== undefined && ref.uid !== uidOf(obj)
}

/** Some reference on target has the owner's UID (controller or not). */
export function hasOwnerRef(target: KObject, owner: KObject): boolean {
  const uid = uidOf(owner)
  return (target.metadata.ownerReferences ?? []).some(r => r.uid === uid)
}

/**
 * Under a non-Retain policy, the claim is controlled by something other than this set or pod, or
 * references them with a stale UID. Such claims are left alone (and reported as ConflictingController).
 */
export function hasUnexpectedController(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  if (isRetainAll(set)) return false
  for (const ref of claim.metadata.ownerReferences ?? []) {
    if (matchesRef(ref, set, StatefulSetKind)) {
      if (ref.uid !== uidOf(set)) return true
      continue
    }
    if (matchesRef(ref, pod, PodKind)) {
      if (ref.uid !== uidOf(pod)) return true
      continue
    }
    if (ref.controller) return true
  }
  return false
}

/** The set or pod owns the claim without being its controller (an older, non-controller ref). */
function hasNonControllerOwner(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  return (claim.metadata.ownerReferences ?? []).some(
    r => (r.uid === uidOf(set) || r.uid === uidOf(pod)) && !r.controller,
  )
}

/**
 * Whether the claim's references already fit the policy (isClaimOwnerUpToDate). Stale references
 * and foreign controllers count as up to date, so those claims are never touched — except that our
 * own references next to a foreign controller must be removed.
 */
export function isClaimOwnerUpToDate(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  if (hasStaleOwnerRef(claim, set, StatefulSetKind) || hasStaleOwnerRef(claim, pod, PodKind)) return true
  if (hasUnexpectedController(claim, set, pod)) return !(hasOwnerRef(claim, set) || hasOwnerRef(claim, pod))
  if (hasNonControllerOwner(claim, set, pod)) return false
  const { wantSet, wantPod } = desiredRefs(set, pod)
  return hasOwnerRef(claim, set) === wantSet && hasOwnerRef(claim, pod) === wantPod
}

/** Which of our references the policy wants on a claim of this pod (statefulset.md §3.4 table). */
function desiredRefs(set: StatefulSet, pod: Pod): { wantSet: boolean; wantPod: boolean } {
  const { whenDeleted, whenScaled } = getRetentionPolicy(set)
  const scaledDown = !podInOrdinalRange(pod, set)
  if (whenScaled === 'Retain') return { wantSet: whenDeleted === 'Delete', wantPod: false }
  if (whenDeleted === 'Retain') return { wantSet: false, wantPod: scaledDown }
  return { wantSet: !scaledDown, wantPod: scaledDown }
}

/**
 * The claim's ownerReferences after applying the policy (updateClaimOwnerRefForSetAndPod): our
 * references are scrubbed, then the wanted ones added as controller references; other owners stay.
 * Next to a foreign controller nothing of ours is added.
 */
export function claimOwnerRefsFor(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): OwnerReference[] {
  const unexpected = hasUnexpectedController(claim, set, pod)
  const refs = (claim.metadata.ownerReferences ?? []).filter(
    r => !matchesRef(r, set, StatefulSetKind) && !matchesRef(r, pod, PodKind),
  )
  if (unexpected) return refs
  const { wantSet, wantPod } = desiredRefs(set, pod)
  if (wantPod) addControllerRef(refs, pod, PodKind)
  if (wantSet) addControllerRef(refs, set, StatefulSetKind)
  return refs
}

function addControllerRef(refs: OwnerReference[], owner: KObject, kind: Kind): void {
  if (refs.some(r => r.uid === uidOf(owner))) return
  refs.push({ ...kind, name: owner.metadata.name ?? '', uid: uidOf(owner), controller: true, blockOwnerDeletion: true })
}

/**
 * With whenScaled=Delete, a claim of this ordinal that still references an earlier pod of the same
 * name is about to be garbage-collected: the pod must not be created on it (PodClaimIsStale).
 */
export function podClaimIsStale(set: StatefulSet, pod: Pod, claims: ClaimLookup): boolean {
  if (getRetentionPolicy(set).whenScaled === 'Retain') return false
  return podClaims(set, pod, claims).some(
    ({ existing }) => existing !== undefined && hasStaleOwnerRef(existing, pod, PodKind),
  )
}
