/**
 * The patch engines the API server runs for PATCH requests: JSON patch (RFC 6902), JSON
 * merge patch (RFC 7386), strategic merge patch and server-side apply with managed fields.
 * Re-exports only; every engine is a pure function over plain JSON values.
 */

export { type ApplyOptions, applyPatch, BEFORE_FIRST_APPLY } from './apply.js'
export { badPatch, isPatchError, PatchError, type PatchErrorKind } from './errors.js'
export {
  comparePathElements,
  differenceFieldSets,
  emptyFieldSet,
  type FieldPath,
  type FieldSet,
  fieldPaths,
  fieldSetFromPaths,
  formatFieldPath,
  fromFieldsV1,
  hasPath,
  intersectFieldSets,
  isEmptyFieldSet,
  recursiveDifferenceFieldSets,
  toFieldsV1,
  unionFieldSets,
} from './field-set.js'
export {
  applyJsonPatch,
  applyJsonPatch as jsonPatch,
  escapePointerToken,
  formatPointer,
  type JsonPatchOperation,
  parseJsonPatch,
  parsePointer,
  unescapePointerToken,
} from './json-patch.js'
export {
  decodeManagedFields,
  defaultFieldManager,
  encodeManagedFields,
  MAX_UPDATE_MANAGERS,
  type ManagerEntry,
  type UpdateOptions,
  updateManagedFields,
} from './managed-fields.js'
export { applyMergePatch, applyMergePatch as mergePatch } from './merge-patch.js'
export { strategicMergePatch } from './strategic-merge.js'
export { compareFields, type FieldComparison, fieldSetOf } from './typed.js'
