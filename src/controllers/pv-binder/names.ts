/**
 * The annotation keys and event reasons the PersistentVolume controller reads and writes, spelled
 * as upstream (component-helpers/storage/volume and pkg/controller/volume/events). Constants only.
 */

/** On a claim: the controller has completed its first binding; its absence means "unbound". */
export const AnnBindCompleted = 'pv.kubernetes.io/bind-completed'
/** On a PV or PVC: the binding was made by the controller, not pre-bound by a user. */
export const AnnBoundByController = 'pv.kubernetes.io/bound-by-controller'
/** On a claim: the node the scheduler picked for a WaitForFirstConsumer claim. */
export const AnnSelectedNode = 'volume.kubernetes.io/selected-node'
/** On a PV: the provisioner that created it. */
export const AnnDynamicallyProvisioned = 'pv.kubernetes.io/provisioned-by'
/** On a claim: the provisioner asked to provision it (set by this controller). */
export const AnnStorageProvisioner = 'volume.kubernetes.io/storage-provisioner'
/** The beta spelling of AnnStorageProvisioner, still written for old provisioners. */
export const AnnBetaStorageProvisioner = 'volume.beta.kubernetes.io/storage-provisioner'
/** On a PV or PVC: the CSI migration target; the controller stands down when set. */
export const AnnMigratedTo = 'pv.kubernetes.io/migrated-to'

/** Event reasons (pkg/controller/volume/events). */
export const Reasons = {
  FailedBinding: 'FailedBinding',
  VolumeMismatch: 'VolumeMismatch',
  WaitForFirstConsumer: 'WaitForFirstConsumer',
  WaitForPodScheduled: 'WaitForPodScheduled',
  ExternalProvisioning: 'ExternalProvisioning',
  ProvisioningFailed: 'ProvisioningFailed',
  ClaimLost: 'ClaimLost',
  ClaimMisbound: 'ClaimMisbound',
  VolumeRecycled: 'VolumeRecycled',
  VolumeFailedRecycle: 'VolumeFailedRecycle',
  VolumeFailedDelete: 'VolumeFailedDelete',
  VolumeUnknownReclaimPolicy: 'VolumeUnknownReclaimPolicy',
} as const

/** An event the plan asks for; the controller records it on the named object. */
export interface PlannedEvent {
  type: 'Normal' | 'Warning'
  reason: string
  message: string
}
