/**
 * Which pods and revisions a StatefulSet controls (upstream controller_ref_manager.go ClaimPods and
 * the history ListControllerRevisions): owned ones that still match are kept, owned ones that no
 * longer match are released, matching orphans are adopted (statefulset.md §1.4). Pure: it sorts
 * objects into those lists; the patches are written through StatefulPodControl.
 */
import type { ControllerRevision, StatefulSet } from '../../api/apps.js'
import type { KObject } from '../../api/meta.js'
import type { Pod } from '../../api/pod.js'
import type { Selector } from '../../machinery/labels.js'
import { getControllerOf } from '../../machinery/objects.js'
import { isMemberOf, setControllerRef } from './pods.js'

/** The outcome of claiming: kept, to adopt, to release. */
export interface PodClaims {
  /** Pods controlled by the set that still match (adopted pods join them once patched). */
  claimed: Pod[]
  /** Matching orphans. */
  adopt: Pod[]
  /** Controlled pods that no longer match. */
  release: Pod[]
}

/**
 * Sorts candidate pods (the namespace's pods controlled by the set or by nothing). A pod matches
 * when the selector matches its labels and its name says it belongs to the set. A set being
 * deleted adopts and releases nothing; terminating orphans are never adopted.
 */
export function classifyPods(set: StatefulSet, selector: Selector, candidates: readonly Pod[]): PodClaims {
  const out: PodClaims = { claimed: [], adopt: [], release: [] }
  const deleting = !!set.metadata.deletionTimestamp
  for (const pod of candidates) {
    const matches = selector.matches(pod.metadata.labels) && isMemberOf(set, pod)
    const ref = getControllerOf(pod)
    if (ref) {
      if (ref.uid !== set.metadata.uid) continue
      if (matches) out.claimed.push(pod)
      else if (!deleting) out.release.push(pod)
      continue
    }
    if (deleting || !matches || pod.metadata.deletionTimestamp) continue
    out.adopt.push(pod)
  }
  return out
}

/** Whether an object is controlled by the set or by nothing (adoptable or ours). */
export function isOwnedOrOrphan(obj: KObject, set: StatefulSet): boolean {
  const ref = getControllerOf(obj)
  return !ref || ref.uid === set.metadata.uid
}

/** The set's revisions among those matching its selector: controlled by it or orphaned. */
export function ownedRevisions(set: StatefulSet, matching: readonly ControllerRevision[]): ControllerRevision[] {
  return matching.filter(r => isOwnedOrOrphan(r, set))
}

/** Strategic merge patch adding the set as controller of obj (uid guards against a re-created object). */
export function adoptPatch(set: StatefulSet, obj: KObject): unknown {
  return { metadata: { ownerReferences: [setControllerRef(set)], uid: obj.metadata.uid } }
}

/**
 * JSON merge patch adding the set as controller of obj: the whole reference list, guarded by uid and
 * resourceVersion (a concurrent change of the list is a Conflict, not a lost update).
 */
export function adoptMergePatch(set: StatefulSet, obj: KObject): unknown {
  const ownerReferences = [...(obj.metadata.ownerReferences ?? []), setControllerRef(set)]
  return { metadata: { ownerReferences, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion } }
}

/** Strategic merge patch removing the set's reference from obj. */
export function releasePatch(set: StatefulSet, obj: KObject): unknown {
  return { metadata: { ownerReferences: [{ $patch: 'delete', uid: set.metadata.uid }], uid: obj.metadata.uid } }
}
