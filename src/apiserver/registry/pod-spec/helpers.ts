/**
 * Small field-error builders shared by the workload validators: non-negative numbers, DNS
 * labels, qualified names, and values that upstream prints with Go's %#v or a String() method
 * (which formatValue in field-error.ts cannot reproduce). Pure: no I/O.
 */
import type { LabelSelector } from '../../../api/meta.js'
import { type FieldError, invalidValue, type Path } from '../../../machinery/field-error.js'
import { isDNS1123Label, isQualifiedName } from '../../../machinery/validation/names.js'
import { isNegativeErrorMsg } from '../../../machinery/validation/object-meta.js'

/** ValidateNonnegativeField for optional numbers: `<path>: Invalid value: -1: must be greater than or equal to 0`. */
export function validateNonnegative(value: number | undefined, path: Path): FieldError[] {
  return value !== undefined && value < 0 ? [invalidValue(path, value, isNegativeErrorMsg)] : []
}

/** ValidateDNS1123Label: one Invalid error per failed rule, value quoted. */
export function validateDNS1123Label(value: string, path: Path): FieldError[] {
  return isDNS1123Label(value).map(msg => invalidValue(path, value, msg))
}

/** ValidateQualifiedName (label keys, condition types). */
export function validateQualifiedName(value: string, path: Path): FieldError[] {
  return isQualifiedName(value).map(msg => invalidValue(path, value, msg))
}

/**
 * An Invalid error whose value is already rendered (unquoted), for values upstream prints with
 * %#v or String(): `Invalid value: 120%: must not be greater than 100%`.
 * NOTE: rides on `detail`; field-error.ts has no "pre-rendered value" slot yet.
 */
export function invalidShown(path: Path | string, shown: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field: String(path), detail: detail ? `${shown}: ${detail}` : shown }
}

/** Go's %q for a string (close enough: JSON escaping matches for printable text). */
const goQuote = (s: string) => JSON.stringify(s)

/** Go's %#v of a map[string]string (keys sorted): `map[string]string{"app":"nginx"}`; nil as `(nil)`. */
export function goStringMap(m: Record<string, string> | undefined): string {
  if (m === undefined || m === null) return 'map[string]string(nil)'
  const keys = Object.keys(m).sort()
  return `map[string]string{${keys.map(k => `${goQuote(k)}:${goQuote(m[k]!)}`).join(', ')}}`
}

/** Go's %#v of a []string: `[]string{"a", "b"}`, nil as `[]string(nil)`. */
export function goStringSlice(s: string[] | undefined): string {
  return s === undefined ? '[]string(nil)' : `[]string{${s.map(goQuote).join(', ')}}`
}

/** Go's %#v of a metav1.LabelSelector value, as field errors on `spec.selector` show it. */
export function goLabelSelector(ls: LabelSelector): string {
  const exprs = ls.matchExpressions
  const e =
    exprs === undefined
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${exprs
          .map(
            r =>
              `v1.LabelSelectorRequirement{Key:${goQuote(r.key)}, Operator:${goQuote(r.operator)}, Values:${goStringSlice(r.values)}}`,
          )
          .join(', ')}}`
  return `v1.LabelSelector{MatchLabels:${goStringMap(ls.matchLabels)}, MatchExpressions:${e}}`
}

/** IntOrString.String(): numbers and strings both print bare. */
export const intOrStringText = (v: number | string) => String(v)

/** True when the value is a plain object (not null, not an array). */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
