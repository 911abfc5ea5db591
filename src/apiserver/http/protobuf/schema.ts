/**
 * Message tables and their compiled form. A table maps a message name to its fields, one short
 * spec string per field number (see FieldSpec). compileSchema checks every table once: duplicate
 * names, malformed specs and references to missing messages fail at start-up, not mid-request.
 * Pure data: no I/O.
 */

/**
 * One field: `'jsonName type'`, `'jsonName []type'`, `'jsonName map<string,type>'`, or `'...Type'`
 * for an embedded struct whose JSON is inlined into the parent (`json:",inline"`).
 * A trailing `!` on a scalar keeps zero values ('' / 0 / false): use it for Go pointers and for
 * fields without `omitempty`. Without it a zero value is dropped, as Go's omitempty would.
 */
export type FieldSpec = string

/** One message: field number → spec. */
export type MessageSpec = Readonly<Record<number, FieldSpec>>

/** Message name → fields. Names are unique across all tables (suffix a version on clashes). */
export type MessageTable = Readonly<Record<string, MessageSpec>>

/** Scalar protobuf types the tables use. */
export type ScalarType = 'string' | 'bytes' | 'bool' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'double' | 'float'

/** What a field (or a map value) holds: a scalar or a message, special or tabled. */
export type ValueType = { kind: 'scalar'; scalar: ScalarType } | { kind: 'message'; name: string }

/** A compiled field. */
export interface FieldDef {
  number: number
  /** JSON key; empty for inlined fields. */
  jsonName: string
  value: ValueType
  repeated: boolean
  inline: boolean
  /** For maps: the key type (always a scalar). The entry's value type is `value`. */
  mapKey?: ScalarType
  keepZero: boolean
}

/** A compiled message. */
export interface MessageDef {
  name: string
  fields: ReadonlyMap<number, FieldDef>
}

const SCALARS: ReadonlySet<string> = new Set([
  'string',
  'bytes',
  'bool',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'double',
  'float',
])

const SPEC = /^(?:\.\.\.(\w+)|(\w+) (\[\])?(?:map<(\w+),(\w+)>|(\w+))(!)?)$/

function valueType(name: string): ValueType {
  return SCALARS.has(name) ? { kind: 'scalar', scalar: name as ScalarType } : { kind: 'message', name }
}

/** Parses one field spec; throws on malformed specs so a bad table fails at load. */
export function parseFieldSpec(number: number, spec: FieldSpec): FieldDef {
  const m = SPEC.exec(spec)
  if (!m) throw new Error(`field ${number}: malformed spec ${JSON.stringify(spec)}`)
  const [, inlined, jsonName, list, mapKey, mapValue, plain, bang] = m
  if (inlined) {
    if (SCALARS.has(inlined)) throw new Error(`field ${number}: only messages can be inlined`)
    return { number, jsonName: '', value: valueType(inlined), repeated: false, inline: true, keepZero: false }
  }
  const value = valueType((mapValue ?? plain)!)
  const isMap = mapKey !== undefined
  if (isMap && !SCALARS.has(mapKey)) throw new Error(`field ${number}: map key must be a scalar`)
  if (isMap && list) throw new Error(`field ${number}: a map cannot also be a list`)
  if (bang && (list || isMap || value.kind !== 'scalar'))
    throw new Error(`field ${number}: '!' applies to single scalars`)
  return {
    number,
    jsonName: jsonName!,
    value,
    repeated: Boolean(list) || isMap,
    inline: false,
    ...(isMap ? { mapKey: mapKey as ScalarType } : {}),
    keepZero: Boolean(bang),
  }
}

/** All message definitions, looked up by name. */
export class Schema {
  constructor(private readonly messages: ReadonlyMap<string, MessageDef>) {}

  /** The message called name; throws if no table defines it. */
  message(name: string): MessageDef {
    const def = this.messages.get(name)
    if (!def) throw new Error(`no message table entry for ${name}`)
    return def
  }

  /** Whether a table defines name. */
  has(name: string): boolean {
    return this.messages.has(name)
  }

  /** Every message name, for tests and diagnostics. */
  names(): string[] {
    return [...this.messages.keys()]
  }
}

/**
 * Compiles and cross-checks tables. `special` names messages decoded by hand-written converters
 * (Time, Quantity, ...); a reference must resolve to a table entry or a special.
 */
export function compileSchema(tables: readonly MessageTable[], special: ReadonlySet<string>): Schema {
  const messages = new Map<string, MessageDef>()
  for (const table of tables) {
    for (const [name, spec] of Object.entries(table)) {
      if (messages.has(name) || special.has(name)) throw new Error(`message ${name} is defined twice`)
      const fields = new Map<number, FieldDef>()
      for (const [num, fieldSpec] of Object.entries(spec)) {
        const number = Number(num)
        if (!Number.isInteger(number) || number < 1) throw new Error(`${name}: bad field number ${num}`)
        try {
          fields.set(number, parseFieldSpec(number, fieldSpec))
        } catch (e) {
          throw new Error(`${name}: ${(e as Error).message}`)
        }
      }
      messages.set(name, { name, fields })
    }
  }
  for (const def of messages.values()) {
    for (const field of def.fields.values()) {
      const v = field.value
      if (v.kind === 'message' && !messages.has(v.name) && !special.has(v.name)) {
        throw new Error(`${def.name}.${field.jsonName || field.number} refers to unknown message ${v.name}`)
      }
      if (field.inline && v.kind === 'message' && special.has(v.name)) {
        throw new Error(`${def.name}: special message ${v.name} cannot be inlined`)
      }
    }
  }
  return new Schema(messages)
}
