/**
 * RFC 7386 JSON merge patch (application/merge-patch+json): objects merge recursively,
 * `null` deletes a key, anything else (arrays included) replaces. Total over JSON values:
 * it cannot fail. Pure: returns a new value and never mutates its inputs.
 */
import { cloneJson, isObject } from './json.js'

/** Applies `patch` to `target` as RFC 7386 describes and returns the result. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return cloneJson(patch)
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key]
    else out[key] = applyMergePatch(out[key], value)
  }
  // Untouched members were copied by reference above; copy them so the result shares nothing.
  for (const key of Object.keys(out)) if (!Object.hasOwn(patch, key)) out[key] = cloneJson(out[key])
  return out
}
