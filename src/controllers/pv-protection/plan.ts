/**
 * Decisions of the storage-object-in-use protection controllers (upstream pvcprotection and
 * pvprotection, and protectionutil): when the `kubernetes.io/pvc-protection` and
 * `kubernetes.io/pv-protection` finalizers are added and removed. Pure.
 */
import type { PersistentVolume } from '../../api/core.js'
import type { KObject } from '../../api/meta.js'
import type { Pod } from '../../api/pod.js'

/** Keeps a claim while a pod uses it. */
export const PVCProtectionFinalizer = 'kubernetes.io/pvc-protection'
/** Keeps a volume while it is Bound. */
export const PVProtectionFinalizer = 'kubernetes.io/pv-protection'

/** What to do with an object's protection finalizer. */
export type ProtectionAction = 'add' | 'remove' | 'none'

const hasFinalizer = (obj: KObject, f: string) => (obj.metadata.finalizers ?? []).includes(f)

/** protectionutil.NeedToAddFinalizer: not being deleted and the finalizer is missing. */
export function needsFinalizer(obj: KObject, finalizer: string): boolean {
  return !obj.metadata.deletionTimestamp && !hasFinalizer(obj, finalizer)
}

/** protectionutil.IsDeletionCandidate: being deleted and still holding the finalizer. */
export function isDeletionCandidate(obj: KObject, finalizer: string): boolean {
  return !!obj.metadata.deletionTimestamp && hasFinalizer(obj, finalizer)
}

/**
 * podUsesPVC (upstream 1.32): a scheduled pod that mounts the claim uses it. Only a pod's node
 * can start it, and the kubelet refuses claims being deleted, so unscheduled pods do not count.
 * NOTE: as upstream, any scheduled pod object that mounts the claim holds it, even one that has
 * finished or is terminating: the claim goes once the pod object is gone. (Upstream's shut-down
 * exception applies only to generic ephemeral volumes, which petset does not serve.)
 */
export function podUsesClaim(pod: Pod, claimName: string): boolean {
  if (!pod.spec?.nodeName) return false
  return (pod.spec.volumes ?? []).some(v => v.persistentVolumeClaim?.claimName === claimName)
}

/** The `namespace/claim` keys of the claims a pod mounts. */
export function claimKeysOf(pod: Pod): string[] {
  const keys: string[] = []
  for (const v of pod.spec?.volumes ?? [])
    if (v.persistentVolumeClaim?.claimName) keys.push(`${pod.metadata.namespace}/${v.persistentVolumeClaim.claimName}`)
  return keys
}

/** processPVC: remove the finalizer of an unused deleting claim; add it to a live claim lacking it. */
export function planClaimProtection(claim: KObject, inUse: boolean): ProtectionAction {
  if (isDeletionCandidate(claim, PVCProtectionFinalizer)) return inUse ? 'none' : 'remove'
  return needsFinalizer(claim, PVCProtectionFinalizer) ? 'add' : 'none'
}

/** processPV: a deleting volume loses the finalizer once it is not Bound; live volumes get it. */
export function planVolumeProtection(volume: PersistentVolume): ProtectionAction {
  if (isDeletionCandidate(volume, PVProtectionFinalizer)) return volume.status?.phase === 'Bound' ? 'none' : 'remove'
  return needsFinalizer(volume, PVProtectionFinalizer) ? 'add' : 'none'
}

/** The object with `finalizer` added or removed (a copy; the input is never touched). */
export function withFinalizer<T extends KObject>(obj: T, finalizer: string, action: 'add' | 'remove'): T {
  const next = structuredClone(obj) as T
  const rest = (obj.metadata.finalizers ?? []).filter(f => f !== finalizer)
  next.metadata.finalizers = action === 'add' ? [...rest, finalizer] : rest
  return next
}
