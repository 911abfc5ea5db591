/**
 * The patch engines the API server runs for PATCH requests: JSON patch (RFC 6902), JSON
 * merge patch (RFC 7386), strategic merge patch and server-side apply with managed fields.
 * Re-exports only; every engine is a pure function over plain JSON values.
 */
export { badPatch, isPatchError, PatchError, type PatchErrorKind } from './errors.js'
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
export { applyMergePatch, applyMergePatch as mergePatch } from './merge-patch.js'
export { strategicMergePatch } from './strategic-merge.js'
