/**
 * PersistentVolume strategy (upstream pkg/registry/core/persistentvolume): reclaim policy
 * Retain and volumeMode Filesystem by default, status Pending on create (the binder moves it
 * to Available) with lastPhaseTransitionTime, a status subresource, and the printer with the
 * CLAIM, Reason and VolumeAttributesClass columns. Pure apart from the injectable clock.
 */
import type { PersistentVolume, PersistentVolumeStatus } from '../../../api/core.js'
import { canonicalizeQuantity, isValidQuantity } from '../../../machinery/quantity.js'
import { formatTime } from '../generic/object-meta.js'
import { ageCell, ageColumn, column, nameColumn } from '../namespaces/columns.js'
import type { ResourceStrategy } from '../resource.js'
import { accessModesString, storageClassOf } from './access-modes.js'
import { validatePersistentVolume, validatePersistentVolumeUpdate } from './validation.js'

let clock = () => Date.now()

/** Replaces the clock used for status.lastPhaseTransitionTime (tests, the composition root). */
export function setPersistentVolumeClock(now: () => number): void {
  clock = now
}

/** A quantity as upstream prints it (canonical form), "0" when absent. */
export const quantityCell = (q: string | undefined) => (q && isValidQuantity(q) ? canonicalizeQuantity(q) : (q ?? '0'))

/** Status update: spec and metadata stay; a phase change stamps lastPhaseTransitionTime. */
function prepareStatusUpdate(pv: PersistentVolume, old: PersistentVolume): void {
  const status: PersistentVolumeStatus = pv.status ?? {}
  Object.assign(pv, structuredClone(old))
  pv.status = status
  const prev = old.status ?? {}
  if (prev.phase === status.phase && !status.lastPhaseTransitionTime) {
    if (prev.lastPhaseTransitionTime) status.lastPhaseTransitionTime = prev.lastPhaseTransitionTime
  } else if (
    prev.phase !== status.phase &&
    (!status.lastPhaseTransitionTime || status.lastPhaseTransitionTime === prev.lastPhaseTransitionTime)
  ) {
    status.lastPhaseTransitionTime = formatTime(clock())
  }
}

/** The PersistentVolume strategy. */
export const strategy: ResourceStrategy<PersistentVolume> = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  resource: 'persistentvolumes',
  singular: 'persistentvolume',
  namespaced: false,
  shortNames: ['pv'],
  statusSubresource: true,
  defaults(pv) {
    pv.spec ??= {}
    pv.spec.persistentVolumeReclaimPolicy ||= 'Retain'
    pv.spec.volumeMode ??= 'Filesystem'
    if (pv.spec.hostPath && pv.spec.hostPath.type === undefined) pv.spec.hostPath.type = ''
    pv.status ??= {}
    pv.status.phase ||= 'Pending'
  },
  prepareForCreate(pv) {
    pv.status = { phase: 'Pending', lastPhaseTransitionTime: formatTime(clock()) }
  },
  prepareForUpdate(pv, old) {
    pv.status = structuredClone(old.status)
  },
  prepareForStatusUpdate: prepareStatusUpdate,
  validate: validatePersistentVolume,
  validateUpdate: validatePersistentVolumeUpdate,
  validateStatusUpdate: () => [],
  // NOTE: a bare "name" label is an upstream bug kept for compatibility.
  fieldLabels: pv => ({ name: pv.metadata.name ?? '' }),
  printer: {
    columns: [
      nameColumn(),
      column(
        'Capacity',
        "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity",
      ),
      column(
        'Access Modes',
        'accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes',
      ),
      column(
        'Reclaim Policy',
        'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming',
      ),
      column(
        'Status',
        'phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase',
      ),
      column(
        'Claim',
        'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding',
      ),
      column('StorageClass', 'StorageClass of the pv'),
      column('VolumeAttributesClass', 'VolumeAttributesClass of the pv'),
      column(
        'Reason',
        'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.',
      ),
      ageColumn(),
      column(
        'VolumeMode',
        'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.',
        1,
      ),
    ],
    cells: (pv, now) => {
      const ref = pv.spec?.claimRef
      return [
        pv.metadata.name ?? '',
        quantityCell(pv.spec?.capacity?.storage),
        accessModesString(pv.spec?.accessModes),
        pv.spec?.persistentVolumeReclaimPolicy ?? '',
        pv.metadata.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? ''),
        ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : '',
        storageClassOf(pv),
        pv.spec?.volumeAttributesClassName ?? '<unset>',
        pv.status?.reason ?? '',
        ageCell(pv, now),
        pv.spec?.volumeMode ?? '<unset>',
      ]
    },
  },
}
