/**
 * Volume binding as the scheduler sees it (upstream VolumeBinding plugin): a pod's claims are
 * bound (their PV's nodeAffinity must match the node), unbound with WaitForFirstConsumer (the
 * scheduler picks the node and the provisioner follows its `selected-node` annotation), or
 * unbound and Immediate (the pod waits for the PV controller). Pure: lookups come in as functions.
 */
import {
  BetaStorageClassAnnotation,
  type Node,
  type PersistentVolume,
  type PersistentVolumeClaim,
} from '../../api/core.js'
import type { Pod } from '../../api/pod.js'
import {
  BetaIsDefaultStorageClassAnnotation,
  IsDefaultStorageClassAnnotation,
  type StorageClass,
} from '../../api/storage.js'
import { termsMatch, topologyAllows } from './node-affinity.js'

/** The annotation naming the node a WaitForFirstConsumer claim's volume should be provisioned for. */
export const AnnSelectedNode = 'volume.kubernetes.io/selected-node'

/** Reason texts of the VolumeBinding plugin (1.32). */
export const VolumeReasons = {
  unboundImmediate: 'pod has unbound immediate PersistentVolumeClaims',
  nodeConflict: 'node(s) had volume node affinity conflict',
  bindConflict: "node(s) didn't find available persistent volumes to bind",
  pvNotExist: 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)',
} as const

/** Reads the cluster state the checks need. */
export interface VolumeLookup {
  claim(namespace: string, name: string): PersistentVolumeClaim | undefined
  volume(name: string): PersistentVolume | undefined
  storageClass(name: string): StorageClass | undefined
  /** Whether a node of this name exists (a stale selected-node annotation is ignored). */
  nodeExists(name: string): boolean
  /** Whether a StorageClass is marked default (then class-less claims are not decided yet, see podVolumes). */
  hasDefaultClass?(): boolean
}

/** The pod's claims, sorted by how they constrain the node. */
export interface PodVolumes {
  /** Rejects the pod on every node (PreFilter), with the reason text. */
  reject?: string
  /** A lookup failed in a way a retry may fix (upstream reports these as scheduler errors). */
  error?: string
  bound: { claim: PersistentVolumeClaim; volume?: PersistentVolume }[]
  /** Unbound WaitForFirstConsumer claims: the scheduler chooses their node. */
  delayed: { claim: PersistentVolumeClaim; storageClass: StorageClass }[]
  /**
   * Unbound claims with no class at all while a default class exists: the PV controller is about
   * to bind them to a class-less volume or give them the default class. The pod waits for them.
   */
  undecided: PersistentVolumeClaim[]
}

/** The claim's class name: the beta annotation wins over spec.storageClassName. */
export function claimClassName(claim: PersistentVolumeClaim): string {
  return claim.metadata.annotations?.[BetaStorageClassAnnotation] ?? claim.spec?.storageClassName ?? ''
}

/** No class at all (nil, unlike `""`, which asks for class-less volumes), in the field or the beta annotation. */
const isClassUnset = (claim: PersistentVolumeClaim) =>
  claim.spec?.storageClassName === undefined && claim.metadata.annotations?.[BetaStorageClassAnnotation] === undefined

/** Bound as far as the scheduler is concerned: the PV controller has finished binding it. */
const isBound = (claim: PersistentVolumeClaim) => !!claim.spec?.volumeName && claim.status?.phase === 'Bound'

/** PreFilter: classifies the pod's claims, or rejects the pod outright. */
export function podVolumes(pod: Pod, lookup: VolumeLookup): PodVolumes {
  const out: PodVolumes = { bound: [], delayed: [], undecided: [] }
  let immediate = 0
  const namespace = pod.metadata.namespace ?? 'default'
  for (const v of pod.spec.volumes ?? []) {
    const name = v.persistentVolumeClaim?.claimName
    if (!name) continue
    const claim = lookup.claim(namespace, name)
    if (!claim) return { ...out, reject: `persistentvolumeclaim "${name}" not found` }
    if (claim.metadata.deletionTimestamp) return { ...out, reject: `persistentvolumeclaim "${name}" is being deleted` }
    if (isBound(claim)) {
      out.bound.push({ claim, volume: lookup.volume(claim.spec!.volumeName!) })
      continue
    }
    // NOTE: petset has no DefaultStorageClass admission (the seeds' class-less PVs must bind), so
    // a claim without storageClassName gets the default class from the PV controller, and only when
    // no class-less volume fits. Until then its binding mode is unknown: wait, do not reject (no
    // FailedScheduling, no back-off), as a cluster whose admission had set the class would.
    if (isClassUnset(claim) && lookup.hasDefaultClass?.()) {
      out.undecided.push(claim)
      continue
    }
    const className = claimClassName(claim)
    const storageClass = className ? lookup.storageClass(className) : undefined
    if (className && !storageClass)
      return {
        ...out,
        error: `running PreFilter plugin "VolumeBinding": storageclass.storage.k8s.io "${className}" not found`,
      }
    if (storageClass?.volumeBindingMode === 'WaitForFirstConsumer' && !claim.spec?.volumeName)
      out.delayed.push({ claim, storageClass })
    else immediate++
  }
  if (immediate > 0) return { ...out, reject: VolumeReasons.unboundImmediate }
  return out
}

/** Filter: why the node cannot serve the pod's volumes, or undefined when it can. */
export function volumeConflict(
  volumes: PodVolumes,
  node: Node,
  lookup: Pick<VolumeLookup, 'nodeExists'>,
): string | undefined {
  for (const { volume } of volumes.bound) {
    if (!volume) return VolumeReasons.pvNotExist
    const terms = volume.spec?.nodeAffinity?.required?.nodeSelectorTerms
    if (terms && !termsMatch(terms, node)) return VolumeReasons.nodeConflict
  }
  for (const { claim, storageClass } of volumes.delayed) {
    // A node chosen before (the provisioner may already be at work) stays the choice while it exists.
    const selected = claim.metadata.annotations?.[AnnSelectedNode]
    if (selected && selected !== node.metadata.name && lookup.nodeExists(selected)) return VolumeReasons.bindConflict
    if (!topologyAllows(storageClass.allowedTopologies, node)) return VolumeReasons.bindConflict
  }
  return undefined
}

/** The class is the cluster's default (the GA or the beta annotation). */
export function isDefaultClass(sc: StorageClass): boolean {
  const a = sc.metadata.annotations ?? {}
  return a[IsDefaultStorageClassAnnotation] === 'true' || a[BetaIsDefaultStorageClassAnnotation] === 'true'
}

/** Whether every delayed claim has been bound since (the pod may now be bound to its node). */
export function delayedClaimsBound(claims: PersistentVolumeClaim[]): boolean {
  return claims.every(isBound)
}
