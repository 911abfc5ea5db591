/**
 * Builds the SchemaNode graph from the generated structure (src/api/generated/structure.json), the
 * list-semantics overlay (list-types.ts) and petset's descriptions. Built once, on first use.
 *
 * Every object type has one shared node; a field of object type is a shallow copy of that node (to
 * carry the field's own description) that shares its `fields` record. Recursive types therefore
 * form cycles of shared records rather than infinite trees: walkers must not assume a tree.
 */
import structureJson from '../../api/generated/structure.json' with { type: 'json' }
import { fieldDescription, fieldEnum, typeDescription } from './descriptions.js'
import { factKey, listFacts, objectPatchStrategies } from './list-types.js'
import type { ScalarType, SchemaNode } from './types.js'

/** One served kind and the upstream name of its root type. */
export interface KindEntry {
  group: string
  version: string
  kind: string
  type: string
}

interface TypeEntry {
  fields: Record<string, string>
  required?: string[]
}

interface Structure {
  kinds: KindEntry[]
  types: Record<string, TypeEntry>
}

/** A SchemaNode with the number format of integer and number scalars (int32, int64, double). */
export type FormattedNode = SchemaNode & { format?: string }

const structure = structureJson as Structure
const shared = new Map<string, SchemaNode>()

/** The served kinds, in the order of the generated structure. */
export const servedKinds: readonly KindEntry[] = structure.kinds

/** Whether the structure knows a type of this upstream name. */
export function hasType(typeName: string): boolean {
  return typeName in structure.types
}

/** The shared node of an object type; builds it (and everything it reaches) on first use. */
export function typeNode(typeName: string): SchemaNode {
  const known = shared.get(typeName)
  if (known) return known
  const entry = structure.types[typeName]
  if (!entry) throw new Error(`schema: unknown type ${typeName}`)
  const fields: Record<string, SchemaNode> = {}
  const node: SchemaNode = { kind: 'object', typeName, fields, description: typeDescription(typeName) }
  if (entry.required) node.required = entry.required
  // Registered before its fields are built, so a type that reaches itself finds this node.
  shared.set(typeName, node)
  for (const [name, type] of Object.entries(entry.fields)) fields[name] = fieldNode(typeName, name, type)
  return node
}

function fieldNode(owner: string, field: string, type: string): SchemaNode {
  const node = valueNode(type, true)
  node.description = fieldDescription(owner, field)
  const values = fieldEnum(owner, field)
  if (values) node.enum = values
  const key = factKey(owner, field)
  if (node.kind === 'list') Object.assign(node, listFacts[key] ?? { listType: 'atomic' })
  const strategy = objectPatchStrategies[key]
  if (strategy) node.patchStrategy = strategy
  return node
}

/** A node for a type string; `own` asks for a node the caller may annotate (never a shared one). */
function valueNode(type: string, own: boolean): SchemaNode {
  if (type.startsWith('[]')) return { kind: 'list', elem: valueNode(type.slice(2), false) }
  if (type.startsWith('map[string]')) return { kind: 'map', elem: valueNode(type.slice('map[string]'.length), false) }
  if (type === 'any') return { kind: 'any' }
  const scalar = scalarNode(type)
  if (scalar) return scalar
  const target = typeNode(type)
  return own ? { ...target } : target
}

function scalarNode(type: string): FormattedNode | undefined {
  const [base, format] = type.split(':') as [string, string | undefined]
  const scalars: readonly string[] = [
    'string',
    'integer',
    'number',
    'boolean',
    'int-or-string',
    'quantity',
    'date-time',
    'byte',
  ]
  if (!scalars.includes(base)) return undefined
  const node: FormattedNode = { kind: 'scalar', scalar: base as ScalarType }
  if (format) node.format = format
  return node
}

/** A list type (`<Kind>List`) around an item type, built the way upstream lists are shaped. */
export function listNode(itemType: string): SchemaNode {
  const name = `${itemType}List`
  const known = shared.get(name)
  if (known) return known
  const item = typeNode(itemType)
  const node: SchemaNode = {
    kind: 'object',
    typeName: name,
    description: `A list of ${itemType.slice(itemType.lastIndexOf('.') + 1)} objects.`,
    required: ['items'],
    fields: {
      apiVersion: { kind: 'scalar', scalar: 'string', description: fieldDescription(name, 'apiVersion') },
      kind: { kind: 'scalar', scalar: 'string', description: fieldDescription(name, 'kind') },
      metadata: {
        ...typeNode('io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta'),
        description: fieldDescription(name, 'metadata'),
      },
      items: { kind: 'list', elem: item, listType: 'atomic', description: 'The objects of the list.' },
    },
  }
  shared.set(name, node)
  return node
}
