/**
 * PersistentVolumeClaim validation (upstream ValidatePersistentVolumeClaimSpec and
 * ValidatePersistentVolumeClaimUpdate, 1.32 with RecoverVolumeExpansionFailure on and the
 * VolumeAttributesClass gate off), without ObjectMeta. Pure.
 */
import {
  BetaStorageClassAnnotation,
  type PersistentVolumeClaim,
  type PersistentVolumeClaimSpec,
  type TypedLocalObjectReference,
} from '../../../api/core.js'
import {
  type FieldError,
  forbiddenField,
  invalidValue,
  notSupported,
  Path,
  required,
} from '../../../machinery/field-error.js'
import { validateLabelSelector } from '../../../machinery/labels.js'
import { deepEqual } from '../../../machinery/objects.js'
import { compareQuantities, isValidQuantity } from '../../../machinery/quantity.js'
import { isDNS1123Subdomain, nameIsDNSLabel, nameIsDNSSubdomain } from '../../../machinery/validation/names.js'
import { validateAccessModes } from '../persistentvolumes/access-modes.js'
import { approxDiff, validatePositiveQuantity, volumeModes } from '../persistentvolumes/validation.js'
import { shown } from '../services/format.js'

const spec = Path.root('spec')

function validateDataSource(ds: TypedLocalObjectReference & { namespace?: string }, path: Path): FieldError[] {
  const errs: FieldError[] = []
  if (!ds.name) errs.push(required(path.child('name')))
  if (!ds.kind) errs.push(required(path.child('kind')))
  const group = ds.apiGroup ?? ''
  if (!group && ds.kind !== 'PersistentVolumeClaim')
    errs.push(
      invalidValue(path, ds.kind ?? '', "must be 'PersistentVolumeClaim' when referencing the default apiGroup"),
    )
  if (group) errs.push(...isDNS1123Subdomain(group).map(m => invalidValue(path.child('apiGroup'), group, m)))
  if (ds.namespace)
    errs.push(...nameIsDNSLabel(ds.namespace, false).map(m => invalidValue(path.child('namespace'), ds.namespace, m)))
  return errs
}

/** ValidatePersistentVolumeClaimSpec. */
export function validateClaimSpec(s: PersistentVolumeClaimSpec, path: Path): FieldError[] {
  const modes = validateAccessModes(s.accessModes, path.child('accessModes'), 'at least 1 access mode is required')
  // Upstream checks "required", then the selector, then each mode.
  const errs = [
    ...modes.filter(e => e.type === 'FieldValueRequired'),
    ...(s.selector ? validateLabelSelector(s.selector, path.child('selector')) : []),
    ...modes.filter(e => e.type !== 'FieldValueRequired'),
  ]
  const storage = s.resources?.requests?.storage
  const storagePath = path.child('resources').key('storage')
  if (storage === undefined) errs.push(required(storagePath))
  else errs.push(...validatePositiveQuantity(storage, storagePath))
  if (s.storageClassName)
    errs.push(
      ...nameIsDNSSubdomain(s.storageClassName, false).map(m =>
        invalidValue(path.child('storageClassName'), s.storageClassName, m),
      ),
    )
  if (s.volumeMode !== undefined && !volumeModes.includes(s.volumeMode))
    errs.push(notSupported(path.child('volumeMode'), s.volumeMode, volumeModes))
  if (s.dataSource) errs.push(...validateDataSource(s.dataSource, path.child('dataSource')))
  if (s.dataSourceRef) errs.push(...validateDataSource(s.dataSourceRef, path.child('dataSourceRef')))
  if (s.dataSourceRef?.namespace) {
    if (s.dataSource)
      errs.push(
        shown(
          'FieldValueInvalid',
          path,
          String(path.child('dataSource')),
          'may not be specified when dataSourceRef.namespace is specified',
        ),
      )
  } else if (s.dataSource && s.dataSourceRef) {
    const a = s.dataSource
    const b = s.dataSourceRef
    if ((a.apiGroup ?? null) !== (b.apiGroup ?? null) || a.kind !== b.kind || a.name !== b.name)
      errs.push(shown('FieldValueInvalid', path, String(path.child('dataSource')), 'must match dataSourceRef'))
  }
  return errs
}

/** ValidatePersistentVolumeClaim without ObjectMeta. */
export const validateClaim = (pvc: PersistentVolumeClaim) => validateClaimSpec(pvc.spec ?? {}, spec)

const classAnnotation = (pvc: PersistentVolumeClaim) => pvc.metadata.annotations?.[BetaStorageClassAnnotation]

/** Normalizes the storage-class upgrade paths upstream allows (annotation → field, nil → value). */
function allowClassUpgrade(
  next: PersistentVolumeClaim,
  old: PersistentVolumeClaim,
  nextSpec: PersistentVolumeClaimSpec,
  oldSpec: PersistentVolumeClaimSpec,
): FieldError[] {
  const oldAnn = classAnnotation(old)
  const newAnn = classAnnotation(next)
  const fromAnnotation =
    oldAnn !== undefined &&
    old.spec?.storageClassName === undefined &&
    next.spec?.storageClassName !== undefined &&
    next.spec.storageClassName === oldAnn &&
    (newAnn === undefined || newAnn === oldAnn)
  if (fromAnnotation) {
    delete nextSpec.storageClassName
    return []
  }
  const errs: FieldError[] = []
  if ((newAnn ?? '') !== (oldAnn ?? ''))
    // NOTE: upstream builds this path with Child(), so the annotation key is dotted on.
    errs.push(
      invalidValue(
        Path.root('metadata').child('annotations', BetaStorageClassAnnotation),
        newAnn ?? '',
        'field is immutable',
      ),
    )
  const fromNil =
    next.spec?.storageClassName !== undefined &&
    old.spec?.storageClassName === undefined &&
    (oldAnn === undefined || next.spec.storageClassName === oldAnn)
  if (fromNil) nextSpec.storageClassName = oldSpec.storageClassName
  if (nextSpec.storageClassName === undefined) delete nextSpec.storageClassName
  return errs
}

/** ValidatePersistentVolumeClaimUpdate without ObjectMeta. */
export function validateClaimUpdate(pvc: PersistentVolumeClaim, old: PersistentVolumeClaim): FieldError[] {
  const errs = validateClaim(pvc)
  const nextSpec: PersistentVolumeClaimSpec = structuredClone(pvc.spec ?? {})
  const oldSpec: PersistentVolumeClaimSpec = structuredClone(old.spec ?? {})
  // The binder sets volumeName once.
  if (!old.spec?.volumeName) {
    if (nextSpec.volumeName === undefined) delete oldSpec.volumeName
    else oldSpec.volumeName = nextSpec.volumeName
  }
  errs.push(...allowClassUpgrade(pvc, old, nextSpec, oldSpec))
  const bound = pvc.status?.phase === 'Bound'
  if (bound && nextSpec.resources?.requests) {
    const prev = old.spec?.resources?.requests?.storage
    if (prev === undefined) delete nextSpec.resources.requests.storage
    else nextSpec.resources.requests.storage = prev
  }
  if (bound && nextSpec.volumeAttributesClassName !== undefined) {
    if (oldSpec.volumeAttributesClassName === undefined) delete nextSpec.volumeAttributesClassName
    else nextSpec.volumeAttributesClassName = oldSpec.volumeAttributesClassName
  }
  if (!deepEqual(nextSpec, oldSpec))
    errs.push(
      forbiddenField(
        spec,
        `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${approxDiff('core.PersistentVolumeClaimSpec', oldSpec as Record<string, unknown>, nextSpec as Record<string, unknown>)}`,
      ),
    )
  const newSize = pvc.spec?.resources?.requests?.storage ?? '0'
  const oldSize = old.spec?.resources?.requests?.storage ?? '0'
  const statusSize = old.status?.capacity?.storage ?? '0'
  if ([newSize, oldSize, statusSize].every(isValidQuantity) && compareQuantities(newSize, oldSize) < 0) {
    // With RecoverVolumeExpansionFailure a claim may shrink back, but not to its actual size.
    if (compareQuantities(newSize, statusSize) <= 0)
      errs.push(
        forbiddenField(spec.child('resources', 'requests', 'storage'), 'field can not be less than status.capacity'),
      )
  }
  if ((pvc.spec?.volumeMode ?? null) !== (old.spec?.volumeMode ?? null))
    errs.push(invalidValue(Path.root('volumeMode'), pvc.spec?.volumeMode ?? null, 'field is immutable'))
  return errs
}
