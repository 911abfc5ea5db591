/**
 * Semantic equality of API values, as apimachinery's equality.Semantic treats them for pod
 * templates: absent, null, empty lists and empty maps are all the same. Pure.
 * NOTE: JSON cannot tell an empty map from an empty struct, so `{}` always counts as absent; Go
 * would tell `securityContext: {}` from none. Both sides of every comparison here went through the
 * same API defaulting, so the difference does not arise.
 */

/** The value with absent-equivalents removed and object keys sorted; undefined when nothing is left. */
export function normalize(v: unknown): unknown {
  if (v === null || v === undefined) return undefined
  if (Array.isArray(v)) {
    // Items keep their place: an empty item inside a list still counts.
    const items = v.map(x => normalize(x) ?? null)
    return items.length ? items : undefined
  }
  if (typeof v !== 'object') return v
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(v).sort()) {
    const n = normalize((v as Record<string, unknown>)[key])
    if (n !== undefined) out[key] = n
  }
  return Object.keys(out).length ? out : undefined
}

/** JSON of the normalized value: equal for semantically equal values, whatever their key order. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(normalize(v) ?? null)
}

/** equality.Semantic.DeepEqual for JSON values. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b)
}
