/**
 * Small helpers over plain JSON values shared by the patch engines: type guards, deep
 * equality, deep copy, and Go-style formatting for error texts that upstream prints with %v.
 * Pure: never mutates its arguments.
 */

/** A JSON object as the engines see it. */
export type JsonObject = Record<string, unknown>

/** True for a plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Structural equality of two JSON values; object key order is ignored. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    return a.every((x, i) => deepEqual(x, b[i]))
  }
  if (isObject(a)) {
    if (!isObject(b)) return false
    const ka = Object.keys(a)
    if (ka.length !== Object.keys(b).length) return false
    return ka.every(k => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
  }
  return false
}

/** A deep copy of a JSON value (undefined stays undefined). */
export function cloneJson<T>(v: T): T {
  return v === undefined ? v : structuredClone(v)
}

/** Renders a value as Go's fmt %v would for decoded JSON: `map[a:1 b:[x y]]`. */
export function formatGo(v: unknown): string {
  if (v === null || v === undefined) return '<nil>'
  if (Array.isArray(v)) return `[${v.map(formatGo).join(' ')}]`
  if (isObject(v)) {
    const keys = Object.keys(v).sort()
    return `map[${keys.map(k => `${k}:${formatGo(v[k])}`).join(' ')}]`
  }
  return String(v)
}
