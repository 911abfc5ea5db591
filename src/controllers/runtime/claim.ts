/**
 * Controller-reference claiming (upstream controller.BaseControllerRefManager.ClaimObject): whether
 * a controller keeps, adopts, releases or ignores an object, given its ownerReferences and whether
 * the controller's selector matches it; plus the strategic-merge patches that adopt and release.
 * Pure: no I/O.
 * Shared by the ReplicaSet controller (pods) and the Deployment controller (ReplicaSets).
 */
import type { KObject, OwnerReference } from '../../api/meta.js'
import { getControllerOf } from '../../machinery/objects.js'

/** What to do with one candidate object. */
export type ClaimDecision = 'own' | 'adopt' | 'release' | 'ignore'

/**
 * ClaimObject's rules. Owned and matching: own (even while the controller is being deleted).
 * Owned but not matching: release, unless the controller is being deleted. Orphan, matching,
 * neither side being deleted, same namespace: adopt. Anything else: ignore.
 */
export function decideClaim(controller: KObject, obj: KObject, matches: boolean): ClaimDecision {
  const ref = getControllerOf(obj)
  const controllerDeleting = !!controller.metadata.deletionTimestamp
  if (ref) {
    if (ref.uid !== controller.metadata.uid) return 'ignore'
    if (matches) return 'own'
    return controllerDeleting ? 'ignore' : 'release'
  }
  if (controllerDeleting || !matches || obj.metadata.deletionTimestamp) return 'ignore'
  if (controller.metadata.namespace && controller.metadata.namespace !== obj.metadata.namespace) return 'ignore'
  return 'adopt'
}

/** The patch that makes `ref` the object's controller (AdoptPod / AdoptReplicaSet). */
export function adoptPatch(obj: KObject, ref: OwnerReference): object {
  return { metadata: { ownerReferences: [ref], uid: obj.metadata.uid } }
}

/** The patch that removes the controller's reference (ReleasePod / ReleaseReplicaSet). */
export function releasePatch(obj: KObject, controllerUid: string): object {
  return { metadata: { ownerReferences: [{ $patch: 'delete', uid: controllerUid }], uid: obj.metadata.uid } }
}
