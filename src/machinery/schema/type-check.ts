/**
 * A light type check of decoded request bodies against the schema, producing the messages
 * kube-apiserver's Go JSON decoder gives for the same mistake, e.g.
 * `json: cannot unmarshal string into Go struct field StatefulSetSpec.spec.replicas of type int32`.
 * Pure: no I/O.
 *
 * NOTE: the Go decoder stops at the first such error; callers that mirror it use only `[0]`.
 * The field path names struct fields only (no list indices, no map keys), and the struct named is
 * the innermost Go struct being decoded, as upstream prints it.
 */
import { formatOf } from './format.js'
import type { SchemaNode } from './types.js'

/** Upstream's message for a string that is not a quantity. */
const quantityFormatError =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
const quantityRe = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/
const quantitySuffixes = new Set(['', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E'])
const binarySuffixes = new Set(['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'])

const int32 = { min: -(2 ** 31), max: 2 ** 31 - 1 }
const int64 = { min: -(2 ** 63), max: 2 ** 63 - 1 }

/** How Go's decoder names a JSON value in a type error. */
function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'boolean') return 'bool'
  if (typeof value === 'number') return 'number'
  return typeof value === 'string' ? 'string' : 'object'
}

/** How Go prints the type a node decodes into: v1.Container, []v1.Container, map[string]string, int32. */
function goType(node: SchemaNode): string {
  switch (node.kind) {
    case 'object':
      return `v1.${node.typeName?.slice(node.typeName.lastIndexOf('.') + 1)}`
    case 'list':
      return `[]${node.elem ? goType(node.elem) : 'interface {}'}`
    case 'map':
      return `map[string]${node.elem ? goType(node.elem) : 'interface {}'}`
    case 'any':
      return 'interface {}'
  }
  switch (node.scalar) {
    case 'integer':
    case 'int-or-string':
      return formatOf(node) ?? 'int32'
    case 'number':
      return 'float64'
    case 'boolean':
      return 'bool'
    case 'byte':
      return '[]uint8'
    case 'quantity':
      return 'resource.Quantity'
    default:
      return 'string'
  }
}

/** Checks a quantity string the way resource.ParseQuantity does, coarsely; returns the error or undefined. */
function quantityError(text: string): string | undefined {
  const m = quantityRe.exec(text.trim())
  if (!m || !/[0-9]/.test(m[1]!)) return quantityFormatError
  const suffix = m[2]!
  if (quantitySuffixes.has(suffix) || binarySuffixes.has(suffix) || /^[eE][-+]?[0-9]+$/.test(suffix)) return undefined
  return "unable to parse quantity's suffix"
}

/** Whether a JSON number literal fits a Go integer of the node's format. */
function fitsInteger(value: number, node: SchemaNode): boolean {
  const range = formatOf(node) === 'int64' ? int64 : int32
  return Number.isInteger(value) && value >= range.min && value <= range.max
}

/** The JSON value description Go uses for a number that does not fit: "number 1.5". */
function numberKind(value: number): string {
  return `number ${String(value)}`
}

interface Context {
  struct: string
  fields: string[]
}

/** Upstream-shaped decode errors for values of the wrong JSON type, in document order. */
export function findTypeErrors(obj: unknown, schema: SchemaNode): string[] {
  const out: string[] = []
  const fail = (ctx: Context, kind: string, node: SchemaNode): void => {
    const into = ctx.fields.length ? `Go struct field ${ctx.struct}.${ctx.fields.join('.')}` : 'Go value'
    out.push(`json: cannot unmarshal ${kind} into ${into} of type ${goType(node)}`)
  }
  const walk = (value: unknown, node: SchemaNode, ctx: Context): void => {
    if (value === null || value === undefined || node.kind === 'any') return
    const isObject = typeof value === 'object' && !Array.isArray(value)
    if (node.kind === 'object' && isObject) {
      const struct = node.typeName?.slice(node.typeName.lastIndexOf('.') + 1) ?? ctx.struct
      for (const [key, child] of Object.entries(value)) {
        const field = node.fields?.[key]
        if (field) walk(child, field, { struct, fields: [...ctx.fields, key] })
      }
    } else if (node.kind === 'list' && Array.isArray(value)) {
      for (const item of value) if (node.elem) walk(item, node.elem, ctx)
    } else if (node.kind === 'map' && isObject) {
      for (const child of Object.values(value)) if (node.elem) walk(child, node.elem, ctx)
    } else if (node.kind !== 'scalar') {
      fail(ctx, jsonKind(value), node)
    } else if (node.scalar === 'quantity') {
      const err = quantityProblem(value)
      if (err) out.push(err)
    } else {
      const kind = scalarProblem(value, node)
      if (kind) fail(ctx, kind, node)
    }
  }
  walk(obj, schema, { struct: '', fields: [] })
  return out
}

/** resource.Quantity decodes numbers and strings itself; anything else fails its format check. */
function quantityProblem(value: unknown): string | undefined {
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value)
  return quantityError(text)
}

/** How Go names a scalar value that does not decode into the node ("string", "number 1.5"), or undefined. */
function scalarProblem(value: unknown, node: SchemaNode): string | undefined {
  switch (node.scalar) {
    case 'int-or-string':
      if (typeof value === 'string') return undefined
      return integerProblem(value, node)
    case 'integer':
      return integerProblem(value, node)
    case 'number':
      return typeof value === 'number' ? undefined : jsonKind(value)
    case 'boolean':
      return typeof value === 'boolean' ? undefined : jsonKind(value)
    default:
      return typeof value === 'string' ? undefined : jsonKind(value)
  }
}

function integerProblem(value: unknown, node: SchemaNode): string | undefined {
  if (typeof value !== 'number') return jsonKind(value)
  return fitsInteger(value, node) ? undefined : numberKind(value)
}
