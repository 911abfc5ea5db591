/**
 * Field selectors as apimachinery's fields package parses them (`metadata.name=web-0,status.phase!=Running`):
 * comma-separated `field=value`, `field==value` or `field!=value` terms, with `\,` `\=` `\\` escapes in
 * values. Which fields a kind supports is the registry's business, not this module's. Pure: no I/O.
 */

/** One term of a field selector; all terms must hold (AND). */
export interface FieldRequirement {
  field: string
  op: '=' | '==' | '!='
  value: string
}

/** A parsed field selector. */
export interface FieldSelector {
  requirements: FieldRequirement[]
  /** True when every term holds; a missing field reads as the empty string, as upstream's Set.Get does. */
  matches(fields: Record<string, string>): boolean
  /** True when the selector selects everything (no terms). */
  isEmpty(): boolean
  /** The value a `field=v` or `field==v` term pins, if any (for indexed lookups). */
  requiresExactMatch(field: string): string | undefined
  /** Terms joined by ',' with values escaped again (hasTerm/notHasTerm String). */
  toString(): string
}

// `==` is tried before `=` so that the value never starts with a stray '='.
const termOperators = ['!=', '==', '='] as const

/** fields.EscapeValue: prefixes `\`, `,` and `=` with a backslash. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, c => `\\${c}`)
}

/** fields.UnescapeValue; throws on a bad escape or an unescaped `,`/`=` (message text as upstream). */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s
  let out = ''
  let inSlash = false
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=')
        throw new Error(`invalid field selector: invalid escape sequence: \\${c}`)
      out += c
      inSlash = false
    } else if (c === '\\') inSlash = true
    else if (c === ',' || c === '=')
      // NOTE: Go prints the rune with %v, i.e. as its code point number.
      throw new Error(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`)
    else out += c
  }
  if (inSlash) throw new Error('invalid field selector: invalid escape sequence: \\')
  return out
}

/** Splits on commas that are not backslash-escaped, keeping the escapes in the terms. */
function splitTerms(s: string): string[] {
  if (s.length === 0) return []
  const terms: string[] = []
  let start = 0
  let inSlash = false
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (inSlash) inSlash = false
    else if (c === '\\') inSlash = true
    else if (c === ',') {
      terms.push(s.slice(start, i))
      start = i + 1
    }
  }
  terms.push(s.slice(start))
  return terms
}

/** The first operator occurrence splits the term; the field part has no escaping. */
function splitTerm(term: string): { lhs: string; op: FieldRequirement['op']; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of termOperators) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) }
    }
  }
  return undefined
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

function termMatches(r: FieldRequirement, fields: Record<string, string>): boolean {
  const v = Object.hasOwn(fields, r.field) ? fields[r.field] : ''
  return r.op === '!=' ? v !== r.value : v === r.value
}

/** Builds a selector from already-parsed terms. */
export function fieldSelectorOf(requirements: FieldRequirement[]): FieldSelector {
  return {
    requirements,
    matches: fields => requirements.every(r => termMatches(r, fields)),
    isEmpty: () => requirements.length === 0,
    requiresExactMatch: field => requirements.find(r => r.field === field && r.op !== '!=')?.value,
    toString: () =>
      requirements.map(r => `${r.field}${r.op === '!=' ? '!=' : '='}${escapeFieldValue(r.value)}`).join(','),
  }
}

/**
 * fields.ParseSelector. Terms are sorted as strings first (upstream does so before parsing), empty
 * terms are skipped, and the empty string selects everything. Throws Error:
 * `invalid selector: '<s>'; can't understand '<term>'` or an escape error.
 */
export function parseFieldSelector(s: string): FieldSelector {
  const parts = splitTerms(s).sort(byCodeUnit)
  const reqs: FieldRequirement[] = []
  for (const part of parts) {
    if (part === '') continue
    const t = splitTerm(part)
    if (!t) throw new Error(`invalid selector: '${s}'; can't understand '${part}'`)
    reqs.push({ field: t.lhs, op: t.op, value: unescapeFieldValue(t.rhs) })
  }
  return fieldSelectorOf(reqs)
}
