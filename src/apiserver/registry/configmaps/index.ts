/**
 * ConfigMap strategy (upstream pkg/registry/core/configmap): keys valid and unique across
 * data and binaryData, 1 MiB in total, `immutable: true` freezes both maps; the
 * Name·Data·Age printer. Pure.
 */
import { type ConfigMap, MaxSecretSize } from '../../../api/core.js'
import { type FieldError, forbiddenField, invalidValue, Path } from '../../../machinery/field-error.js'
import { deepEqual } from '../../../machinery/objects.js'
import { byteLength, isConfigMapKey } from '../../../machinery/validation/names.js'
import { ageCell, ageColumn, column, nameColumn } from '../namespaces/columns.js'
import type { ResourceStrategy } from '../resource.js'
import { base64DecodedLength, checkBase64Map } from '../secrets/base64.js'
import { tooLongOmitted } from '../secrets/validation.js'

const dataDoc =
  "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."
const immutableMsg = 'field is immutable when `immutable` is set'

/** ValidateConfigMap without ObjectMeta. */
export function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs: FieldError[] = []
  const binary = cm.binaryData ?? {}
  let total = 0
  for (const key of Object.keys(cm.data ?? {}).sort()) {
    const p = Path.root('data').key(key)
    for (const msg of isConfigMapKey(key)) errs.push(invalidValue(p, key, msg))
    if (Object.hasOwn(binary, key)) errs.push(invalidValue(p, key, 'duplicate of key present in binaryData'))
    total += byteLength(cm.data![key] ?? '')
  }
  for (const key of Object.keys(binary).sort()) {
    for (const msg of isConfigMapKey(key)) errs.push(invalidValue(Path.root('binaryData').key(key), key, msg))
    total += base64DecodedLength(binary[key] ?? '')
  }
  // NOTE: upstream reports the size at the empty path: the error concerns the whole object.
  if (total > MaxSecretSize) errs.push(tooLongOmitted('', MaxSecretSize))
  return errs
}

/** ValidateConfigMapUpdate: `immutable: true` freezes data, binaryData and itself. */
export function validateConfigMapUpdate(cm: ConfigMap, old: ConfigMap): FieldError[] {
  const errs: FieldError[] = []
  if (old.immutable) {
    if (!cm.immutable) errs.push(forbiddenField(Path.root('immutable'), immutableMsg))
    if (!deepEqual(cm.data ?? {}, old.data ?? {})) errs.push(forbiddenField(Path.root('data'), immutableMsg))
    if (!deepEqual(cm.binaryData ?? {}, old.binaryData ?? {}))
      errs.push(forbiddenField(Path.root('binaryData'), immutableMsg))
  }
  return [...errs, ...validateConfigMap(cm)]
}

/** The ConfigMap strategy. */
export const strategy: ResourceStrategy<ConfigMap> = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  resource: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  defaults(cm) {
    const bad = checkBase64Map('ConfigMap', cm.binaryData)
    if (bad) throw bad
  },
  validate: validateConfigMap,
  validateUpdate: validateConfigMapUpdate,
  printer: {
    columns: [nameColumn(), column('Data', dataDoc), ageColumn()],
    cells: (cm, now) => [
      cm.metadata.name ?? '',
      Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length,
      ageCell(cm, now),
    ],
  },
}
