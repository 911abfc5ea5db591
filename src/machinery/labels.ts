/**
 * Label selectors as apimachinery's labels and meta/v1 packages define them (Kubernetes 1.32):
 * the string syntax (`a=b,c in (x,y),!d`), LabelSelector objects, matching, formatting and
 * validation. Parse errors carry upstream's exact text, because the apiserver returns them in a
 * 400 and kubectl prints them verbatim. Pure: no I/O.
 */
import type { LabelSelector } from '../api/meta.js'
import { type FieldError, forbiddenField, invalidValue, type Path, required } from './field-error.js'
import { isQualifiedName, isValidLabelValue } from './validation/names.js'

/** selection.Operator spellings: `gt`/`lt` are what `a>1`/`a<1` parse to, `!` is DoesNotExist. */
export type Operator = 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt'

/** One clause of a selector; all clauses of a selector must hold (AND). */
export interface Requirement {
  key: string
  operator: Operator
  values: string[]
}

/** A parsed label selector. */
export interface Selector {
  /** True when every requirement holds for these labels. */
  matches(labels: Record<string, string> | undefined): boolean
  /** True when the selector does not restrict anything (labels.Everything()). */
  isEmpty(): boolean
  /** True only for labels.Nothing(), which a nil LabelSelector becomes. */
  matchesNothing(): boolean
  /** The canonical string form (requirements sorted by key, set values sorted). */
  toString(): string
  /** The value a requirement `key=v`, `key==v` or `key in (v)` pins, if any (for indexes). */
  requiresExactMatch(key: string): string | undefined
  requirements: Requirement[]
}

const binaryOperators = ['in', 'notin', '=', '==', '!=', 'gt', 'lt']
const validOperators = [...binaryOperators, 'exists', '!']

/** Renders a value the way Go's %#v shows it in field errors of selector parse messages. */
function goValue(v: unknown): string {
  if (Array.isArray(v)) return `[]string{${v.map(x => JSON.stringify(x)).join(', ')}}`
  return typeof v === 'string' ? JSON.stringify(v) : String(v)
}

/** utilerrors.NewAggregate(...).Error(): one message bare, several deduplicated inside brackets. */
function aggregate(messages: string[]): string {
  const seen = [...new Set(messages)]
  return seen.length === 1 ? seen[0]! : `[${seen.join(', ')}]`
}

const isInt64 = (s: string) =>
  /^[+-]?[0-9]+$/.test(s) && BigInt(s) <= 9223372036854775807n && BigInt(s) >= -9223372036854775808n

/**
 * labels.NewRequirement: validates key, operator and values and throws an Error whose message is
 * the aggregated field errors (`key: Invalid value: ...`), as upstream's aggregate prints them.
 */
export function newRequirement(key: string, operator: Operator, values: string[]): Requirement {
  const errs: string[] = []
  const keyErrs = isQualifiedName(key)
  if (keyErrs.length) errs.push(`key: Invalid value: ${goValue(key)}: ${keyErrs.join('; ')}`)
  const bad = (detail: string, p = 'values', v: unknown = values) =>
    errs.push(`${p}: Invalid value: ${goValue(v)}: ${detail}`)
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) bad("for 'in', 'notin' operators, values set can't be empty")
      break
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) bad('exact-match compatibility requires one single value')
      break
    case 'exists':
    case '!':
      if (values.length !== 0) bad('values set must be empty for exists and does not exist')
      break
    case 'gt':
    case 'lt':
      if (values.length !== 1) bad("for 'Gt', 'Lt' operators, exactly one value is required")
      values.forEach((v, i) => {
        if (!isInt64(v)) bad("for 'Gt', 'Lt' operators, the value must be an integer", `values[${i}]`, v)
      })
      break
    default: {
      const supported = validOperators.map(o => JSON.stringify(o)).join(', ')
      errs.push(`operator: Unsupported value: ${goValue(operator)}: supported values: ${supported}`)
    }
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v)
    if (msgs.length) errs.push(`values[${i}][${key}]: Invalid value: ${goValue(v)}: ${msgs.join('; ')}`)
  })
  if (errs.length) throw new Error(aggregate(errs))
  return { key, operator, values }
}

function hasValue(r: Requirement, v: string): boolean {
  return r.values.includes(v)
}

/** Requirement.Matches: NotIn and != also match when the key is absent. */
export function requirementMatches(r: Requirement, labels: Record<string, string> | undefined): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key)
  const val = has ? labels[r.key]! : ''
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && hasValue(r, val)
    case 'notin':
    case '!=':
      return !has || !hasValue(r, val)
    case 'exists':
      return has
    case '!':
      return !has
    case 'gt':
    case 'lt': {
      if (!has || !isInt64(val) || r.values.length !== 1 || !isInt64(r.values[0]!)) return false
      const a = BigInt(val)
      const b = BigInt(r.values[0]!)
      return r.operator === 'gt' ? a > b : a < b
    }
    default:
      return false
  }
}

const opText: Record<Operator, string> = {
  '=': '=',
  '==': '==',
  '!=': '!=',
  in: ' in ',
  notin: ' notin ',
  gt: '>',
  lt: '<',
  exists: '',
  '!': '',
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Requirement.String: `!k`, `k`, `k=v`, `k in (a,b)` (set values printed sorted). */
export function formatRequirement(r: Requirement): string {
  const head = (r.operator === '!' ? '!' : '') + r.key
  if (r.operator === 'exists' || r.operator === '!') return head
  const vals = r.values.length === 1 ? r.values[0]! : [...r.values].sort(byCodeUnit).join(',')
  const set = r.operator === 'in' || r.operator === 'notin'
  return head + opText[r.operator] + (set ? `(${vals})` : vals)
}

class RequirementSelector implements Selector {
  constructor(readonly requirements: Requirement[]) {}
  matches(labels: Record<string, string> | undefined): boolean {
    return this.requirements.every(r => requirementMatches(r, labels))
  }
  isEmpty(): boolean {
    return this.requirements.length === 0
  }
  matchesNothing(): boolean {
    return false
  }
  toString(): string {
    return this.requirements.map(formatRequirement).join(',')
  }
  requiresExactMatch(key: string): string | undefined {
    const r = this.requirements.find(x => x.key === key)
    if (!r || !['=', '==', 'in'].includes(r.operator) || r.values.length !== 1) return undefined
    return r.values[0]
  }
}

class NothingSelector implements Selector {
  readonly requirements: Requirement[] = []
  matches(): boolean {
    return false
  }
  isEmpty(): boolean {
    return false
  }
  matchesNothing(): boolean {
    return true
  }
  toString(): string {
    return ''
  }
  requiresExactMatch(): string | undefined {
    return undefined
  }
}

/** A selector over these requirements, sorted stably by key as upstream's Add does. */
export function selectorOf(requirements: Requirement[]): Selector {
  return new RequirementSelector([...requirements].sort((a, b) => byCodeUnit(a.key, b.key)))
}

/** labels.Everything(): matches all label sets. */
export const everything = (): Selector => new RequirementSelector([])

/** labels.Nothing(): matches no label set; isEmpty() is false and toString() is ''. */
export const nothing = (): Selector => new NothingSelector()

/** labels.SelectorFromSet: `k=v` for every entry; an empty or missing map selects everything. */
export function selectorFromSet(set: Record<string, string> | undefined): Selector {
  return selectorOf(Object.entries(set ?? {}).map(([key, v]) => ({ key, operator: '=' as const, values: [v] })))
}

/**
 * Service-selector matching: every selector entry must be present with the same value.
 * NOTE: an empty selector matches every label set here (labels.SelectorFromSet semantics);
 * callers such as the endpoints controller must treat an empty Service selector as "selects
 * nothing / not managed" themselves.
 */
export function labelsMatchSelectorMap(
  selector: Record<string, string>,
  labels: Record<string, string> | undefined,
): boolean {
  return Object.entries(selector).every(([k, v]) => labels !== undefined && Object.hasOwn(labels, k) && labels[k] === v)
}

export { parseSelector } from './labels-parse.js'

/**
 * metav1.LabelSelectorAsSelector. A null/undefined selector becomes labels.Nothing() (matches no
 * objects); an empty `{}` becomes labels.Everything(). Throws Error on an invalid operator
 * (`"Foo" is not a valid pod selector operator`) or invalid key/values (newRequirement's text).
 */
export function selectorFromLabelSelector(ls: LabelSelector | undefined | null): Selector {
  if (ls === null || ls === undefined) return nothing()
  const labels = Object.entries(ls.matchLabels ?? {}).sort(([a], [b]) => byCodeUnit(a, b))
  const exprs = ls.matchExpressions ?? []
  if (labels.length + exprs.length === 0) return everything()
  const reqs = labels.map(([k, v]) => newRequirement(k, '=', [v]))
  const ops: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' }
  for (const e of exprs) {
    const op = Object.hasOwn(ops, e.operator) ? ops[e.operator] : undefined
    if (!op) throw new Error(`${JSON.stringify(e.operator)} is not a valid pod selector operator`)
    reqs.push(newRequirement(e.key, op, [...(e.values ?? [])]))
  }
  return selectorOf(reqs)
}

/** metav1.FormatLabelSelector: the selector string, `<none>` when empty or nil, `<error>` when invalid. */
export function formatLabelSelector(ls: LabelSelector | undefined | null): string {
  let s: string
  try {
    s = selectorFromLabelSelector(ls).toString()
  } catch {
    return '<error>'
  }
  return s.length === 0 ? '<none>' : s
}

/** Options of metav1validation.ValidateLabelSelector. */
export interface LabelSelectorValidationOptions {
  /** Skip label-value syntax checks on matchExpressions values (set when the old object had such values). */
  allowInvalidLabelValueInSelector?: boolean
}

const sortedEntries = (m: Record<string, string>) => Object.entries(m).sort(([a], [b]) => byCodeUnit(a, b))

/** metav1validation.ValidateLabelName: the key must be a qualified name. */
export function validateLabelName(name: string, path: Path): FieldError[] {
  return isQualifiedName(name).map(msg => invalidValue(path, name, msg))
}

/** metav1validation.ValidateLabels: keys are qualified names, values label values (errors at `path`). */
export function validateLabels(labels: Record<string, string> | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = []
  for (const [k, v] of sortedEntries(labels ?? {})) {
    errs.push(...validateLabelName(k, path))
    for (const msg of isValidLabelValue(v)) errs.push(invalidValue(path, v, msg))
  }
  return errs
}

/** metav1validation.ValidateLabelSelector: matchLabels as labels, each matchExpression's operator, key and values. */
export function validateLabelSelector(
  ls: LabelSelector | undefined | null,
  path: Path,
  opts: LabelSelectorValidationOptions = {},
): FieldError[] {
  if (!ls) return []
  const errs = validateLabels(ls.matchLabels, path.child('matchLabels'))
  ;(ls.matchExpressions ?? []).forEach((sr, i) => {
    const p = path.child('matchExpressions').index(i)
    const values = sr.values ?? []
    switch (sr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0)
          errs.push(required(p.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"))
        break
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0)
          errs.push(
            forbiddenField(p.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
          )
        break
      default:
        errs.push(invalidValue(p.child('operator'), sr.operator, 'not a valid selector operator'))
    }
    errs.push(...validateLabelName(sr.key, p.child('key')))
    if (!opts.allowInvalidLabelValueInSelector)
      values.forEach((v, j) => {
        for (const msg of isValidLabelValue(v)) errs.push(invalidValue(p.child('values').index(j), v, msg))
      })
  })
  return errs
}
