/**
 * Access modes, shared by PersistentVolumes and PersistentVolumeClaims: validation and the
 * RWO/ROX/RWX/RWOP abbreviation the printers use. Pure.
 */
import type { PersistentVolume, PersistentVolumeClaim } from '../../../api/core.js'
import { BetaStorageClassAnnotation } from '../../../api/core.js'
import { type FieldError, forbiddenField, notSupported, type Path, required } from '../../../machinery/field-error.js'

/** The supported modes, in the sorted order upstream lists them. */
export const supportedAccessModes = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod']

/** Required, supported, and ReadWriteOncePod alone. `requiredDetail` differs between PV and PVC. */
export function validateAccessModes(modes: string[] | undefined, path: Path, requiredDetail: string): FieldError[] {
  const errs: FieldError[] = []
  if (!modes?.length) errs.push(required(path, requiredDetail))
  let rwop = false
  let other = false
  for (const m of modes ?? []) {
    if (!supportedAccessModes.includes(m)) errs.push(notSupported(path, m, supportedAccessModes))
    else if (m === 'ReadWriteOncePod') rwop = true
    else other = true
  }
  if (rwop && other) errs.push(forbiddenField(path, 'may not use ReadWriteOncePod with other access modes'))
  return errs
}

/** helper.GetAccessModesAsString: RWO,ROX,RWX,RWOP in that fixed order, duplicates dropped. */
export function accessModesString(modes: string[] | undefined): string {
  const has = new Set(modes ?? [])
  const out: string[] = []
  if (has.has('ReadWriteOnce')) out.push('RWO')
  if (has.has('ReadOnlyMany')) out.push('ROX')
  if (has.has('ReadWriteMany')) out.push('RWX')
  if (has.has('ReadWriteOncePod')) out.push('RWOP')
  return out.join(',')
}

/** The class of a PV or PVC: the legacy beta annotation wins over spec.storageClassName. */
export function storageClassOf(obj: PersistentVolume | PersistentVolumeClaim): string {
  const annotated = obj.metadata.annotations?.[BetaStorageClassAnnotation]
  if (annotated !== undefined) return annotated
  return obj.spec?.storageClassName ?? ''
}
