/**
 * What the PV controller does next for one volume (upstream syncVolume, reclaimVolume,
 * isVolumeReleased, and the choice of recycler and deleter). Pure: data in, a plan out.
 * Messages are upstream's, because `kubectl describe pv` shows them.
 */
import path from 'node:path'
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/core.js'
import { volumeModeMismatches } from './match.js'
import { AnnDynamicallyProvisioned, AnnMigratedTo, type PlannedEvent, Reasons } from './names.js'

/** The next step for a volume. */
export type VolumePlan =
  /** Set the phase (no-op when already there). */
  | { action: 'phase'; phase: 'Available' | 'Bound' }
  /** The claim is gone (or moved on): mark Released unless Released/Failed, then reclaim. */
  | { action: 'reclaim' }
  /** The binding is half done on the claim's side: sync that claim. */
  | { action: 'syncClaim'; claimKey: string }
  /** The volume can never serve its claim: tell both, do nothing else. */
  | { action: 'mismatch'; claimKey: string; volumeEvent: PlannedEvent; claimEvent: PlannedEvent }
  /** Roll back our binding (the claim is bound elsewhere): claimRef off, phase Available. */
  | { action: 'unbind' }

/**
 * syncVolume, given the claim its claimRef names (undefined when that claim does not exist or
 * has another uid: the caller has already double-checked with the API server).
 */
export function planVolume(volume: PersistentVolume, claim: PersistentVolumeClaim | undefined): VolumePlan {
  const ref = volume.spec?.claimRef
  // Unused, or pre-bound to a claim not yet bound to it (the claim's sync will do it).
  if (!ref?.uid) return { action: 'phase', phase: 'Available' }
  if (!claim) return { action: 'reclaim' }
  const wanted = claim.spec?.volumeName
  const claimKey = `${claim.metadata.namespace}/${claim.metadata.name}`
  if (!wanted) {
    if (volumeModeMismatches(claim.spec ?? {}, volume.spec ?? {}))
      return {
        action: 'mismatch',
        claimKey,
        volumeEvent: {
          type: 'Warning',
          reason: Reasons.VolumeMismatch,
          message: `Cannot bind PersistentVolume to requested PersistentVolumeClaim "${claim.metadata.name}" due to incompatible volumeMode.`,
        },
        claimEvent: {
          type: 'Warning',
          reason: Reasons.VolumeMismatch,
          message: `Cannot bind PersistentVolume "${volume.metadata.name}" to requested PersistentVolumeClaim due to incompatible volumeMode.`,
        },
      }
    return { action: 'syncClaim', claimKey }
  }
  if (wanted === volume.metadata.name) return { action: 'phase', phase: 'Bound' }
  // The claim is bound to another volume. A volume provisioned just for it is not needed.
  const provisioned = volume.metadata.annotations?.[AnnDynamicallyProvisioned] !== undefined
  if (provisioned && volume.spec?.persistentVolumeReclaimPolicy === 'Delete') return { action: 'reclaim' }
  return { action: 'unbind' }
}

/** Whether syncVolume's Released step applies (a Failed volume keeps its state while retrying). */
export function shouldMarkReleased(volume: PersistentVolume): boolean {
  const phase = volume.status?.phase
  return phase !== 'Released' && phase !== 'Failed'
}

/** What reclaimVolume does for the volume's policy. */
export type ReclaimPlan =
  | { action: 'none' }
  | { action: 'recycle' }
  | { action: 'delete' }
  | { action: 'fail'; event: PlannedEvent }

/** reclaimVolume: Retain keeps the volume Released; unknown policies fail it. */
export function planReclaim(volume: PersistentVolume): ReclaimPlan {
  // A migrated volume belongs to its CSI driver's provisioner.
  if (volume.metadata.annotations?.[AnnMigratedTo]) return { action: 'none' }
  switch (volume.spec?.persistentVolumeReclaimPolicy) {
    case 'Retain':
      return { action: 'none' }
    case 'Recycle':
      return { action: 'recycle' }
    case 'Delete':
      return { action: 'delete' }
    default:
      return {
        action: 'fail',
        event: {
          type: 'Warning',
          reason: Reasons.VolumeUnknownReclaimPolicy,
          message: 'Volume has unrecognized PersistentVolumeReclaimPolicy',
        },
      }
  }
}

/**
 * isVolumeReleased: the volume is bound (claimRef with uid) and its claim is gone, has another
 * uid, or is bound to a different volume. `claim` is the cached claim of that name, if any.
 */
export function isVolumeReleased(volume: PersistentVolume, claim: PersistentVolumeClaim | undefined): boolean {
  const ref = volume.spec?.claimRef
  if (!ref?.uid) return false
  if (claim && claim.metadata.uid === ref.uid) {
    const bound = claim.spec?.volumeName
    return !!bound && bound !== volume.metadata.name
  }
  return true
}

/** A directory the recycler may scrub. */
export interface RecycleTarget {
  kind: 'hostPath' | 'local'
  path: string
}

/**
 * FindRecyclablePluginBySpec, petset's way: hostPath volumes, and local volumes that live in the
 * petset volumes directory. Anything else (nfs, csi, ...) has no recycler here.
 */
export function recycleTargetOf(volume: PersistentVolume, volumesDir: string | undefined): RecycleTarget | undefined {
  const spec = volume.spec ?? {}
  if (spec.hostPath?.path) return { kind: 'hostPath', path: spec.hostPath.path }
  if (spec.local?.path && volumesDir && isInside(volumesDir, spec.local.path))
    return { kind: 'local', path: spec.local.path }
  return undefined
}

/** How a volume's storage is deleted. */
export type Deleter =
  /** Another component (an external provisioner or CSI driver) deletes it: do nothing. */
  | { kind: 'external' }
  /** The in-tree hostPath deleter: remove the directory (only below /tmp). */
  | { kind: 'hostPath'; path: string }
  /** No deleter: the volume turns Failed with this message. */
  | { kind: 'none'; message: string }

/** findDeletablePlugin plus the hostPath deleter's path rule. */
export function deleterOf(volume: PersistentVolume): Deleter {
  const provisioner = volume.metadata.annotations?.[AnnDynamicallyProvisioned]
  if (provisioner) {
    if (!provisioner.startsWith('kubernetes.io/')) return { kind: 'external' }
    return { kind: 'none', message: `no volume plugin matched name: ${provisioner}` }
  }
  if (volume.metadata.annotations?.[AnnMigratedTo] || volume.spec?.csi) return { kind: 'external' }
  const hostPath = volume.spec?.hostPath?.path
  if (hostPath) {
    // NOTE: upstream's pattern is unanchored ("/tmp/.+"); anchoring keeps /home/x/tmp/y safe,
    // and the path is normalized first, so /tmp/../etc does not qualify.
    if (!/^\/tmp\/.+/.test(path.posix.normalize(hostPath)))
      return { kind: 'none', message: `host_path deleter only supports /tmp/.+ but received provided ${hostPath}` }
    return { kind: 'hostPath', path: path.posix.normalize(hostPath) }
  }
  return {
    kind: 'none',
    message: `error getting deleter volume plugin for volume "${volume.metadata.name}": no deletable volume plugin matched`,
  }
}

/** Whether `child` lies strictly below `root` (lexically; the I/O side re-checks real paths). */
export function isInside(root: string, child: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(child))
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
}
