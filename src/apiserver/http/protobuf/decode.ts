/**
 * Table-driven decoding of one protobuf message into the JSON object the REST API uses.
 * Shaping rules (they follow Go's encoding/json on the same struct):
 * - a message field that is present becomes an object, even when empty (`emptyDir: {}`);
 * - scalars with a zero value are dropped unless their spec has `!` (pointer or no omitempty),
 *   because gogo writes every non-pointer scalar, zero or not;
 * - bytes become base64 strings, maps become objects, repeated fields become arrays;
 * - special messages (Time, Quantity, IntOrString, FieldsV1) go through their converters.
 * Unknown field numbers are skipped, as upstream does, and reported through onUnknownField.
 */
import type { FieldDef, MessageDef, ScalarType, Schema, ValueType } from './schema.js'
import { type SpecialDecoder, utf8 } from './special.js'
import { WireError, WireReader, WireType } from './wire.js'

/** A field the tables do not know, reported so the caller can warn; path is the JSON path. */
export interface UnknownField {
  path: string
  message: string
  field: number
  wireType: number
}

/** Options for decodeMessage. */
export interface DecodeMessageOptions {
  specials: ReadonlyMap<string, SpecialDecoder>
  onUnknownField?: (field: UnknownField) => void
  /** Nesting limit against hostile input; real objects stay far below the default 64. */
  maxDepth?: number
}

type JsonObject = Record<string, unknown>

interface Context extends DecodeMessageOptions {
  schema: Schema
  maxDepth: number
}

/** Decodes bytes as the message called name and returns its JSON object. */
export function decodeMessage(
  schema: Schema,
  name: string,
  bytes: Uint8Array,
  options: DecodeMessageOptions,
): JsonObject {
  const ctx: Context = { ...options, schema, maxDepth: options.maxDepth ?? 64 }
  const out: JsonObject = {}
  decodeInto(out, schema.message(name), bytes, ctx, '', 1)
  return out
}

function decodeInto(out: JsonObject, msg: MessageDef, bytes: Uint8Array, ctx: Context, path: string, depth: number) {
  if (depth > ctx.maxDepth) throw new WireError(`${path || msg.name}: nesting deeper than ${ctx.maxDepth}`)
  const r = new WireReader(bytes)
  while (!r.done) {
    const { field, wireType } = r.tag()
    const def = msg.fields.get(field)
    if (!def) {
      ctx.onUnknownField?.({ path: path || '.', message: msg.name, field, wireType })
      r.skip(wireType)
      continue
    }
    const at = def.inline ? path : join(path, def.jsonName)
    if (def.inline) {
      decodeInto(out, ctx.schema.message(messageName(def.value)), expectBytes(r, wireType, at), ctx, path, depth + 1)
    } else if (def.mapKey) {
      readMapEntry(objectAt(out, def.jsonName), def, expectBytes(r, wireType, at), ctx, at, depth)
    } else if (def.repeated) {
      readRepeated(arrayAt(out, def.jsonName), def, r, wireType, ctx, at, depth)
    } else if (def.value.kind === 'message') {
      setMessage(out, def, expectBytes(r, wireType, at), ctx, at, depth)
    } else {
      const v = readScalar(r, wireType, def.value.scalar, at)
      if (def.keepZero || !isZero(v)) out[def.jsonName] = v
      else delete out[def.jsonName] // a later zero overrides an earlier value: last one wins
    }
  }
}

/** A singular message field; a repeat occurrence merges into the first, as protobuf specifies. */
function setMessage(out: JsonObject, def: FieldDef, bytes: Uint8Array, ctx: Context, at: string, depth: number) {
  const name = messageName(def.value)
  const special = ctx.specials.get(name)
  if (special) {
    const v = special(bytes)
    if (v === undefined) delete out[def.jsonName]
    else out[def.jsonName] = v
    return
  }
  const existing = out[def.jsonName]
  const target = isObject(existing) ? existing : {}
  decodeInto(target, ctx.schema.message(name), bytes, ctx, at, depth + 1)
  out[def.jsonName] = target
}

function readRepeated(
  list: unknown[],
  def: FieldDef,
  r: WireReader,
  wireType: number,
  ctx: Context,
  at: string,
  depth: number,
) {
  const v = def.value
  if (v.kind === 'scalar') {
    if (wireType === WireType.LengthDelimited && isPackable(v.scalar)) {
      // Packed encoding: one length-delimited run of values.
      const packed = new WireReader(r.bytes())
      while (!packed.done) list.push(readScalar(packed, wireTypeOf(v.scalar), v.scalar, at))
    } else {
      list.push(readScalar(r, wireType, v.scalar, at))
    }
    return
  }
  list.push(readValue(v, expectBytes(r, wireType, at), ctx, `${at}[${list.length}]`, depth))
}

/** A map entry: `{1 key, 2 value}`; a missing key or value takes its zero value. */
function readMapEntry(map: JsonObject, def: FieldDef, bytes: Uint8Array, ctx: Context, at: string, depth: number) {
  let key: unknown = zeroOf(def.mapKey!)
  let value: unknown
  const r = new WireReader(bytes)
  while (!r.done) {
    const { field, wireType } = r.tag()
    if (field === 1) key = readScalar(r, wireType, def.mapKey!, at)
    else if (field === 2)
      value =
        def.value.kind === 'scalar'
          ? readScalar(r, wireType, def.value.scalar, at)
          : readValue(def.value, expectBytes(r, wireType, at), ctx, at, depth)
    else r.skip(wireType)
  }
  if (value === undefined) {
    value =
      def.value.kind === 'scalar' ? zeroOf(def.value.scalar) : readValue(def.value, new Uint8Array(), ctx, at, depth)
  }
  // NOTE: defineProperty, not assignment: a "__proto__" key must become an own property, as JSON.parse makes it.
  Object.defineProperty(map, String(key), { value, enumerable: true, writable: true, configurable: true })
}

/** A message value (list element or map value): special converter or nested object. */
function readValue(v: ValueType, bytes: Uint8Array, ctx: Context, at: string, depth: number): unknown {
  const name = messageName(v)
  const special = ctx.specials.get(name)
  if (special) return special(bytes) ?? null
  const out: JsonObject = {}
  decodeInto(out, ctx.schema.message(name), bytes, ctx, at, depth + 1)
  return out
}

function readScalar(r: WireReader, wireType: number, type: ScalarType, at: string): unknown {
  const want = wireTypeOf(type)
  if (wireType !== want) throw new WireError(`${at || '.'}: wire type ${wireType} for a ${type} field`)
  switch (type) {
    case 'string':
      return utf8(r.bytes())
    case 'bytes':
      return Buffer.from(r.bytes()).toString('base64')
    case 'bool':
      return r.bool()
    case 'int32':
      return r.int32()
    case 'int64':
      return r.int64()
    case 'uint32':
      return Number(BigInt.asUintN(32, r.varint()))
    case 'uint64':
      return r.uint64()
    case 'double':
      return r.double()
    case 'float':
      return r.float()
  }
}

function wireTypeOf(type: ScalarType): number {
  switch (type) {
    case 'string':
    case 'bytes':
      return WireType.LengthDelimited
    case 'double':
      return WireType.Fixed64
    case 'float':
      return WireType.Fixed32
    default:
      return WireType.Varint
  }
}

const isPackable = (type: ScalarType) => type !== 'string' && type !== 'bytes'

function zeroOf(type: ScalarType): unknown {
  if (type === 'string' || type === 'bytes') return ''
  return type === 'bool' ? false : 0
}

const isZero = (v: unknown) => v === '' || v === 0 || v === false

function expectBytes(r: WireReader, wireType: number, at: string): Uint8Array {
  if (wireType !== WireType.LengthDelimited) throw new WireError(`${at || '.'}: wire type ${wireType} for a message`)
  return r.bytes()
}

function messageName(v: ValueType): string {
  if (v.kind !== 'message') throw new Error('expected a message type')
  return v.name
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)

function objectAt(out: JsonObject, key: string): JsonObject {
  const v = out[key]
  if (isObject(v)) return v
  const fresh: JsonObject = {}
  out[key] = fresh
  return fresh
}

function arrayAt(out: JsonObject, key: string): unknown[] {
  const v = out[key]
  if (Array.isArray(v)) return v
  const fresh: unknown[] = []
  out[key] = fresh
  return fresh
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key)
