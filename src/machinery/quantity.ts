/**
 * resource.Quantity (Kubernetes 1.32): parsing `500m`, `1.5Gi`, `12e6`, the canonical string form the
 * apiserver stores and kubectl prints (`1.5Gi` → `1536Mi`, `0.5` → `500m`, `1024Mi` → `1Gi`), and
 * exact comparison. Values are exact decimals (bigint × 10^scale), rounded up to nano units as
 * upstream does, never floats. Pure: no I/O.
 */

/** The suffix family a quantity was written in; String() keeps it. */
export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent'

/** A parsed quantity. */
export interface Quantity {
  /** The value in base units as a float (fractional for milli values; approximate past 2^53). */
  value: number
  format: QuantityFormat
  /** Exact value: unscaled × 10^scale. */
  unscaled: bigint
  scale: number
  /** The canonical form (`1536Mi`, `500m`, `1k`), or the input when upstream keeps it verbatim. */
  toString(): string
}

const splitREString = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'
/** ErrFormatWrong's message. */
export const errFormatWrong = `quantities must match the regular expression '${splitREString}'`
/** ErrSuffix's message. */
export const errSuffix = "unable to parse quantity's suffix"

const decSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 }
const binSuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 }
const decByExp = new Map(Object.entries(decSuffixes).map(([s, e]) => [e, s]))
const binByExp = new Map(Object.entries(binSuffixes).map(([s, e]) => [e, s]))
const maxInt64 = (1n << 63n) - 1n
const nano = -9

interface Scanned {
  positive: boolean
  num: string
  denom: string
  suffix: string
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9'

/** parseQuantityString: sign, number without leading zeros, fraction, suffix; upstream's scanner exactly. */
function scan(str: string): Scanned {
  let pos = 0
  const positive = str[0] !== '-'
  if (str[0] === '-' || str[0] === '+') pos++
  while (pos < str.length && str[pos] === '0') pos++
  if (pos >= str.length) return { positive, num: '0', denom: '', suffix: '' }
  const numStart = pos
  while (isDigit(str[pos])) pos++
  const num = str.slice(numStart, pos) || '0'
  let denom = ''
  if (str[pos] === '.') {
    const start = ++pos
    while (isDigit(str[pos])) pos++
    denom = str.slice(start, pos)
  }
  const suffixStart = pos
  while (pos < str.length && 'eEinumkKMGTP'.includes(str[pos]!)) pos++
  if (str[pos] === '-' || str[pos] === '+') pos++
  while (isDigit(str[pos])) pos++
  if (pos < str.length) throw new Error(errFormatWrong)
  return { positive, num, denom, suffix: str.slice(suffixStart) }
}

/** suffixer.interpret: base, exponent and format of a suffix, or undefined. */
function interpret(s: string): { base: 2 | 10; exponent: number; format: QuantityFormat } | undefined {
  if (Object.hasOwn(decSuffixes, s)) return { base: 10, exponent: decSuffixes[s]!, format: 'DecimalSI' }
  if (Object.hasOwn(binSuffixes, s)) return { base: 2, exponent: binSuffixes[s]!, format: 'BinarySI' }
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E') && /^[+-]?[0-9]+$/.test(s.slice(1))) {
    const e = BigInt(s.slice(1))
    if (e > maxInt64 || e < -maxInt64 - 1n) return undefined
    return { base: 10, exponent: Number(BigInt.asIntN(32, e)), format: 'DecimalExponent' } // int32(parsed)
  }
  return undefined
}

const abs = (n: bigint) => (n < 0n ? -n : n)
const pow10 = (k: number) => 10n ** BigInt(k)

class Q implements Quantity {
  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
    readonly format: QuantityFormat,
    private readonly verbatim?: string,
  ) {}
  get value(): number {
    return Number(`${this.unscaled}e${this.scale}`)
  }
  toString(): string {
    return this.verbatim ?? canonical(this)
  }
}

/** Rounds away from zero to a multiple of 10^scale (AsScale/Round with RoundUp); exact tells if nothing was lost. */
function roundUpToScale(u: bigint, s: number, scale: number): { u: bigint; exact: boolean } {
  if (s >= scale) return { u: u * pow10(s - scale), exact: true }
  // Dividing by more digits than u has leaves only the rounding unit (and spares a huge 10^k).
  if (scale - s > abs(u).toString().length) return { u: u === 0n ? 0n : u < 0n ? -1n : 1n, exact: u === 0n }
  const div = pow10(scale - s)
  const q = abs(u) / div
  const exact = abs(u) % div === 0n
  const r = exact ? q : q + 1n
  return { u: u < 0n ? -r : r, exact }
}

/** ParseQuantity. Throws Error with ErrFormatWrong's or ErrSuffix's message. A number is printed first. */
export function parseQuantity(input: string | number): Quantity {
  const str = typeof input === 'number' ? String(input) : input
  if (str.length === 0) throw new Error(errFormatWrong)
  if (str === '0') return new Q(0n, 0, 'DecimalSI', '0')
  const { positive, num, denom, suffix } = scan(str)
  const suf = interpret(suffix)
  if (!suf) throw new Error(errSuffix)
  const { base, exponent } = suf
  let format = suf.format
  const digits = BigInt(num + denom)

  // The int64 fast path decides whether upstream keeps the input string verbatim.
  let precision: number
  let scale = 0
  let mantissa = 1n
  if (base === 10) {
    scale = exponent
    precision = 18 - (num.length + denom.length)
  } else if (exponent >= 0 && denom.length === 0) {
    mantissa = 1n << BigInt(exponent)
    precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1
  } else precision = -1
  if (precision >= 0) {
    scale -= denom.length
    if (scale >= nano) {
      const result = digits * mantissa
      if (result <= maxInt64) {
        const shifted = num + denom
        const keep =
          base === 2
            ? exponent % 10 === 0 && (digits & 7n) !== 0n
            : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0'
        return new Q(positive ? result : -result, scale, format, keep ? str : undefined)
      }
    }
  }

  // The arbitrary-precision path: exact value, rounded up to nano units, BinarySI capped at int64.
  let u = base === 2 ? digits << BigInt(exponent) : digits
  let s = base === 2 ? -denom.length : exponent - denom.length
  if (u !== 0n && s < nano) {
    u = roundUpToScale(u, s, nano).u
    s = nano
  }
  if (format === 'BinarySI' && compareQuantities(new Q(u, s, format), new Q(maxInt64, 0, format)) > 0) {
    u = maxInt64
    s = 0
  }
  // A binary value below one cannot be written with a binary suffix.
  if (format === 'BinarySI' && u !== 0n && compareQuantities(new Q(u, s, format), new Q(1n, 0, format)) < 0)
    format = 'DecimalSI'
  return new Q(positive ? u : -u, s, format)
}

/** CanonicalizeBytes: mantissa and suffix with the largest exponent that loses nothing. */
function canonical(q: Quantity): string {
  if (q.unscaled === 0n) return '0'
  let format = q.format
  let integer = 0n
  if (format === 'BinarySI') {
    if (
      compareQuantities(q, new Q(-1024n, 0, 'DecimalSI')) > 0 &&
      compareQuantities(q, new Q(1024n, 0, 'DecimalSI')) < 0
    )
      format = 'DecimalSI'
    else {
      const r = roundUpToScale(q.unscaled, q.scale, 0)
      if (r.exact) integer = r.u
      else format = 'DecimalSI'
    }
  }
  if (format === 'BinarySI') {
    let exp = 0
    while (integer % 1024n === 0n) {
      integer /= 1024n
      exp++
    }
    return `${integer}${binByExp.get(exp * 10) ?? ''}`
  }
  let u = q.unscaled
  let exp = q.scale
  while (u % 10n === 0n) {
    u /= 10n
    exp++
  }
  while (exp % 3 !== 0) {
    u *= 10n
    exp--
  }
  // NOTE: upstream has no DecimalSI suffix past E (10^18) and silently prints none; so do we.
  if (format === 'DecimalSI') return `${u}${decByExp.get(exp) ?? ''}`
  return exp === 0 ? `${u}` : `${u}e${exp}`
}

/** Orders of magnitude bracket: |u|×10^s lies in [10^(d+s-1), 10^(d+s)) for d digits. */
const magnitude = (q: Quantity) => abs(q.unscaled).toString().length + q.scale

/** Quantity.Cmp: exact comparison, -1, 0 or 1. Strings and numbers are parsed first. */
export function compareQuantities(a: Quantity | string | number, b: Quantity | string | number): -1 | 0 | 1 {
  const x = typeof a === 'object' ? a : parseQuantity(a)
  const y = typeof b === 'object' ? b : parseQuantity(b)
  const sx = x.unscaled === 0n ? 0 : x.unscaled < 0n ? -1 : 1
  const sy = y.unscaled === 0n ? 0 : y.unscaled < 0n ? -1 : 1
  if (sx !== sy) return sx < sy ? -1 : 1
  if (sx === 0) return 0
  const mx = magnitude(x)
  const my = magnitude(y)
  if (mx !== my) return (mx > my ? sx : -sx) as -1 | 1
  const s = Math.min(x.scale, y.scale)
  const ux = x.unscaled * pow10(x.scale - s)
  const uy = y.unscaled * pow10(y.scale - s)
  return ux === uy ? 0 : ux < uy ? -1 : 1
}

/** True when parseQuantity accepts the value. */
export function isValidQuantity(s: string | number): boolean {
  try {
    parseQuantity(s)
    return true
  } catch {
    return false
  }
}

/** The string the apiserver would store for this quantity (`1.5Gi` → `1536Mi`); throws if invalid. */
export function canonicalizeQuantity(s: string | number): string {
  return parseQuantity(s).toString()
}

/** Quantity.ScaledValue: the value at 10^scale, rounded up away from zero (Value() at 0, MilliValue() at -3). */
export function scaledValue(q: Quantity, scale: number): bigint {
  if (q.unscaled !== 0n && magnitude(q) - scale > 4096) throw new RangeError(`quantity ${q} is too large`)
  return roundUpToScale(q.unscaled, q.scale, scale).u
}

/** Quantity.Value() as a number: `1Gi` → 1073741824, `500m` → 1 (rounded up). */
export function quantityToBytes(s: Quantity | string | number): number {
  return Number(scaledValue(typeof s === 'object' ? s : parseQuantity(s), 0))
}

/** Quantity.MilliValue() as a number: `500m` → 500, `2` → 2000. */
export function quantityToMilli(s: Quantity | string | number): number {
  return Number(scaledValue(typeof s === 'object' ? s : parseQuantity(s), -3))
}
