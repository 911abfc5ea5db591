/**
 * Small helpers for field errors whose value upstream prints with Go's %#v
 * (`[]string{"10.96.0.5"}`, `core.ServicePort{...}`), and IP checks shared by the service,
 * endpoints and endpointslice validators. Pure.
 */
import type { FieldError, FieldErrorType, Path } from '../../../machinery/field-error.js'
import { invalidValue } from '../../../machinery/field-error.js'
import { isValidIP } from '../../../machinery/validation/names.js'
import { parseIPv4 } from './network.js'

/**
 * A field error whose value is already rendered (unquoted).
 * NOTE: rides on `detail` because field-error.ts has no slot for a pre-rendered value.
 */
export function shown(type: FieldErrorType, path: Path | string, text: string, detail = ''): FieldError {
  return { type, field: String(path), detail: detail ? `${text}: ${detail}` : text }
}

/** Go's %#v of a []string; nil prints as `[]string(nil)`. */
export const goStrings = (s: string[] | undefined, type = 'string') =>
  s === undefined ? `[]${type}(nil)` : `[]${type}{${s.map(x => JSON.stringify(x)).join(', ')}}`

/** validation.IsValidIP (1.32 field form). */
export function validateIP(path: Path, ip: string): FieldError[] {
  return isValidIP(ip).map(msg => invalidValue(path, ip, msg))
}

/** True for an IPv6 literal (anything with a colon that parses as an IP). */
export const isIPv6 = (ip: string) => ip.includes(':') && isValidIP(ip).length === 0

/**
 * ValidateNonSpecialIP: no unspecified, loopback, link-local or link-local multicast addresses
 * (Endpoints, EndpointSlices and externalIPs).
 */
export function validateNonSpecialIP(path: Path, ip: string): FieldError[] {
  if (isValidIP(ip).length) return [invalidValue(path, ip, 'must be a valid IP address')]
  const errs: FieldError[] = []
  const v4 = parseIPv4(ip)
  const lower = ip.toLowerCase()
  const v6Unspecified = !v4 && /^[0:]+$/.test(lower.replace(/::/, ':'))
  if (v4 === 0 || v6Unspecified) errs.push(invalidValue(path, ip, `may not be unspecified (${ip})`))
  if ((v4 !== undefined && v4 >>> 24 === 127) || (v4 === undefined && /^(0*:)*:?0*1$/.test(lower) && lower !== '1'))
    errs.push(invalidValue(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'))
  if ((v4 !== undefined && v4 >>> 16 === 0xa9fe) || (v4 === undefined && /^fe[89ab]/.test(lower)))
    errs.push(invalidValue(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'))
  if ((v4 !== undefined && v4 >>> 8 === 0xe00000) || (v4 === undefined && /^ff02:/.test(lower)))
    errs.push(invalidValue(path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'))
  return errs
}
