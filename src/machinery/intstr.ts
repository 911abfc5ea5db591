/**
 * IntOrString values such as `maxUnavailable: 25%` or `maxUnavailable: 2`: scaling a percentage
 * against a total (intstr.GetScaledValueFromIntOrPercent) and the apps-group validation of them.
 * Pure: no I/O.
 */
import { type FieldError, invalidValue, type Path } from './field-error.js'
import { isValidPercent } from './validation/names.js'

/** An intstr.IntOrString as it appears in JSON. */
export type IntOrString = number | string

/** True for a string ending in '%' (the shape, not the validity, as upstream's check). */
export function isPercent(v: IntOrString | undefined): v is string {
  return typeof v === 'string' && v.endsWith('%')
}

const int64Max = 9223372036854775807n

/** strconv.Atoi with Go's error text. */
function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`)
  const n = BigInt(s)
  if (n > int64Max || n < -int64Max - 1n)
    throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`)
  return Number(n)
}

/**
 * intstr.GetScaledValueFromIntOrPercent: an int is returned as is; `N%` is N% of total, rounded up
 * or down. Throws Error with upstream's text: `nil value for IntOrString`, or
 * `invalid value for IntOrString: invalid type: string is not a percentage`, or
 * `invalid value for IntOrString: invalid value "x%": strconv.Atoi: parsing "x": invalid syntax`.
 */
export function getScaledValueFromIntOrPercent(v: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) throw new Error('nil value for IntOrString')
  if (typeof v === 'number') return Math.trunc(v)
  if (!v.endsWith('%')) throw new Error('invalid value for IntOrString: invalid type: string is not a percentage')
  let n: number
  try {
    n = atoi(v.slice(0, -1))
  } catch (e) {
    throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(v)}: ${(e as Error).message}`)
  }
  const scaled = (n * total) / 100
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled)
}

/**
 * apps validation ValidatePositiveIntOrPercent (which, despite its name, allows zero): a string must
 * be `N%`, an int must be >= 0. NOTE: upstream renders the bad value as Go's
 * `intstr.IntOrString{Type:1, ...}`; we pass the plain JSON value.
 */
export function validateNonNegativeIntOrPercent(v: IntOrString | undefined, path: Path): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map(msg => invalidValue(path, v, msg))
  if (typeof v === 'number' && Number.isInteger(v))
    return v < 0 ? [invalidValue(path, v, 'must be greater than or equal to 0')] : []
  return [invalidValue(path, v ?? null, "must be an integer or percentage (e.g '5%')")]
}

/** apps validation IsNotMoreThan100Percent: a valid percentage above 100% is rejected. */
export function isNotMoreThan100Percent(v: IntOrString | undefined, path: Path): FieldError[] {
  if (typeof v !== 'string' || isValidPercent(v).length) return []
  const n = Number(v.slice(0, -1))
  return n > 100 ? [invalidValue(path, v, 'must not be greater than 100%')] : []
}

/** The integer value of an int, or of a valid percentage's number (apps getIntOrPercentValue). */
export function getIntOrPercentValue(v: IntOrString): number {
  if (typeof v === 'number') return v
  const n = Number.parseInt(v.slice(0, -1), 10)
  return Number.isNaN(n) ? 0 : n
}

/** Upstream's name for validateNonNegativeIntOrPercent (apps validation ValidatePositiveIntOrPercent). */
export const validatePositiveIntOrPercent = validateNonNegativeIntOrPercent
