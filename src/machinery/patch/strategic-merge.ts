/**
 * Strategic merge patch (application/strategic-merge-patch+json), as kube-apiserver applies
 * it: maps merge, `null` deletes, lists merge by the schema's patch merge key or replace, and
 * the `$patch`, `$retainKeys`, `$setElementOrder/<f>` and `$deleteFromPrimitiveList/<f>`
 * directives. Without a schema every list is replaced. Pure: works on copies of its inputs;
 * it never builds the patch (that is kubectl's job) and knows nothing about managed fields.
 */
import type { SchemaNode } from '../schema/types.js'
import { badPatch, PatchError } from './errors.js'
import { cloneJson, deepEqual, formatGo, isObject, type JsonObject } from './json.js'
import { childSchema, itemSchema, smpStrategy } from './schema-nav.js'
import { indexOfItem, noMergeKey, orderMergedList, validateSetElementOrder } from './smp-order.js'

const PATCH = '$patch'
const RETAIN_KEYS = '$retainKeys'
const SET_ORDER = '$setElementOrder'
const DELETE_PRIMITIVES = '$deleteFromPrimitiveList'

/** Returned by mergeMap for `{"$patch":"delete"}`: the caller decides what deletion means. */
const DELETED = Symbol('deleted')
type Merged = JsonObject | typeof DELETED

/**
 * Applies a strategic merge patch to `original` (the live object as JSON) using `schema` for
 * list strategies, and returns the patched object with every directive stripped.
 * @example strategicMergePatch(sts, { spec: { replicas: 3 } }, schemaFor('apps/v1', 'StatefulSet'))
 */
export function strategicMergePatch(original: unknown, patch: unknown, schema?: SchemaNode): JsonObject {
  if (!isObject(patch)) throw badPatch('invalid JSON document')
  // Keys of the live object that look like directives (a ControllerRevision's stored `data`
  // holds `$patch`) are data, not directives: hide them from the merge and restore them after.
  const base = isObject(original) ? (escapeDollarKeys(original) as JsonObject) : {}
  const merged = mergeMap(base, cloneJson(patch), schema)
  return merged === DELETED ? {} : (unescapeDollarKeys(stripDirectives(merged)) as JsonObject)
}

const ESCAPE = '\u0000'

/** A deep copy with every `$`-prefixed key renamed out of the directive namespace. */
function escapeDollarKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(escapeDollarKeys)
  if (!isObject(v)) return v
  const out: JsonObject = {}
  for (const [k, x] of Object.entries(v)) out[k.startsWith('$') ? ESCAPE + k : k] = escapeDollarKeys(x)
  return out
}

/** Undoes escapeDollarKeys. */
function unescapeDollarKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unescapeDollarKeys)
  if (!isObject(v)) return v
  const out: JsonObject = {}
  for (const [k, x] of Object.entries(v)) out[k.startsWith(ESCAPE) ? k.slice(ESCAPE.length) : k] = unescapeDollarKeys(x)
  return out
}

/** Merges `patch` into `original` (both private copies, mutated in place). */
function mergeMap(original: JsonObject, patch: JsonObject, schema: SchemaNode | undefined): Merged {
  if (Object.hasOwn(patch, PATCH)) {
    const directive = patch[PATCH]
    if (directive === 'delete') return DELETED
    if (directive !== 'replace') throw badPatch(`unknown patch type: ${formatGo(directive)} in map: ${formatGo(patch)}`)
    delete patch[PATCH]
    return mergeMap({}, patch, schema)
  }
  applyRetainKeys(original, patch)
  applySetElementOrder(original, patch, schema)
  const deletions: [string, unknown][] = []
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_PRIMITIVES)) deletions.push([directiveField(key, DELETE_PRIMITIVES), value])
    else if (key.startsWith('$')) throw badPatch(`unknown patch directive: ${key}`)
    else mergeField(original, key, value, childSchema(schema, key))
  }
  // Deletions run last so that a list merged and trimmed by the same patch ends up trimmed.
  for (const [field, values] of deletions) deleteFromPrimitiveList(original, field, values)
  return original
}

/** The field a `$directive/<field>` key refers to. */
function directiveField(key: string, prefix: string): string {
  if (!key.startsWith(`${prefix}/`)) {
    if (prefix === DELETE_PRIMITIVES) throw badPatch('invalid patch format of primitive list')
    throw badPatch('invalid patch format of setElementOrder list')
  }
  return key.slice(prefix.length + 1)
}

function kindOf(v: unknown): 'object' | 'array' | 'scalar' {
  return Array.isArray(v) ? 'array' : isObject(v) ? 'object' : 'scalar'
}

function mergeField(original: JsonObject, key: string, value: unknown, schema: SchemaNode | undefined): void {
  if (value === null) {
    delete original[key]
    return
  }
  const current = original[key]
  if (!Object.hasOwn(original, key) || kindOf(current) !== kindOf(value)) {
    const fresh = freshValue(value, schema)
    if (fresh === undefined) delete original[key]
    else original[key] = fresh
    return
  }
  const strategy = smpStrategy(schema)
  if (isObject(value)) {
    const merged = strategy.replace ? mergeMap({}, value, schema) : mergeMap(current as JsonObject, value, schema)
    // NOTE: upstream leaves an empty map behind when `$patch: delete` hits an existing map.
    original[key] = merged === DELETED ? {} : merged
  } else if (Array.isArray(value)) {
    original[key] = strategy.merge ? mergeList(current as unknown[], value, schema) : value
  } else original[key] = value
}

/** The value a patch introduces where the original has none (directives resolved, nulls dropped). */
function freshValue(value: unknown, schema: SchemaNode | undefined): unknown {
  if (isObject(value)) {
    const merged = mergeMap({}, value, schema)
    return merged === DELETED ? undefined : merged
  }
  if (Array.isArray(value) && smpStrategy(schema).merge) return mergeList([], value, schema)
  return value
}

/** What a list holds, checked as upstream does: one element type, no lists of lists. */
function elementKind(original: readonly unknown[], patch: readonly unknown[]): 'object' | 'scalar' {
  const kinds = new Set([...original, ...patch].map(v => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)))
  if (kinds.has('array')) throw new PatchError('UnprocessableEntity', 'lists of lists are not supported')
  if (kinds.size > 1) throw badPatch(`list element types are not identical: ${formatGo([original, patch])}`)
  return kinds.has('object') ? 'object' : 'scalar'
}

/** Merges a patch list into a list whose strategy is `merge`. */
function mergeList(original: unknown[], patch: unknown[], schema: SchemaNode | undefined): unknown[] {
  if (!original.length && !patch.length) return original
  if (elementKind(original, patch) === 'scalar') {
    const merged: unknown[] = []
    for (const v of [...original, ...patch]) if (!merged.some(x => deepEqual(x, v))) merged.push(v)
    return orderMergedList(merged, patch, original, undefined)
  }
  const mergeKey = smpStrategy(schema).mergeKey
  if (!mergeKey) throw badPatch(`cannot merge lists without merge key for type ${schema?.elem?.typeName ?? 'map'}`)
  const items = itemSchema(schema)
  const special = splitSpecialItems(original, patch as JsonObject[], mergeKey)
  if (special.replace) return special.items.map(i => mergeMap({}, i, items)).filter(isObject)
  const live = special.original
  const merged = live.slice()
  for (const item of special.items) {
    if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey)
    const at = indexOfItem(merged, item, mergeKey)
    const result = mergeMap(at >= 0 ? (merged[at] as JsonObject) : {}, item, items)
    if (result === DELETED) continue
    if (at >= 0) merged[at] = result
    else merged.push(result)
  }
  return orderMergedList(merged, special.items, live, mergeKey)
}

/** Handles `$patch` items of a list of maps: deletions by key, and `replace` of the whole list. */
function splitSpecialItems(original: unknown[], patch: JsonObject[], mergeKey: string) {
  const items: JsonObject[] = []
  let live = original
  let replace = false
  for (const item of patch) {
    if (!Object.hasOwn(item, PATCH)) {
      items.push(item)
      continue
    }
    const directive = item[PATCH]
    if (directive === 'delete') {
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey)
      live = live.filter(x => !(isObject(x) && Object.hasOwn(x, mergeKey) && deepEqual(x[mergeKey], item[mergeKey])))
    } else if (directive === 'replace') replace = true
    else if (directive === 'merge') throw badPatch('merging lists cannot yet be specified in the patch')
    else throw badPatch(`unknown patch type: ${formatGo(directive)} in map: ${formatGo(item)}`)
  }
  return { original: live, items, replace }
}

/** `$retainKeys`: keep only the listed keys of the original; the patch may only set listed keys. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return
  const keep = patch[RETAIN_KEYS]
  delete patch[RETAIN_KEYS]
  if (!Array.isArray(keep)) throw badPatch('invalid patch format of retainKeys')
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_PRIMITIVES) || k.startsWith(SET_ORDER)) continue
    if (!keep.includes(k)) throw badPatch('invalid patch format of retainKeys')
  }
  for (const k of Object.keys(original)) if (!keep.includes(k)) delete original[k]
}

/**
 * `$setElementOrder/<field>`: merges the field's patch list (if any) and then orders the
 * result by the directive. Consumes both keys from the patch.
 */
function applySetElementOrder(original: JsonObject, patch: JsonObject, schema: SchemaNode | undefined): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ORDER)) continue
    const order = patch[key]
    delete patch[key]
    const field = directiveField(key, SET_ORDER)
    if (!Array.isArray(order)) throw badPatch('invalid patch format of setElementOrder list')
    const fieldSchema = childSchema(schema, field)
    const strategy = smpStrategy(fieldSchema)
    // NOTE: upstream would also reorder non-merging lists; they are replaced whole here.
    if (!strategy.merge) continue
    const hasLive = Object.hasOwn(original, field)
    const hasPatch = Object.hasOwn(patch, field)
    const live = original[field]
    const patchList = patch[field]
    if ((hasLive && !Array.isArray(live)) || (hasPatch && !Array.isArray(patchList)))
      throw badPatch('invalid patch format of setElementOrder list')
    if (!hasLive && !hasPatch) continue
    const liveList = (live ?? []) as unknown[]
    const patchItems = (patchList ?? []) as unknown[]
    const kind = liveList.length || patchItems.length ? elementKind(liveList, patchItems) : 'scalar'
    const mergeKey = kind === 'object' ? strategy.mergeKey : undefined
    validateSetElementOrder(patchItems, order, mergeKey)
    const merged = hasPatch ? mergeList(liveList.slice(), patchItems, fieldSchema) : liveList
    original[field] = orderMergedList(merged, order, liveList, mergeKey)
    delete patch[field]
  }
}

function deleteFromPrimitiveList(original: JsonObject, field: string, values: unknown): void {
  if (!Array.isArray(values)) throw badPatch('invalid patch format of primitive list')
  const current = original[field]
  if (!Array.isArray(current)) return
  original[field] = current.filter(x => !values.some(v => deepEqual(v, x)))
}

/** Removes every directive key left anywhere (e.g. inside lists that were replaced whole). */
function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripDirectives)
  if (!isObject(v)) return v
  const out: JsonObject = {}
  for (const [k, x] of Object.entries(v)) {
    if (k === PATCH || k === RETAIN_KEYS || k.startsWith(SET_ORDER) || k.startsWith(DELETE_PRIMITIVES)) continue
    out[k] = stripDirectives(x)
  }
  return out
}
