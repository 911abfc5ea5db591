/**
 * The merge step of server-side apply: lays an applied configuration over the live object.
 * Maps and structs merge key by key, lists of type map merge item by item on their keys, sets
 * union, and atomic values are replaced. Item order follows structured-merge-diff: the
 * configuration's order for the items it names, live-only items kept near their neighbours.
 * Pure; it decides nothing about ownership (apply.ts does).
 */
import type { SchemaNode } from '../schema/types.js'
import { cloneJson, type JsonObject } from './json.js'
import { childSchema, itemSchema } from './schema-nav.js'
import { indexListItems, isLeafValue } from './typed.js'

/** Merges `config` over `live`; `null` in the configuration removes the field. */
export function mergeApplied(live: unknown, config: unknown, schema?: SchemaNode): unknown {
  return mergeValue(live, config, schema, [])
}

function mergeValue(l: unknown, r: unknown, node: SchemaNode | undefined, path: string[]): unknown {
  if (r === undefined) return cloneJson(l)
  if (l === undefined) return normalize(r, node, path)
  if (isLeafValue(l, node) || isLeafValue(r, node) || Array.isArray(l) !== Array.isArray(r))
    return normalize(r, node, path)
  if (Array.isArray(l)) return mergeList(l, r as unknown[], node, path)
  const out: JsonObject = {}
  const lo = l as JsonObject
  const ro = r as JsonObject
  for (const key of Object.keys(lo)) if (!Object.hasOwn(ro, key)) out[key] = cloneJson(lo[key])
  for (const [key, value] of Object.entries(ro)) {
    if (value === null) delete out[key]
    else out[key] = mergeValue(lo[key], value, childSchema(node, key), [...path, `f:${key}`])
  }
  // Keep the live key order: rebuild with live keys first, then the new ones.
  const ordered: JsonObject = {}
  for (const key of [...Object.keys(lo), ...Object.keys(ro)]) if (Object.hasOwn(out, key)) ordered[key] = out[key]
  return ordered
}

/** The configuration's own value, checked (duplicate keys) and with nulls dropped. */
function normalize(r: unknown, node: SchemaNode | undefined, path: string[]): unknown {
  if (isLeafValue(r, node)) return cloneJson(r)
  if (Array.isArray(r)) {
    const { elements } = indexListItems(r, node, path, true)
    return r.map((item, i) => normalize(item, itemSchema(node), [...path, elements[i]!]))
  }
  const out: JsonObject = {}
  for (const [key, value] of Object.entries(r as JsonObject))
    if (value !== null) out[key] = normalize(value, childSchema(node, key), [...path, `f:${key}`])
  return out
}

/**
 * Merges two keyed lists. Items the configuration names come in its order; a live-only item
 * is emitted where it sat in the live list, once the shared items before it are placed.
 */
function mergeList(l: unknown[], r: unknown[], node: SchemaNode | undefined, path: string[]): unknown[] {
  const left = indexListItems(l, node, path, false)
  const right = indexListItems(r, node, path, true)
  const shared = right.elements.filter(pe => left.byElement.has(pe))
  let next = shared.shift()
  const placed = new Set<string>()
  const out: unknown[] = []
  const take = (pe: string, rItem: unknown) => {
    placed.add(pe)
    out.push(mergeValue(left.byElement.get(pe), rItem, itemSchema(node), [...path, pe]))
  }
  let li = 0
  let ri = 0
  while (li < l.length || ri < r.length) {
    const lpe = left.elements[li]
    const rpe = right.elements[ri]
    if (lpe !== undefined && rpe !== undefined) {
      if (lpe === rpe) {
        take(rpe, r[ri])
        li++
        ri++
        next = shared.shift()
        continue
      }
      // A shared item the configuration wants later: skip it here, it is placed from the right.
      if (right.byElement.has(lpe) && next !== undefined && next !== lpe) {
        li++
        continue
      }
    }
    if (lpe !== undefined && !right.byElement.has(lpe)) {
      out.push(cloneJson(l[li]))
      li++
      continue
    }
    if (lpe !== undefined && placed.has(lpe)) {
      li++
      continue
    }
    if (rpe !== undefined) {
      take(rpe, r[ri])
      ri++
      if (next === rpe) next = shared.shift()
    } else li++
  }
  return out
}
