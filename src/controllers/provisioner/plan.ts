/**
 * Decisions of the local-path provisioner (sig-storage-lib-external-provisioner's shouldProvision
 * and shouldDelete, rancher local-path-provisioner's volume shape) and its default class. Pure.
 */
import type { Node, PersistentVolume, PersistentVolumeClaim } from '../../api/core.js'
import { BetaStorageClassAnnotation } from '../../api/core.js'
import {
  BetaIsDefaultStorageClassAnnotation,
  IsDefaultStorageClassAnnotation,
  type StorageClass,
} from '../../api/storage.js'

/** The provisioner name StorageClasses use to ask for petset's local volumes. */
export const LocalPathProvisionerName = 'petset.dev/local-path'
/** Name of the default class created at start. */
export const DefaultClassName = 'standard'
/** On a PV: who provisioned it. */
export const AnnDynamicallyProvisioned = 'pv.kubernetes.io/provisioned-by'
/** On a claim: the provisioner the PV controller handed it to. */
export const AnnStorageProvisioner = 'volume.kubernetes.io/storage-provisioner'
/** The beta spelling of AnnStorageProvisioner. */
export const AnnBetaStorageProvisioner = 'volume.beta.kubernetes.io/storage-provisioner'
/** On a claim: the node the scheduler chose (WaitForFirstConsumer). */
export const AnnSelectedNode = 'volume.kubernetes.io/selected-node'
/** The node label local volumes are pinned with. */
export const HostnameLabel = 'kubernetes.io/hostname'

/** The class created when no class uses this provisioner (k3s's local-path, made petset's). */
export function defaultStorageClass(markDefault: boolean): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: DefaultClassName,
      ...(markDefault ? { annotations: { [IsDefaultStorageClassAnnotation]: 'true' } } : {}),
    },
    provisioner: LocalPathProvisionerName,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  }
}

/** What to do about the default class at start: nothing, or create it (default only if no other default exists). */
export function planDefaultClass(classes: readonly StorageClass[]): StorageClass | undefined {
  if (classes.some(c => c.provisioner === LocalPathProvisionerName)) return undefined
  const a = (c: StorageClass) => c.metadata.annotations ?? {}
  const otherDefault = classes.some(
    c => a(c)[IsDefaultStorageClassAnnotation] === 'true' || a(c)[BetaIsDefaultStorageClassAnnotation] === 'true',
  )
  return defaultStorageClass(!otherDefault)
}

/** The claim's class name (beta annotation first). */
export function claimClassOf(claim: PersistentVolumeClaim): string {
  return claim.metadata.annotations?.[BetaStorageClassAnnotation] ?? claim.spec?.storageClassName ?? ''
}

/** The PV name for a claim: `pvc-<claim uid>`, deterministic so a retry finds its own volume. */
export function volumeNameFor(claim: PersistentVolumeClaim): string {
  return `pvc-${claim.metadata.uid}`
}

/** Whether to provision the claim, and with which class (shouldProvision). */
export function classToProvision(
  claim: PersistentVolumeClaim,
  classes: readonly StorageClass[],
  provisioner = LocalPathProvisionerName,
): StorageClass | undefined {
  if (claim.spec?.volumeName) return undefined
  if (claim.metadata.deletionTimestamp) return undefined
  const a = claim.metadata.annotations ?? {}
  const asked = a[AnnStorageProvisioner] ?? a[AnnBetaStorageProvisioner]
  if (asked !== provisioner) return undefined
  const sc = classes.find(c => c.metadata.name === claimClassOf(claim))
  if (!sc || sc.provisioner !== provisioner) return undefined
  // A delayed-binding claim waits for the scheduler's choice of node.
  if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !a[AnnSelectedNode]) return undefined
  return sc
}

const isReady = (n: Node) => n.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True') ?? false

/**
 * The node whose disk gets the volume: the scheduler's choice, else (Immediate) the local node,
 * else the first Ready node by name. Undefined when none is known.
 */
export function chooseNode(
  claim: PersistentVolumeClaim,
  nodes: readonly Node[],
  localNode: string | undefined,
): string | undefined {
  const selected = claim.metadata.annotations?.[AnnSelectedNode]
  if (selected) return selected
  if (localNode) return localNode
  const ready = nodes.filter(isReady).map(n => n.metadata.name ?? '')
  return ready.sort()[0]
}

/** The provisioned PV: a `local` volume pinned to the node holding the directory, pre-bound to the claim. */
export function newProvisionedVolume(input: {
  claim: PersistentVolumeClaim
  storageClass: StorageClass
  name: string
  path: string
  node: string
  provisioner?: string
}): PersistentVolume {
  const { claim, storageClass, name, path, node } = input
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [AnnDynamicallyProvisioned]: input.provisioner ?? LocalPathProvisionerName } },
    spec: {
      capacity: { storage: claim.spec?.resources?.requests?.storage ?? '0' },
      accessModes: [...(claim.spec?.accessModes ?? [])],
      persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? 'Delete',
      storageClassName: claimClassOf(claim),
      volumeMode: 'Filesystem',
      ...(storageClass.mountOptions?.length ? { mountOptions: [...storageClass.mountOptions] } : {}),
      claimRef: {
        kind: 'PersistentVolumeClaim',
        apiVersion: 'v1',
        namespace: claim.metadata.namespace,
        name: claim.metadata.name,
        uid: claim.metadata.uid,
        resourceVersion: claim.metadata.resourceVersion,
      },
      local: { path },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: HostnameLabel, operator: 'In', values: [node] }] }],
        },
      },
    },
  }
}

/** Why the claim cannot be provisioned as asked, or undefined (local-path supports Filesystem only). */
export function unsupportedReason(claim: PersistentVolumeClaim): string | undefined {
  if (claim.spec?.volumeMode === 'Block') return 'local-path does not support block volumes'
  if (claim.spec?.dataSource || claim.spec?.dataSourceRef) return 'local-path does not support data sources'
  if (claim.spec?.selector) return 'claim Selector is not supported'
  return undefined
}

/** shouldDelete: our own volume, Released, reclaim policy Delete, not already being deleted. */
export function shouldDelete(volume: PersistentVolume, provisioner = LocalPathProvisionerName): boolean {
  if (volume.metadata.deletionTimestamp) return false
  if (volume.status?.phase !== 'Released') return false
  if (volume.spec?.persistentVolumeReclaimPolicy !== 'Delete') return false
  return volume.metadata.annotations?.[AnnDynamicallyProvisioned] === provisioner
}
