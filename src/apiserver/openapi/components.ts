/**
 * Turns SchemaNode graphs into OpenAPI 3.0 `components.schemas`, named and shaped the way
 * kube-apiserver publishes them (nested objects as `allOf: [{$ref}]`, list semantics as
 * `x-kubernetes-*` extensions, kinds tagged with an `x-kubernetes-group-version-kind` array).
 * Pure: no I/O.
 */
import { formatOf, type SchemaNode, schemaForType } from '../../machinery/schema/index.js'
import { refTo } from './resources.js'

/** A JSON Schema object as published in the documents. */
export type JsonSchema = Record<string, unknown>

/** A group-version-kind as the `x-kubernetes-group-version-kind` extensions spell it. */
export interface Gvk {
  group: string
  version: string
  kind: string
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1'
/** Component names of the scalar types upstream publishes as their own schemas. */
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity'
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString'
export const TIME = `${META}.Time`
export const PATCH = `${META}.Patch`
export const WATCH_EVENT = `${META}.WatchEvent`

/** Schemas every document carries, whatever its kinds reach. */
function fixedComponents(): Record<string, JsonSchema> {
  return {
    // Quantity and IntOrString are published as upstream does, as a oneOf without a type: kubectl
    // explain then names them (<Quantity>, <IntOrString>) instead of printing <string>.
    [QUANTITY]: {
      description:
        'An amount of a resource in fixed-point form, written as a string (or a plain number): digits with ' +
        'an optional suffix, such as 500m, 1.5, 64Mi or 1Gi (binary suffixes Ki Mi Gi Ti Pi Ei; decimal ' +
        'ones m k M G T P E; or an exponent like 1e3).',
      oneOf: [{ type: 'string' }, { type: 'number' }],
    },
    [INT_OR_STRING]: {
      description: 'Either an integer or a string, such as 80 or "http", or 1 or "25%".',
      format: 'int-or-string',
      oneOf: [{ type: 'integer' }, { type: 'string' }],
      'x-kubernetes-int-or-string': true,
    },
    [TIME]: {
      description: 'A point in time in RFC 3339 form with second precision, such as 2025-01-01T00:00:00Z.',
      format: 'date-time',
      type: 'string',
    },
    [PATCH]: {
      description: 'The body of a PATCH request; its format depends on the Content-Type of the request.',
      type: 'object',
    },
    [WATCH_EVENT]: {
      description: 'One event of a watch stream.',
      properties: {
        type: { description: 'ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.', type: 'string', default: '' },
        object: { description: 'The object the event is about, or a Status for ERROR.', type: 'object' },
      },
      required: ['type', 'object'],
      type: 'object',
    },
  }
}

/** The schema of a value (property, list item or map value) of the given node. */
function valueSchema(node: SchemaNode): JsonSchema {
  switch (node.kind) {
    case 'object':
      return { allOf: [refTo(node.typeName!)] }
    case 'list':
      return withListFacts({ type: 'array', items: itemSchema(node.elem!) }, node)
    case 'map':
      return { type: 'object', additionalProperties: itemSchema(node.elem!) }
    case 'any':
      return { type: 'object' }
  }
  return scalarSchema(node)
}

/** List items and map values: objects get an empty default, as upstream marks non-pointer structs. */
function itemSchema(node: SchemaNode): JsonSchema {
  const schema = valueSchema(node)
  return node.kind === 'object' ? { ...schema, default: {} } : schema
}

function scalarSchema(node: SchemaNode): JsonSchema {
  switch (node.scalar) {
    case 'integer':
      return { type: 'integer', format: formatOf(node) ?? 'int32' }
    case 'number':
      return { type: 'number', format: formatOf(node) ?? 'double' }
    case 'boolean':
      return { type: 'boolean' }
    case 'byte':
      return { type: 'string', format: 'byte' }
    case 'quantity':
      return { allOf: [refTo(QUANTITY)] }
    case 'int-or-string':
      return { allOf: [refTo(INT_OR_STRING)] }
    case 'date-time':
      return { allOf: [refTo(TIME)] }
    default:
      return { type: 'string' }
  }
}

function withListFacts(schema: JsonSchema, node: SchemaNode): JsonSchema {
  if (node.listType) schema['x-kubernetes-list-type'] = node.listType
  if (node.listType === 'map' && node.listMapKeys) schema['x-kubernetes-list-map-keys'] = node.listMapKeys
  if (node.mergeKey) schema['x-kubernetes-patch-merge-key'] = node.mergeKey
  if (node.patchStrategy) schema['x-kubernetes-patch-strategy'] = node.patchStrategy
  return schema
}

/** The schema of one property: its value schema plus the field's own description, enum and patch strategy. */
function propertySchema(node: SchemaNode): JsonSchema {
  const schema = valueSchema(node)
  if (node.description) schema.description = node.description
  if (node.enum) schema.enum = node.enum
  if (node.kind === 'object' && node.patchStrategy) schema['x-kubernetes-patch-strategy'] = node.patchStrategy
  return schema
}

/** The component schema of an object type node. */
function objectComponent(node: SchemaNode, gvks: Gvk[] | undefined): JsonSchema {
  const properties: Record<string, JsonSchema> = {}
  for (const [name, field] of Object.entries(node.fields ?? {})) properties[name] = propertySchema(field)
  // A field node is a copy of its type node that carries the field's description; use the type's own.
  const description = schemaForType(node.typeName!)?.description ?? node.description
  const schema: JsonSchema = { description, properties, type: 'object' }
  if (node.required?.length) schema.required = node.required
  if (gvks?.length) schema['x-kubernetes-group-version-kind'] = gvks
  return schema
}

/**
 * Component schemas for the given roots and every object type they reach, plus the fixed scalar,
 * Patch and WatchEvent schemas. `gvks` tags kind schemas by type name.
 */
export function buildComponents(roots: SchemaNode[], gvks: Map<string, Gvk[]>): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = fixedComponents()
  const pending = [...roots]
  while (pending.length) {
    const node = pending.pop()!
    if (node.kind === 'object') {
      if (!node.typeName || node.typeName in out) continue
      out[node.typeName] = objectComponent(node, gvks.get(node.typeName))
      pending.push(...Object.values(node.fields ?? {}))
    } else if (node.elem) pending.push(node.elem)
  }
  for (const [name, list] of gvks) {
    const schema = out[name]
    if (schema && !schema['x-kubernetes-group-version-kind']) schema['x-kubernetes-group-version-kind'] = list
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}
