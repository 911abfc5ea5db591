/**
 * PersistentVolume validation (upstream ValidatePersistentVolumeSpec and
 * ValidatePersistentVolumeUpdate, 1.32, VolumeAttributesClass gate off), without ObjectMeta.
 * Pure.
 */
import type { PersistentVolume, ResourceList } from '../../../api/core.js'
import {
  type FieldError,
  forbiddenField,
  invalidValue,
  notSupported,
  Path,
  required,
} from '../../../machinery/field-error.js'
import { deepEqual } from '../../../machinery/objects.js'
import {
  canonicalizeQuantity,
  compareQuantities,
  isValidQuantity,
  quantityToBytes,
} from '../../../machinery/quantity.js'
import { nameIsDNSSubdomain } from '../../../machinery/validation/names.js'
import { shown } from '../services/format.js'
import { validateAccessModes } from './access-modes.js'
import { pvSourceOf, validatePVSources, validateVolumeNodeAffinity } from './sources.js'

const spec = Path.root('spec')
const reclaimPolicies = ['Delete', 'Recycle', 'Retain']
/** Supported volume modes, sorted. */
export const volumeModes = ['Block', 'Filesystem']

/** Go's %#v of a ResourceList, close enough for the rare error that prints one. */
const goResourceList = (rl: ResourceList | undefined) =>
  rl === undefined
    ? 'core.ResourceList(nil)'
    : `core.ResourceList{${Object.keys(rl)
        .sort()
        .map(k => `${JSON.stringify(k)}:${JSON.stringify(rl[k])}`)
        .join(', ')}}`

/** Whether Go's path.Clean(p) is "/". */
function cleansToRoot(p: string): boolean {
  if (!p.startsWith('/')) return false
  const stack: string[] = []
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') stack.pop()
    else stack.push(seg)
  }
  return stack.length === 0
}

/** validateBasicResource + ValidatePositiveQuantityValue for one quantity. */
export function validatePositiveQuantity(q: string, path: Path): FieldError[] {
  if (!isValidQuantity(q)) return [] // the decoder rejects malformed quantities before validation
  if (quantityToBytes(q) < 0) return [invalidValue(path, quantityToBytes(q), 'must be a valid resource quantity')]
  return compareQuantities(q, '0') <= 0
    ? [invalidValue(path, canonicalizeQuantity(q), 'must be greater than zero')]
    : []
}

function validateCapacity(capacity: ResourceList | undefined): FieldError[] {
  const errs: FieldError[] = []
  const path = spec.child('capacity')
  const keys = Object.keys(capacity ?? {})
  if (keys.length === 0) errs.push(required(path))
  if (!keys.includes('storage') || keys.length > 1)
    errs.push(shown('FieldValueNotSupported', path, goResourceList(capacity), 'supported values: "storage"'))
  for (const k of keys.sort()) errs.push(...validatePositiveQuantity(capacity![k]!, path.key(k)))
  return errs
}

/** ValidatePersistentVolumeSpec (not inline) without ObjectMeta. */
export function validatePersistentVolume(pv: PersistentVolume): FieldError[] {
  const s = pv.spec ?? {}
  const errs = validateAccessModes(s.accessModes, spec.child('accessModes'), '')
  errs.push(...validateCapacity(s.capacity))
  if (s.persistentVolumeReclaimPolicy && !reclaimPolicies.includes(s.persistentVolumeReclaimPolicy))
    errs.push(
      notSupported(spec.child('persistentVolumeReclaimPolicy'), s.persistentVolumeReclaimPolicy, reclaimPolicies),
    )
  if (s.nodeAffinity) errs.push(...validateVolumeNodeAffinity(s.nodeAffinity, spec.child('nodeAffinity')))
  errs.push(...validatePVSources(s, spec))
  if (s.hostPath?.path && s.persistentVolumeReclaimPolicy === 'Recycle' && cleansToRoot(s.hostPath.path))
    errs.push(
      forbiddenField(spec.child('persistentVolumeReclaimPolicy'), "may not be 'recycle' for a hostPath mount of '/'"),
    )
  if (s.storageClassName)
    errs.push(
      ...nameIsDNSSubdomain(s.storageClassName, false).map(m =>
        invalidValue(spec.child('storageClassName'), s.storageClassName, m),
      ),
    )
  if (s.volumeMode !== undefined && !volumeModes.includes(s.volumeMode))
    errs.push(notSupported(spec.child('volumeMode'), s.volumeMode, volumeModes))
  return errs
}

/**
 * A short field-level diff in the shape of cmp.Diff (which upstream appends to "immutable"
 * errors). NOTE: an approximation; cmp's exact layout is not reproduced.
 */
export function approxDiff(typeName: string, before: Record<string, unknown>, after: Record<string, unknown>): string {
  const lines: string[] = []
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (deepEqual(before[k], after[k])) continue
    if (k in before) lines.push(`- \t${k}: ${JSON.stringify(before[k])},`)
    if (k in after) lines.push(`+ \t${k}: ${JSON.stringify(after[k])},`)
  }
  return `  ${typeName}{\n${lines.join('\n')}\n  }\n`
}

/** ValidatePersistentVolumeUpdate: the source and volumeMode are fixed; node affinity too once set. */
export function validatePersistentVolumeUpdate(pv: PersistentVolume, old: PersistentVolume): FieldError[] {
  const errs = validatePersistentVolume(pv)
  const next = pvSourceOf(pv.spec)
  const prev = pvSourceOf(old.spec)
  // A CSI source may gain a controllerExpandSecretRef.
  const nextCSI = next.csi as { controllerExpandSecretRef?: unknown } | undefined
  const prevCSI = prev.csi as { controllerExpandSecretRef?: unknown } | undefined
  if (nextCSI?.controllerExpandSecretRef && prevCSI && !prevCSI.controllerExpandSecretRef) {
    next.csi = { ...nextCSI }
    delete (next.csi as { controllerExpandSecretRef?: unknown }).controllerExpandSecretRef
  }
  if (!deepEqual(next, prev))
    errs.push(
      forbiddenField(
        spec.child('persistentvolumesource'),
        `spec.persistentvolumesource is immutable after creation\n${approxDiff('core.PersistentVolumeSource', prev, next)}`,
      ),
    )
  // NOTE: upstream reports these two at the root, not under spec.
  if ((pv.spec?.volumeMode ?? null) !== (old.spec?.volumeMode ?? null))
    errs.push(invalidValue(Path.root('volumeMode'), pv.spec?.volumeMode ?? null, 'field is immutable'))
  if (old.spec?.nodeAffinity && !deepEqual(pv.spec?.nodeAffinity, old.spec.nodeAffinity))
    errs.push(
      shown(
        'FieldValueInvalid',
        Path.root('nodeAffinity'),
        pv.spec?.nodeAffinity ? 'core.VolumeNodeAffinity{...}' : 'null',
        'field is immutable, except for updating from beta label to GA',
      ),
    )
  return errs
}
