/**
 * field.Error as apimachinery renders it: `<path>: <Type>: <detail>`.
 * Validation functions return FieldError[]; the registry turns them into a 422 StatusError.
 * Pure: no I/O.
 */
import type { StatusCause } from '../api/meta.js'

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid'

export interface FieldError {
  type: FieldErrorType
  field: string
  /** The offending value; omitted for Required/Forbidden/TooMany as upstream does. */
  value?: unknown
  hasValue?: boolean
  detail?: string
}

/** A field path builder: path('spec').child('replicas').index(0).key('app'). */
export class Path {
  private constructor(private readonly s: string) {}
  static root(name: string): Path {
    return new Path(name)
  }
  child(name: string, ...more: string[]): Path {
    let p: Path = new Path(this.s ? `${this.s}.${name}` : name)
    for (const m of more) p = p.child(m)
    return p
  }
  index(i: number): Path {
    return new Path(`${this.s}[${i}]`)
  }
  key(k: string): Path {
    return new Path(`${this.s}[${k}]`)
  }
  toString(): string {
    return this.s
  }
}

export const fieldPath = (first: string, ...rest: string[]) => Path.root(first).child(rest[0] ?? '', ...rest.slice(1))

const at = (p: Path | string) => String(p)

export const required = (p: Path | string, detail = ''): FieldError => ({
  type: 'FieldValueRequired',
  field: at(p),
  detail,
})
export const invalidValue = (p: Path | string, value: unknown, detail = ''): FieldError => ({
  type: 'FieldValueInvalid',
  field: at(p),
  value,
  hasValue: true,
  detail,
})
export const notSupported = (p: Path | string, value: unknown, supported: string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field: at(p),
  value,
  hasValue: true,
  detail: supported.length ? `supported values: ${supported.map(s => JSON.stringify(s)).join(', ')}` : '',
})
export const forbiddenField = (p: Path | string, detail: string): FieldError => ({
  type: 'FieldValueForbidden',
  field: at(p),
  detail,
})
export const duplicate = (p: Path | string, value: unknown): FieldError => ({
  type: 'FieldValueDuplicate',
  field: at(p),
  value,
  hasValue: true,
})
export const tooLong = (p: Path | string, value: unknown, max: number): FieldError => ({
  type: 'FieldValueTooLong',
  field: at(p),
  value,
  hasValue: true,
  detail: `must have at most ${max} bytes`,
})
export const tooMany = (p: Path | string, actual: number, max: number): FieldError => ({
  type: 'FieldValueTooMany',
  field: at(p),
  detail: `must have at most ${max} items`,
  value: actual,
})
export const notFoundField = (p: Path | string, value: unknown): FieldError => ({
  type: 'FieldValueNotFound',
  field: at(p),
  value,
  hasValue: true,
})

const typeText: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
}

/** Renders a value the way Go's %v / %q does in field errors: strings quoted, maps as map[k:v]. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  if (Array.isArray(v))
    return `[]${typeof v[0] === 'string' ? 'string' : 'interface {}'}{${v.map(formatValue).join(', ')}}`
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `map[${entries.map(([k, x]) => `${k}:${typeof x === 'string' ? x : formatValue(x)}`).join(' ')}]`
  }
  return String(v)
}

/** The part after the field path: `Invalid value: -1: must be greater than or equal to 0`. */
export function errorBody(e: FieldError): string {
  let s = typeText[e.type]
  const omitValue =
    e.type === 'FieldValueRequired' ||
    e.type === 'FieldValueForbidden' ||
    e.type === 'FieldValueTooMany' ||
    e.type === 'InternalError' ||
    !e.hasValue
  if (!omitValue) s += `: ${formatValue(e.value)}`
  if (e.detail) s += `: ${e.detail}`
  return s
}

export const formatFieldError = (e: FieldError) => (e.field ? `${e.field}: ${errorBody(e)}` : errorBody(e))

/** One error prints bare, several as `[e1, e2]`, as utilerrors.NewAggregate does. */
export function formatFieldErrors(errors: FieldError[]): string {
  const parts = errors.map(formatFieldError)
  return parts.length === 1 ? parts[0]! : `[${parts.join(', ')}]`
}

export const toCauses = (errors: FieldError[]): StatusCause[] =>
  errors.map(e => ({ reason: e.type, message: errorBody(e), field: e.field }))
