/**
 * Reads what the patch engines need from a SchemaNode: child schemas, a list's strategic
 * merge strategy, and its server-side apply shape. A missing schema means "free-form":
 * maps merge, lists are atomic. Pure: reads the schema tree, never changes it.
 */
import type { SchemaNode } from '../schema/types.js'

/** The schema of `key` inside an object or map node; undefined when unknown or free-form. */
export function childSchema(node: SchemaNode | undefined, key: string): SchemaNode | undefined {
  if (!node) return undefined
  if (node.kind === 'object') return node.fields?.[key] ?? node.elem
  if (node.kind === 'map') return node.elem
  return undefined
}

/** The item schema of a list node. */
export function itemSchema(node: SchemaNode | undefined): SchemaNode | undefined {
  return node?.kind === 'list' ? node.elem : undefined
}

/** True when `key` is a declared field of an object node (a struct field, not a map entry). */
export function isNamedField(node: SchemaNode | undefined, key: string): boolean {
  return node?.kind === 'object' && node.fields !== undefined && Object.hasOwn(node.fields, key)
}

/** The strategic-merge reading of a field: does it merge, by which key, and is it a replace-map. */
export interface SmpStrategy {
  merge: boolean
  replace: boolean
  mergeKey?: string
}

/** Splits `patchStrategy` ("merge", "replace", "retainKeys", "merge,retainKeys") for SMP. */
export function smpStrategy(node: SchemaNode | undefined): SmpStrategy {
  const parts = (node?.patchStrategy ?? '').split(',').map(s => s.trim())
  const out: SmpStrategy = { merge: parts.includes('merge'), replace: parts.includes('replace') }
  if (node?.mergeKey) out.mergeKey = node.mergeKey
  return out
}

/** How server-side apply treats a list: merged by keys, unioned as a set, or replaced whole. */
export type ApplyListKind = { kind: 'map'; keys: string[] } | { kind: 'set' } | { kind: 'atomic' }

/**
 * The SSA list kind: `listType` when given; otherwise upstream's reading of the patch tags
 * (merge + mergeKey → map, merge without key → set, anything else → atomic).
 */
export function applyListKind(node: SchemaNode | undefined): ApplyListKind {
  if (node?.kind !== 'list') return { kind: 'atomic' }
  const keys = node.listMapKeys?.length ? node.listMapKeys : node.mergeKey ? [node.mergeKey] : []
  const type = node.listType ?? (smpStrategy(node).merge ? (keys.length ? 'map' : 'set') : 'atomic')
  if (type === 'map' && keys.length) return { kind: 'map', keys }
  if (type === 'set') return { kind: 'set' }
  return { kind: 'atomic' }
}

/**
 * SchemaNode plus two optional facts SSA wants that types.ts does not carry yet (requested in
 * README): `mapType: 'atomic'` (x-kubernetes-map-type, e.g. LabelSelector) and `default`.
 */
type SchemaNodeExtras = SchemaNode & { mapType?: 'atomic' | 'granular'; default?: unknown }

/** True when SSA treats an object or map node as one atomic value. */
export function isAtomicMap(node: SchemaNode | undefined): boolean {
  return (node as SchemaNodeExtras | undefined)?.mapType === 'atomic'
}

// NOTE: upstream fills a missing list-map key from the schema default (ports' protocol is
// "TCP"). SchemaNode has no defaults yet, so the one default every built-in key needs is here.
const knownKeyDefaults: Record<string, unknown> = { protocol: 'TCP' }

/** The default of a list-map key field, used when an item omits that key. */
export function keyDefault(itemNode: SchemaNode | undefined, key: string): unknown {
  const field = childSchema(itemNode, key) as SchemaNodeExtras | undefined
  return field?.default ?? knownKeyDefaults[key]
}
