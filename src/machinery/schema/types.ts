/**
 * The structural schema of API types, as one tree of nodes: which fields exist, their
 * types, and how lists merge (patch strategy, merge key, list type). Shared by strict field
 * validation, strategic merge patch, server-side apply and the OpenAPI documents.
 * Types only.
 */

export type ScalarType =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'int-or-string'
  | 'quantity'
  | 'date-time'
  | 'byte'

export interface SchemaNode {
  /** object: fixed fields; map: string keys to `elem`; list: items of `elem`; any: free-form JSON. */
  kind: 'object' | 'map' | 'list' | 'scalar' | 'any'
  /** Upstream type name for objects, e.g. "io.k8s.api.core.v1.Container". */
  typeName?: string
  /** Object fields (kind 'object'). A function so that recursive types resolve lazily. */
  fields?: Record<string, SchemaNode>
  /** Map values or list items. */
  elem?: SchemaNode
  scalar?: ScalarType
  /** Lists: 'map' lists merge items by `mergeKeys`; 'set' lists are unions of scalars; 'atomic' replace. */
  listType?: 'atomic' | 'set' | 'map'
  /** Strategic merge patch key for 'map' lists (patchMergeKey), e.g. "name". */
  mergeKey?: string
  /** Server-side apply keys for 'map' lists (listMapKeys); usually [mergeKey]. */
  listMapKeys?: string[]
  /** Strategic merge patch strategy for this field: "merge", "replace", "retainKeys", "merge,retainKeys". */
  patchStrategy?: string
  /** Field names required by the type. */
  required?: string[]
  /** One-line description (petset's own words). */
  description?: string
  /** Allowed values for enum-like strings. */
  enum?: string[]
  /** Objects and maps: 'atomic' ones (e.g. LabelSelector) are replaced whole by apply and patches. */
  mapType?: 'atomic' | 'granular'
  /** The server-side default of a scalar, e.g. "TCP" for a port's protocol (used for list-map keys). */
  default?: unknown
}
