/**
 * PersistentVolumeClaim strategy (upstream pkg/registry/core/persistentvolumeclaim and the
 * PersistentVolumeClaimResize admission plugin): volumeMode Filesystem, status Pending on
 * create, a status subresource, spec immutable except growth of a bound claim whose class
 * allows expansion, and the printer. Admission reads StorageClasses; the rest is pure.
 */
import type { PersistentVolumeClaim } from '../../../api/core.js'
import type { StorageClass } from '../../../api/storage.js'
import { type FieldError, invalidValue, Path, required } from '../../../machinery/field-error.js'
import { compareQuantities, isValidQuantity } from '../../../machinery/quantity.js'
import { forbidden } from '../../../machinery/status-error.js'
import { ageCell, ageColumn, column, nameColumn } from '../namespaces/columns.js'
import { accessModesString, storageClassOf } from '../persistentvolumes/access-modes.js'
import { quantityCell } from '../persistentvolumes/index.js'
import type { ResourceStrategy } from '../resource.js'
import { validateClaim, validateClaimUpdate } from './validation.js'

const gr = { group: '', resource: 'persistentvolumeclaims' }

/** ValidatePersistentVolumeClaimStatusUpdate (resize-status checks left out). */
function validateStatus(pvc: PersistentVolumeClaim): FieldError[] {
  const errs: FieldError[] = []
  // NOTE: upstream spells this path with a capital S.
  if (!pvc.spec?.accessModes?.length) errs.push(required(Path.root('Spec').child('accessModes')))
  for (const [k, q] of Object.entries(pvc.status?.capacity ?? {}))
    if (isValidQuantity(q) && compareQuantities(q, '0') < 0)
      errs.push(invalidValue(Path.root('status').child('capacity').key(k), q, 'must be a valid resource quantity'))
  return errs
}

/** The PersistentVolumeClaimResize admission plugin: only bound claims of expandable classes grow. */
async function admitResize(
  pvc: PersistentVolumeClaim,
  old: PersistentVolumeClaim,
  list: (r: string) => Promise<unknown[]>,
) {
  const next = pvc.spec?.resources?.requests?.storage ?? '0'
  const prev = old.spec?.resources?.requests?.storage ?? '0'
  if (!isValidQuantity(next) || !isValidQuantity(prev) || compareQuantities(next, prev) <= 0) return
  const name = pvc.metadata.name ?? ''
  if (old.status?.phase !== 'Bound') throw forbidden(gr, name, 'Only bound persistent volume claims can be expanded')
  const cls = storageClassOf(pvc)
  const classes = (await list('storageclasses')) as StorageClass[]
  const sc = classes.find(c => c.metadata.name === cls)
  if (!cls || cls !== storageClassOf(old) || !sc?.allowVolumeExpansion)
    throw forbidden(
      gr,
      name,
      'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
    )
}

/** The PersistentVolumeClaim strategy. */
export const strategy: ResourceStrategy<PersistentVolumeClaim> = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  resource: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  namespaced: true,
  shortNames: ['pvc'],
  statusSubresource: true,
  defaults(pvc) {
    pvc.spec ??= {}
    pvc.spec.volumeMode ??= 'Filesystem'
    pvc.status ??= {}
    pvc.status.phase ||= 'Pending'
  },
  prepareForCreate(pvc) {
    pvc.status = { phase: 'Pending' }
    // dataSource and dataSourceRef mirror each other when only one is given (no namespace).
    const s = pvc.spec!
    if (s.dataSource && !s.dataSourceRef) s.dataSourceRef = structuredClone(s.dataSource)
    else if (s.dataSourceRef && !s.dataSource && !s.dataSourceRef.namespace) {
      const { namespace: _, ...local } = s.dataSourceRef
      s.dataSource = structuredClone(local)
    }
  },
  prepareForUpdate(pvc, old) {
    pvc.status = structuredClone(old.status)
  },
  validate: validateClaim,
  validateUpdate: validateClaimUpdate,
  validateStatusUpdate: validateStatus,
  async admitUpdate(pvc, old, ctx) {
    await admitResize(pvc, old, r => ctx.list(r))
  },
  // NOTE: a bare "name" label is an upstream bug kept for compatibility.
  fieldLabels: pvc => ({ name: pvc.metadata.name ?? '' }),
  printer: {
    columns: [
      nameColumn(),
      column('Status', 'phase represents the current phase of PersistentVolumeClaim.'),
      column('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
      column('Capacity', 'capacity represents the actual resources of the underlying volume.'),
      column(
        'Access Modes',
        'accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1',
      ),
      column('StorageClass', 'StorageClass of the pvc'),
      column('VolumeAttributesClass', 'VolumeAttributesClass of the pvc'),
      ageColumn(),
      column(
        'VolumeMode',
        'volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.',
        1,
      ),
    ],
    cells: (pvc, now) => {
      const bound = !!pvc.spec?.volumeName
      return [
        pvc.metadata.name ?? '',
        pvc.metadata.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? ''),
        pvc.spec?.volumeName ?? '',
        bound ? quantityCell(pvc.status?.capacity?.storage) : '',
        bound ? accessModesString(pvc.status?.accessModes) : '',
        storageClassOf(pvc),
        pvc.spec?.volumeAttributesClassName ?? '<unset>',
        ageCell(pvc, now),
        pvc.spec?.volumeMode ?? '<unset>',
      ]
    },
  },
}
