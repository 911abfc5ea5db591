/**
 * Hand-written converters for apimachinery types whose JSON form is not their protobuf shape:
 * metav1.Time (a Timestamp message, RFC 3339 string in JSON), intstr.IntOrString (a tagged union,
 * number or string in JSON), resource.Quantity (a message wrapping a string) and metav1.FieldsV1
 * (raw JSON bytes). Field numbers are from apimachinery's generated.proto files.
 */
import { WireError, WireReader, WireType } from './wire.js'

/** Turns a message's bytes into its JSON value; undefined means "omit the field". */
export type SpecialDecoder = (bytes: Uint8Array) => unknown

/**
 * metav1.Time: `Timestamp {1 seconds int64, 2 nanos int32}`. Go writes an empty message for the
 * zero time (JSON `null`); we omit the field instead so the server can set it.
 * JSON keeps whole seconds, as metav1.Time.MarshalJSON does.
 */
function decodeTime(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return undefined
  let seconds = 0
  const r = new WireReader(bytes)
  while (!r.done) {
    const { field, wireType } = r.tag()
    if (field === 1 && wireType === WireType.Varint) seconds = r.int64()
    else r.skip(wireType)
  }
  const date = new Date(seconds * 1000)
  // Go refuses to marshal years outside 0000-9999; so do we.
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 0 || date.getUTCFullYear() > 9999) {
    throw new WireError(`time ${seconds}s is outside the years 0000-9999`)
  }
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** intstr.IntOrString: `{1 type int64 (0 int, 1 string), 2 intVal int32, 3 strVal string}`. */
function decodeIntOrString(bytes: Uint8Array): number | string {
  let type = 0
  let intVal = 0
  let strVal = ''
  const r = new WireReader(bytes)
  while (!r.done) {
    const { field, wireType } = r.tag()
    if (field === 1 && wireType === WireType.Varint) type = r.int64()
    else if (field === 2 && wireType === WireType.Varint) intVal = r.int32()
    else if (field === 3 && wireType === WireType.LengthDelimited) strVal = utf8(r.bytes())
    else r.skip(wireType)
  }
  return type === 1 ? strVal : intVal
}

/**
 * resource.Quantity: `{1 string string}`, already in canonical form (Go writes Quantity.String()).
 * An empty message is the zero quantity, "0" in JSON. The server validates the syntax.
 */
function decodeQuantity(bytes: Uint8Array): string {
  let value = '0'
  const r = new WireReader(bytes)
  while (!r.done) {
    const { field, wireType } = r.tag()
    if (field === 1 && wireType === WireType.LengthDelimited) value = utf8(r.bytes())
    else r.skip(wireType)
  }
  return value
}

/** metav1.FieldsV1: `{1 Raw bytes}` holding JSON, which is the field's JSON form. */
function decodeFieldsV1(bytes: Uint8Array): unknown {
  let raw: Uint8Array | undefined
  const r = new WireReader(bytes)
  while (!r.done) {
    const { field, wireType } = r.tag()
    if (field === 1 && wireType === WireType.LengthDelimited) raw = r.bytes()
    else r.skip(wireType)
  }
  if (!raw || raw.length === 0) return undefined
  try {
    return JSON.parse(utf8(raw))
  } catch {
    throw new WireError('fieldsV1 does not hold JSON')
  }
}

const decoder = new TextDecoder('utf-8')

/** Decodes UTF-8; invalid sequences become U+FFFD, as Go's JSON encoder would write them. */
export function utf8(bytes: Uint8Array): string {
  return decoder.decode(bytes)
}

/** The special messages, by the name the tables use. */
export const specialDecoders: ReadonlyMap<string, SpecialDecoder> = new Map<string, SpecialDecoder>([
  ['Time', decodeTime],
  ['IntOrString', decodeIntOrString],
  ['Quantity', decodeQuantity],
  ['FieldsV1', decodeFieldsV1],
])
