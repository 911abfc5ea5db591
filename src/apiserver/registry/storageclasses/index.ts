/**
 * StorageClass strategy (storage.k8s.io/v1, upstream pkg/registry/storage/storageclass):
 * reclaimPolicy defaults to Delete and volumeBindingMode to Immediate; provisioner,
 * parameters, reclaimPolicy and volumeBindingMode are fixed after creation; the printer marks
 * the default class. Pure.
 */
import {
  BetaIsDefaultStorageClassAnnotation,
  IsDefaultStorageClassAnnotation,
  type StorageClass,
} from '../../../api/storage.js'
import {
  type FieldError,
  forbiddenField,
  invalidValue,
  notSupported,
  Path,
  required,
} from '../../../machinery/field-error.js'
import { deepEqual } from '../../../machinery/objects.js'
import { byteLength, isQualifiedName } from '../../../machinery/validation/names.js'
import { ageCell, ageColumn, column, nameColumn } from '../namespaces/columns.js'
import type { ResourceStrategy } from '../resource.js'
import { fieldImmutable, tooLongOmitted } from '../secrets/validation.js'

const maxParameterSize = 256 * 1024
const maxParameterCount = 512
const reclaimPolicies = ['Delete', 'Retain']
const bindingModes = ['Immediate', 'WaitForFirstConsumer']

function validateParameters(params: Record<string, string> | undefined): FieldError[] {
  const path = Path.root('parameters')
  const entries = Object.entries(params ?? {})
  if (entries.length > maxParameterCount) return [tooLongOmitted(path, maxParameterCount)]
  const errs: FieldError[] = []
  let total = 0
  for (const [k, v] of entries) {
    if (k.length < 1) errs.push(invalidValue(path, k, 'field can not be empty.'))
    total += byteLength(k) + byteLength(v)
  }
  if (total > maxParameterSize) errs.push(tooLongOmitted(path, maxParameterSize))
  return errs
}

/** ValidateStorageClass without ObjectMeta (allowedTopologies are not checked). */
export function validateStorageClass(sc: StorageClass): FieldError[] {
  const errs: FieldError[] = []
  const provisioner = sc.provisioner ?? ''
  if (provisioner.length === 0) errs.push(required(Path.root('provisioner')))
  else {
    const lower = provisioner.toLowerCase()
    errs.push(...isQualifiedName(lower).map(msg => invalidValue(Path.root('provisioner'), lower, msg)))
  }
  errs.push(...validateParameters(sc.parameters))
  if (sc.reclaimPolicy && !reclaimPolicies.includes(sc.reclaimPolicy))
    errs.push(notSupported(Path.root('reclaimPolicy'), sc.reclaimPolicy, reclaimPolicies))
  if (sc.volumeBindingMode === undefined) errs.push(required(Path.root('volumeBindingMode')))
  else if (!bindingModes.includes(sc.volumeBindingMode))
    errs.push(notSupported(Path.root('volumeBindingMode'), sc.volumeBindingMode, bindingModes))
  return errs
}

/** ValidateStorageClassUpdate: the provisioning contract cannot change. */
export function validateStorageClassUpdate(sc: StorageClass, old: StorageClass): FieldError[] {
  const errs: FieldError[] = []
  if (!deepEqual(sc.parameters ?? {}, old.parameters ?? {}))
    errs.push(forbiddenField(Path.root('parameters'), 'updates to parameters are forbidden.'))
  if (sc.provisioner !== old.provisioner)
    errs.push(forbiddenField(Path.root('provisioner'), 'updates to provisioner are forbidden.'))
  if (sc.reclaimPolicy !== old.reclaimPolicy)
    errs.push(forbiddenField(Path.root('reclaimPolicy'), 'updates to reclaimPolicy are forbidden.'))
  if (sc.volumeBindingMode !== old.volumeBindingMode)
    errs.push(invalidValue(Path.root('volumeBindingMode'), sc.volumeBindingMode ?? null, fieldImmutable))
  return [...validateStorageClass(sc), ...errs]
}

/** storageutil.IsDefaultAnnotation: either spelling of the annotation set to "true". */
export const isDefaultClass = (sc: StorageClass): boolean =>
  sc.metadata.annotations?.[IsDefaultStorageClassAnnotation] === 'true' ||
  sc.metadata.annotations?.[BetaIsDefaultStorageClassAnnotation] === 'true'

/** The StorageClass strategy. */
export const strategy: ResourceStrategy<StorageClass> = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  resource: 'storageclasses',
  singular: 'storageclass',
  namespaced: false,
  shortNames: ['sc'],
  defaults(sc) {
    sc.reclaimPolicy ||= 'Delete'
    sc.volumeBindingMode ||= 'Immediate'
  },
  validate: validateStorageClass,
  validateUpdate: validateStorageClassUpdate,
  printer: {
    columns: [
      nameColumn(),
      column('Provisioner', 'provisioner indicates the type of the provisioner.'),
      column(
        'ReclaimPolicy',
        'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.',
      ),
      column(
        'VolumeBindingMode',
        'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.',
      ),
      column('AllowVolumeExpansion', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
      ageColumn(),
    ],
    cells: (sc, now) => [
      isDefaultClass(sc) ? `${sc.metadata.name} (default)` : (sc.metadata.name ?? ''),
      sc.provisioner ?? '',
      sc.reclaimPolicy ?? 'Delete',
      sc.volumeBindingMode ?? 'Immediate',
      sc.allowVolumeExpansion ?? false,
      ageCell(sc, now),
    ],
  },
}
