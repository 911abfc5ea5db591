/**
 * Which PersistentVolume a claim gets (upstream persistentVolumeOrderedIndex.findByClaim and
 * component-helpers' FindMatchingVolume), plus the class helpers both sides of a binding use.
 * Pure: no I/O, no clock. Node affinity is not checked here; that is the scheduler's job.
 */
import {
  BetaStorageClassAnnotation,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type PersistentVolumeClaimSpec,
  type PersistentVolumeSpec,
} from '../../api/core.js'
import {
  BetaIsDefaultStorageClassAnnotation,
  IsDefaultStorageClassAnnotation,
  type StorageClass,
} from '../../api/storage.js'
import { selectorFromLabelSelector } from '../../machinery/labels.js'
import { compareQuantities, isValidQuantity } from '../../machinery/quantity.js'

/** GetPersistentVolumeClaimClass: the beta annotation wins, then spec.storageClassName, else "". */
export function claimClassOf(claim: PersistentVolumeClaim): string {
  const annotated = claim.metadata.annotations?.[BetaStorageClassAnnotation]
  if (annotated !== undefined) return annotated
  return claim.spec?.storageClassName ?? ''
}

/** GetPersistentVolumeClass: the beta annotation wins, then spec.storageClassName, else "". */
export function volumeClassOf(volume: PersistentVolume): string {
  const annotated = volume.metadata.annotations?.[BetaStorageClassAnnotation]
  if (annotated !== undefined) return annotated
  return volume.spec?.storageClassName ?? ''
}

/** PersistentVolumeClaimHasClass: the claim names a class, even "" (explicitly none). */
export function claimHasClass(claim: PersistentVolumeClaim): boolean {
  return claim.metadata.annotations?.[BetaStorageClassAnnotation] !== undefined || claim.spec?.storageClassName != null
}

/** storageutil.IsDefaultAnnotation: either spelling of the default-class annotation is "true". */
export function isDefaultClass(sc: StorageClass): boolean {
  const a = sc.metadata.annotations ?? {}
  return a[IsDefaultStorageClassAnnotation] === 'true' || a[BetaIsDefaultStorageClassAnnotation] === 'true'
}

/** GetDefaultClass: among default classes the newest wins, ties by name; undefined when none. */
export function getDefaultClass(classes: readonly StorageClass[]): StorageClass | undefined {
  const defaults = classes.filter(isDefaultClass)
  defaults.sort((a, b) => {
    const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0
    const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0
    if (ta !== tb) return tb - ta
    return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1
  })
  return defaults[0]
}

/** IsDelayBindingMode: the claim's class exists and binds WaitForFirstConsumer. */
export function isDelayBindingMode(claim: PersistentVolumeClaim, classes: readonly StorageClass[]): boolean {
  const name = claimClassOf(claim)
  if (!name) return false
  return classes.find(c => c.metadata.name === name)?.volumeBindingMode === 'WaitForFirstConsumer'
}

/** IsVolumeBoundToClaim: claimRef names the claim, and its uid (if set) is the claim's. */
export function isVolumeBoundToClaim(volume: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = volume.spec?.claimRef
  if (!ref) return false
  if (ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace) return false
  return !ref.uid || ref.uid === claim.metadata.uid
}

/** CheckVolumeModeMismatches: a missing volumeMode means Filesystem on either side. */
export function volumeModeMismatches(claim: PersistentVolumeClaimSpec, volume: PersistentVolumeSpec): boolean {
  return (claim.volumeMode ?? 'Filesystem') !== (volume.volumeMode ?? 'Filesystem')
}

/** CheckAccessModes: the volume offers every mode the claim asks for. */
export function volumeHasAccessModes(claim: PersistentVolumeClaim, volume: PersistentVolume): boolean {
  const offered = new Set(volume.spec?.accessModes ?? [])
  return (claim.spec?.accessModes ?? []).every(m => offered.has(m))
}

const modeOrder = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod']

/** GetAccessModesAsString's set: the volume's distinct known modes, in upstream's fixed order. */
function accessModeSet(volume: PersistentVolume): string[] {
  const has = new Set(volume.spec?.accessModes ?? [])
  return modeOrder.filter(m => has.has(m))
}

const storageOf = (o: { spec?: { capacity?: Record<string, string> } }) => o.spec?.capacity?.storage
const requestOf = (c: PersistentVolumeClaim) => c.spec?.resources?.requests?.storage ?? '0'

/** Compares quantities, treating an unparsable one as zero (validation keeps them out). */
function compareSafe(a: string | undefined, b: string | undefined): number {
  const x = a !== undefined && isValidQuantity(a) ? a : '0'
  const y = b !== undefined && isValidQuantity(b) ? b : '0'
  return compareQuantities(x, y)
}

/**
 * FindMatchingVolume (controller path, no node): a volume pre-bound to the claim wins if big
 * enough; otherwise the smallest Available, unclaimed volume of the claim's class whose labels
 * match the selector. With delayBinding only pre-bound volumes are returned (the scheduler binds
 * the rest). Ties between equal sizes go to the first name in sort order, for determinism.
 */
export function findMatchingVolume(
  claim: PersistentVolumeClaim,
  volumes: readonly PersistentVolume[],
  opts: { delayBinding?: boolean } = {},
): PersistentVolume | undefined {
  const requested = requestOf(claim)
  const requestedClass = claimClassOf(claim)
  // Validation guarantees a valid selector; an invalid one matches nothing rather than throwing.
  let selector: { matches(l: Record<string, string> | undefined): boolean } | undefined
  if (claim.spec?.selector) {
    try {
      selector = selectorFromLabelSelector(claim.spec.selector)
    } catch {
      selector = { matches: () => false }
    }
  }
  const sorted = [...volumes].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1))
  let smallest: PersistentVolume | undefined
  for (const volume of sorted) {
    if (volume.spec?.claimRef && !isVolumeBoundToClaim(volume, claim)) continue
    if (compareSafe(storageOf(volume), requested) < 0) continue
    if (volumeModeMismatches(claim.spec ?? {}, volume.spec ?? {})) continue
    if (volume.metadata.deletionTimestamp) continue
    if (isVolumeBoundToClaim(volume, claim)) return volume
    if (opts.delayBinding) continue
    if (volume.status?.phase !== 'Available') continue
    if (selector && !selector.matches(volume.metadata.labels)) continue
    if (volumeClassOf(volume) !== requestedClass) continue
    if (!smallest || compareSafe(storageOf(smallest), storageOf(volume)) > 0) smallest = volume
  }
  return smallest
}

/**
 * findBestMatchForClaim: volumes are grouped by their set of access modes; groups that contain
 * every requested mode are searched with the fewest modes first, so a ReadWriteOnce claim takes
 * a ReadWriteOnce-only volume before a ReadWriteOnce+ReadWriteMany one of the same size.
 */
export function findBestMatchForClaim(
  claim: PersistentVolumeClaim,
  volumes: readonly PersistentVolume[],
  opts: { delayBinding?: boolean } = {},
): PersistentVolume | undefined {
  const groups = new Map<string, { modes: string[]; volumes: PersistentVolume[] }>()
  for (const v of volumes) {
    const modes = accessModeSet(v)
    const key = modes.join(',')
    let g = groups.get(key)
    if (!g) groups.set(key, (g = { modes, volumes: [] }))
    g.volumes.push(v)
  }
  const requested = claim.spec?.accessModes ?? []
  const candidates = [...groups.values()].filter(g => requested.every(m => g.modes.includes(m)))
  // Upstream sorts only by the number of modes (unstable); the key breaks ties deterministically.
  candidates.sort((a, b) => a.modes.length - b.modes.length || (a.modes.join() < b.modes.join() ? -1 : 1))
  for (const g of candidates) {
    const found = findMatchingVolume(claim, g.volumes, opts)
    if (found) return found
  }
  return undefined
}

/** checkVolumeSatisfyClaim: why a volume the claim asked for by name cannot serve it, or undefined. */
export function volumeUnsatisfiedReason(volume: PersistentVolume, claim: PersistentVolumeClaim): string | undefined {
  if (volume.metadata.deletionTimestamp) return `the volume is marked for deletion "${volume.metadata.name}"`
  if (compareSafe(storageOf(volume), requestOf(claim)) < 0) return 'requested PV is too small'
  if (volumeClassOf(volume) !== claimClassOf(claim)) return 'storageClassName does not match'
  if (volumeModeMismatches(claim.spec ?? {}, volume.spec ?? {})) return 'incompatible volumeMode'
  if (!volumeHasAccessModes(claim, volume)) return 'incompatible accessMode'
  return undefined
}
