/**
 * The object edits a binding is made of (upstream GetBindVolumeToClaim, bindClaimToVolume,
 * updateClaimStatus, updateVolumePhase, unbindVolume). Each returns a changed copy, or undefined
 * when nothing would change, so the caller writes only what differs. Pure: inputs are never
 * mutated (they are frozen informer objects).
 */
import type {
  ObjectReference,
  PersistentVolume,
  PersistentVolumeClaim,
  PersistentVolumeClaimStatus,
} from '../../api/core.js'
import { deepEqual } from '../../machinery/objects.js'
import { compareQuantities, isValidQuantity } from '../../machinery/quantity.js'
import { isVolumeBoundToClaim } from './match.js'
import { AnnBetaStorageProvisioner, AnnBindCompleted, AnnBoundByController, AnnStorageProvisioner } from './names.js'

/** reference.GetReference for a claim: what pv.spec.claimRef holds once bound. */
export function claimRefFor(claim: PersistentVolumeClaim): ObjectReference {
  return {
    kind: 'PersistentVolumeClaim',
    namespace: claim.metadata.namespace,
    name: claim.metadata.name,
    uid: claim.metadata.uid,
    apiVersion: 'v1',
    resourceVersion: claim.metadata.resourceVersion,
  }
}

const hasAnnotation = (o: { metadata: { annotations?: Record<string, string> } }, key: string) =>
  o.metadata.annotations?.[key] !== undefined

function annotate<T extends { metadata: { annotations?: Record<string, string> } }>(o: T, key: string, value: string) {
  o.metadata.annotations = { ...o.metadata.annotations, [key]: value }
}

/** GetBindVolumeToClaim: the volume with claimRef (uid included) and bound-by-controller set. */
export function volumeBoundToClaim(
  volume: PersistentVolume,
  claim: PersistentVolumeClaim,
): PersistentVolume | undefined {
  const setByController = !isVolumeBoundToClaim(volume, claim)
  const next = structuredClone(volume) as PersistentVolume
  next.spec ??= {}
  let dirty = false
  const ref = volume.spec?.claimRef
  if (
    !ref ||
    ref.name !== claim.metadata.name ||
    ref.namespace !== claim.metadata.namespace ||
    ref.uid !== claim.metadata.uid
  ) {
    next.spec.claimRef = claimRefFor(claim)
    dirty = true
  }
  if (setByController && !hasAnnotation(next, AnnBoundByController)) {
    annotate(next, AnnBoundByController, 'yes')
    dirty = true
  }
  return dirty ? next : undefined
}

/** updateVolumePhase's edit: phase and message, only when the phase differs. */
export function volumeWithPhase(volume: PersistentVolume, phase: string, message = ''): PersistentVolume | undefined {
  if (volume.status?.phase === phase) return undefined
  const next = structuredClone(volume) as PersistentVolume
  next.status = { ...next.status, phase }
  if (message) next.status.message = message
  else delete next.status.message
  return next
}

/** bindClaimToVolume: volumeName plus bound-by-controller (when we set it) and bind-completed. */
export function claimBoundToVolume(
  claim: PersistentVolumeClaim,
  volume: PersistentVolume,
): PersistentVolumeClaim | undefined {
  const next = structuredClone(claim) as PersistentVolumeClaim
  next.spec ??= {}
  let dirty = false
  if (claim.spec?.volumeName !== volume.metadata.name) {
    next.spec.volumeName = volume.metadata.name
    if (!hasAnnotation(next, AnnBoundByController)) annotate(next, AnnBoundByController, 'yes')
    dirty = true
  }
  if (!hasAnnotation(next, AnnBindCompleted)) {
    annotate(next, AnnBindCompleted, 'yes')
    dirty = true
  }
  return dirty ? next : undefined
}

/**
 * updateClaimStatus's edit: phase, and accessModes/capacity from the volume (cleared without
 * one). Capacity is copied only when the phase changes: a later difference can be intentional
 * (a filesystem smaller than its block device). Throws when a bound volume has no capacity.
 */
export function claimWithStatus(
  claim: PersistentVolumeClaim,
  phase: string,
  volume?: PersistentVolume,
): PersistentVolumeClaim | undefined {
  const prev: PersistentVolumeClaimStatus = claim.status ?? {}
  const status: PersistentVolumeClaimStatus = structuredClone(prev)
  let dirty = false
  if (prev.phase !== phase) {
    status.phase = phase
    dirty = true
  }
  if (!volume) {
    if (prev.accessModes !== undefined) delete status.accessModes
    if (prev.capacity !== undefined) delete status.capacity
    dirty ||= prev.accessModes !== undefined || prev.capacity !== undefined
  } else {
    if (!deepEqual(prev.accessModes, volume.spec?.accessModes)) {
      status.accessModes = structuredClone(volume.spec?.accessModes)
      dirty = true
    }
    if (prev.phase !== phase) {
      const size = volume.spec?.capacity?.storage
      if (size === undefined)
        throw new Error(`PersistentVolume "${volume.metadata.name}" is without a storage capacity`)
      const had = prev.capacity?.storage
      if (had === undefined || !isValidQuantity(had) || !isValidQuantity(size) || compareQuantities(size, had) !== 0) {
        status.capacity = structuredClone(volume.spec?.capacity)
        dirty = true
      }
    }
  }
  if (!dirty) return undefined
  const next = structuredClone(claim) as PersistentVolumeClaim
  next.status = status
  return next
}

/** unbindVolume's spec edit: a controller binding is dropped; a user's pre-binding keeps its name. */
export function volumeUnbound(volume: PersistentVolume): PersistentVolume {
  const next = structuredClone(volume) as PersistentVolume
  next.spec ??= {}
  if (hasAnnotation(volume, AnnBoundByController)) {
    delete next.spec.claimRef
    const { [AnnBoundByController]: _, ...rest } = next.metadata.annotations ?? {}
    if (Object.keys(rest).length) next.metadata.annotations = rest
    else delete next.metadata.annotations
  } else if (next.spec.claimRef) {
    delete next.spec.claimRef.uid
  }
  return next
}

/** assignDefaultStorageClass's edit. */
export function claimWithClass(claim: PersistentVolumeClaim, className: string): PersistentVolumeClaim {
  const next = structuredClone(claim) as PersistentVolumeClaim
  next.spec = { ...next.spec, storageClassName: className }
  return next
}

/** setClaimProvisioner: both spellings of the storage-provisioner annotation, when not yet set. */
export function claimWithProvisioner(
  claim: PersistentVolumeClaim,
  provisioner: string,
): PersistentVolumeClaim | undefined {
  if (claim.metadata.annotations?.[AnnStorageProvisioner] === provisioner) return undefined
  const next = structuredClone(claim) as PersistentVolumeClaim
  annotate(next, AnnBetaStorageProvisioner, provisioner)
  annotate(next, AnnStorageProvisioner, provisioner)
  return next
}
