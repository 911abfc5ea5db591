/**
 * Server-side apply's view of an object through its schema: the field set an object sets,
 * which fields changed between two versions, and removal of field paths. Lists of type map
 * are addressed by their keys (`k:`), sets by value (`v:`); atomic lists and maps are leaves.
 * Without a schema, maps are free-form and every list is atomic. Pure: never mutates input.
 */
import type { SchemaNode } from '../schema/types.js'
import { PatchError } from './errors.js'
import { emptyFieldSet, type FieldPath, type FieldSet, formatFieldPath, insertPath } from './field-set.js'
import { deepEqual, isObject, type JsonObject } from './json.js'
import { applyListKind, childSchema, isAtomicMap, isNamedField, itemSchema, keyDefault } from './schema-nav.js'

/** True when SSA must treat this value as one leaf (scalars, atomic lists and maps, type clashes). */
export function isLeafValue(value: unknown, node: SchemaNode | undefined): boolean {
  if (Array.isArray(value)) return node?.kind !== 'list' || applyListKind(node).kind === 'atomic'
  if (isObject(value)) return node?.kind === 'list' || node?.kind === 'scalar' || isAtomicMap(node)
  return true
}

/** The path element of a list item: `k:{...}` for map lists, `v:...` for sets. */
export function listItemElement(item: unknown, node: SchemaNode | undefined, where: FieldPath, index: number): string {
  const list = applyListKind(node)
  if (list.kind === 'set') {
    if (isObject(item) || Array.isArray(item)) throw invalidList(where, index, 'set items must be scalars')
    return `v:${JSON.stringify(item)}`
  }
  if (list.kind !== 'map') throw invalidList(where, index, 'atomic lists have no item paths')
  if (!isObject(item)) throw invalidList(where, index, 'associative list items must be objects')
  const key: JsonObject = {}
  for (const name of [...list.keys].sort()) {
    const v = Object.hasOwn(item, name) ? item[name] : keyDefault(itemSchema(node), name)
    if (v === undefined || v === null)
      throw invalidList(
        where,
        index,
        `associative list with keys has an element that omits key field "${name}" (and doesn't have default value)`,
      )
    key[name] = v
  }
  return `k:${JSON.stringify(key)}`
}

function invalidList(where: FieldPath, index: number, why: string): PatchError {
  return new PatchError('Invalid', `${formatFieldPath(where) || '.'}: element ${index}: ${why}`)
}

/**
 * Path elements of a non-atomic list's items, first occurrence first. `strict` rejects
 * duplicate keys (applied configurations); live objects tolerate them as upstream does.
 */
export function indexListItems(
  list: readonly unknown[],
  node: SchemaNode | undefined,
  where: FieldPath,
  strict: boolean,
) {
  const elements = list.map((item, i) => listItemElement(item, node, where, i))
  const byElement = new Map<string, unknown>()
  elements.forEach((pe, i) => {
    if (!byElement.has(pe)) byElement.set(pe, list[i])
    else if (strict)
      throw new PatchError('Invalid', `${formatFieldPath(where)}: duplicate entries for key ${formatFieldPath([pe])}`)
  })
  return { elements, byElement }
}

/**
 * The set of fields `value` sets, as upstream's ToFieldSet: leaves, list items, map entries,
 * null or empty-map fields; struct fields with content are implied by their children.
 */
export function fieldSetOf(value: unknown, schema?: SchemaNode): FieldSet {
  const set = emptyFieldSet()
  walkFields(value, schema, [], set)
  return set
}

function walkFields(value: unknown, node: SchemaNode | undefined, path: string[], set: FieldSet): void {
  if (isLeafValue(value, node)) {
    if (path.length) insertPath(set, path)
    return
  }
  if (Array.isArray(value)) {
    const { elements } = indexListItems(value, node, path, false)
    value.forEach((item, i) => {
      const itemPath = [...path, elements[i]!]
      walkFields(item, itemSchema(node), itemPath, set)
      insertPath(set, itemPath)
    })
    return
  }
  for (const [key, child] of Object.entries(value as JsonObject)) {
    const childPath = [...path, `f:${key}`]
    walkFields(child, childSchema(node, key), childPath, set)
    const emptyMap = isObject(child) && Object.keys(child).length === 0
    if (child === null || emptyMap || !isNamedField(node, key)) insertPath(set, childPath)
  }
}

/** What changed from one version of an object to the next, as three field sets. */
export interface FieldComparison {
  added: FieldSet
  removed: FieldSet
  modified: FieldSet
}

/**
 * Compares two versions as upstream's typed Compare: leaves land in added, removed or
 * modified; a list item or map entry that appears or disappears is recorded as well.
 */
export function compareFields(before: unknown, after: unknown, schema?: SchemaNode): FieldComparison {
  const out = { added: emptyFieldSet(), removed: emptyFieldSet(), modified: emptyFieldSet() }
  walkCompare(before, after, schema, [], false, out)
  return out
}

function walkCompare(
  l: unknown,
  r: unknown,
  node: SchemaNode | undefined,
  path: string[],
  recordPresence: boolean,
  out: FieldComparison,
): void {
  if (l === undefined && r === undefined) return
  const leaf =
    (l !== undefined && isLeafValue(l, node)) ||
    (r !== undefined && isLeafValue(r, node)) ||
    (l !== undefined && r !== undefined && Array.isArray(l) !== Array.isArray(r))
  if (leaf) {
    if (l === undefined) insertPath(out.added, path)
    else if (r === undefined) insertPath(out.removed, path)
    else if (!deepEqual(l, r)) insertPath(out.modified, path)
    return
  }
  // NOTE: Go materializes struct-typed fields, so upstream only sees maps, pointers and list
  // items appear or vanish. Struct fields are not recorded here for the same reason.
  if (recordPresence && path.length) {
    if (l === undefined) insertPath(out.added, path)
    else if (r === undefined) insertPath(out.removed, path)
  }
  if (Array.isArray(l ?? r)) {
    const left = l === undefined ? undefined : indexListItems(l as unknown[], node, path, false)
    const right = r === undefined ? undefined : indexListItems(r as unknown[], node, path, false)
    const elements = new Set([...(left?.elements ?? []), ...(right?.elements ?? [])])
    for (const pe of elements)
      walkCompare(left?.byElement.get(pe), right?.byElement.get(pe), itemSchema(node), [...path, pe], true, out)
    return
  }
  const lo = (l ?? {}) as JsonObject
  const ro = (r ?? {}) as JsonObject
  for (const key of new Set([...Object.keys(lo), ...Object.keys(ro)])) {
    const child = childSchema(node, key)
    const presence = !isNamedField(node, key) || child?.kind === 'map'
    walkCompare(lo[key], ro[key], child, [...path, `f:${key}`], presence, out)
  }
}

/** Removes every member path of `set` (with everything below it) from `value`. */
export function removeFields(value: unknown, set: FieldSet, schema?: SchemaNode): unknown {
  if (!set.children.size || isLeafValue(value, schema)) return value
  if (Array.isArray(value)) {
    const { elements } = indexListItems(value, schema, [], false)
    const out: unknown[] = []
    value.forEach((item, i) => {
      const sub = set.children.get(elements[i]!)
      if (sub?.member) return
      out.push(sub ? removeFields(item, sub, itemSchema(schema)) : item)
    })
    return out
  }
  const out: JsonObject = {}
  for (const [key, child] of Object.entries(value as JsonObject)) {
    const sub = set.children.get(`f:${key}`)
    if (sub?.member) continue
    out[key] = sub ? removeFields(child, sub, childSchema(schema, key)) : child
  }
  return out
}

/** Marks struct fields on the way to any member as members too (upstream's EnsureNamedFieldsAreMembers). */
export function ensureNamedFieldsAreMembers(set: FieldSet, schema?: SchemaNode): FieldSet {
  const out: FieldSet = { member: set.member, children: new Map() }
  for (const [pe, child] of set.children) {
    const isField = pe.startsWith('f:')
    const name = pe.slice(2)
    const sub = ensureNamedFieldsAreMembers(child, isField ? childSchema(schema, name) : itemSchema(schema))
    if (isField && isNamedField(schema, name)) sub.member = true
    out.children.set(pe, sub)
  }
  return out
}
