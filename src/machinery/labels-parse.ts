/**
 * The label-selector string parser (labels.Parse, Kubernetes 1.32): a byte lexer and a recursive
 * descent parser whose error messages match upstream's word for word, quirks included
 * (`found '' expected: '('` has no comma; `<nil>:` prefixes key errors). Pure: no I/O.
 * Import it through labels.ts.
 */
import { newRequirement, type Operator, type Requirement, type Selector, selectorOf } from './labels.js'
import { isQualifiedName } from './validation/names.js'

enum Tok {
  Error,
  EndOfString,
  ClosedPar,
  Comma,
  DoesNotExist,
  DoubleEquals,
  Equals,
  GreaterThan,
  Identifier,
  In,
  LessThan,
  NotEquals,
  NotIn,
  OpenPar,
}

const string2token: Record<string, Tok> = {
  ')': Tok.ClosedPar,
  ',': Tok.Comma,
  '!': Tok.DoesNotExist,
  '==': Tok.DoubleEquals,
  '=': Tok.Equals,
  '>': Tok.GreaterThan,
  in: Tok.In,
  '<': Tok.LessThan,
  '!=': Tok.NotEquals,
  notin: Tok.NotIn,
  '(': Tok.OpenPar,
}
const tokenOf = (s: string): Tok | undefined => (Object.hasOwn(string2token, s) ? string2token[s] : undefined)

const isWhitespace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n'
const isSpecialSymbol = (ch: string) => '=!(),><'.includes(ch) && ch !== ''
const END = '\0'

interface Item {
  tok: Tok
  lit: string
}

/** Splits the input into tokens; NUL (or the end of input) ends it, as in upstream's byte reader. */
function lex(s: string): Item[] {
  let pos = 0
  const read = () => (pos < s.length ? s[pos++]! : END)
  const unread = () => {
    pos--
  }
  const scanIdOrKeyword = (): Item => {
    let buf = ''
    for (;;) {
      const ch = read()
      if (ch === END) break
      if (isSpecialSymbol(ch) || isWhitespace(ch)) {
        unread()
        break
      }
      buf += ch
    }
    return { tok: tokenOf(buf) ?? Tok.Identifier, lit: buf }
  }
  const scanSpecialSymbol = (): Item => {
    let buf = ''
    let last: Item | undefined
    for (;;) {
      const ch = read()
      if (ch === END) break
      if (!isSpecialSymbol(ch)) {
        unread()
        break
      }
      buf += ch
      const t = tokenOf(buf)
      if (t !== undefined) last = { tok: t, lit: buf }
      else if (last) {
        unread()
        break
      }
    }
    return last ?? { tok: Tok.Error, lit: `error expected: keyword found '${buf}'` }
  }
  const items: Item[] = []
  for (;;) {
    let ch = read()
    while (isWhitespace(ch)) ch = read()
    let item: Item
    if (ch === END) item = { tok: Tok.EndOfString, lit: '' }
    else {
      unread()
      item = isSpecialSymbol(ch) ? scanSpecialSymbol() : scanIdOrKeyword()
    }
    items.push(item)
    if (item.tok === Tok.EndOfString) return items
  }
}

/** In a value position `in` and `notin` are plain identifiers (`x in (in)`). */
enum Ctx {
  KeyAndOperator,
  Values,
}

class Parser {
  private position = 0
  constructor(private readonly items: Item[]) {}

  private at(i: number, ctx: Ctx): Item {
    const it = this.items[i]!
    if (ctx === Ctx.Values && (it.tok === Tok.In || it.tok === Tok.NotIn)) return { tok: Tok.Identifier, lit: it.lit }
    return it
  }
  private lookahead(ctx: Ctx): Item {
    return this.at(this.position, ctx)
  }
  private consume(ctx: Ctx): Item {
    return this.at(this.position++, ctx)
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = []
    for (;;) {
      const { tok, lit } = this.lookahead(Ctx.Values)
      if (tok === Tok.EndOfString) return reqs
      if (tok !== Tok.Identifier && tok !== Tok.DoesNotExist)
        throw new Error(`found '${lit}', expected: !, identifier, or 'end of string'`)
      try {
        reqs.push(this.parseRequirement())
      } catch (e) {
        throw new Error(`unable to parse requirement: ${(e as Error).message}`)
      }
      const next = this.consume(Ctx.Values)
      if (next.tok === Tok.EndOfString) return reqs
      if (next.tok !== Tok.Comma) throw new Error(`found '${next.lit}', expected: ',' or 'end of string'`)
      const after = this.lookahead(Ctx.Values)
      if (after.tok !== Tok.Identifier && after.tok !== Tok.DoesNotExist)
        throw new Error(`found '${after.lit}', expected: identifier after ','`)
    }
  }

  private parseRequirement(): Requirement {
    const { key, operator } = this.parseKeyAndInferOperator()
    if (operator) return newRequirement(key, operator, [])
    const op = this.parseOperator()
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue()
    return newRequirement(
      key,
      op,
      [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    )
  }

  /** Reads `[!]key`; a key followed by ',' or the end is an Exists requirement. */
  private parseKeyAndInferOperator(): { key: string; operator?: Operator } {
    let operator: Operator | undefined
    let item = this.consume(Ctx.Values)
    if (item.tok === Tok.DoesNotExist) {
      operator = '!'
      item = this.consume(Ctx.Values)
    }
    if (item.tok !== Tok.Identifier) throw new Error(`found '${item.lit}', expected: identifier`)
    const errs = isQualifiedName(item.lit)
    if (errs.length) throw new Error(`<nil>: Invalid value: ${JSON.stringify(item.lit)}: ${errs.join('; ')}`)
    const t = this.lookahead(Ctx.Values).tok
    if ((t === Tok.EndOfString || t === Tok.Comma) && operator !== '!') operator = 'exists'
    return { key: item.lit, operator }
  }

  private parseOperator(): Operator {
    const { tok, lit } = this.consume(Ctx.KeyAndOperator)
    const ops: Partial<Record<Tok, Operator>> = {
      [Tok.In]: 'in',
      [Tok.Equals]: '=',
      [Tok.DoubleEquals]: '==',
      [Tok.GreaterThan]: 'gt',
      [Tok.LessThan]: 'lt',
      [Tok.NotIn]: 'notin',
      [Tok.NotEquals]: '!=',
    }
    const op = ops[tok]
    if (!op) throw new Error(`found '${lit}', expected: in, notin, =, ==, !=, gt, lt`)
    return op
  }

  /** Reads `(a,b,...)`; empty members are the empty string, `()` is {""}. */
  private parseValues(): Set<string> {
    const open = this.consume(Ctx.Values)
    if (open.tok !== Tok.OpenPar) throw new Error(`found '${open.lit}' expected: '('`)
    const { tok, lit } = this.lookahead(Ctx.Values)
    if (tok === Tok.ClosedPar) {
      this.consume(Ctx.Values)
      return new Set([''])
    }
    if (tok !== Tok.Identifier && tok !== Tok.Comma) throw new Error(`found '${lit}', expected: ',', ')' or identifier`)
    const s = this.parseIdentifiersList()
    // NOTE: upstream reports the token seen before the list here, not the offending one.
    if (this.consume(Ctx.Values).tok !== Tok.ClosedPar) throw new Error(`found '${lit}', expected: ')'`)
    return s
  }

  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>()
    for (;;) {
      const { tok, lit } = this.consume(Ctx.Values)
      if (tok === Tok.Identifier) {
        s.add(lit)
        const next = this.lookahead(Ctx.Values)
        if (next.tok === Tok.Comma) continue
        if (next.tok === Tok.ClosedPar) return s
        throw new Error(`found '${next.lit}', expected: ',' or ')'`)
      }
      if (tok !== Tok.Comma) throw new Error(`found '${lit}', expected: ',', or identifier`)
      if (s.size === 0) s.add('') // "(,"
      const next = this.lookahead(Ctx.Values).tok
      if (next === Tok.ClosedPar) {
        s.add('') // ",)"
        return s
      }
      if (next === Tok.Comma) s.add('') // ",,"
    }
  }

  private parseExactValue(): Set<string> {
    const t = this.lookahead(Ctx.Values).tok
    if (t === Tok.EndOfString || t === Tok.Comma) return new Set([''])
    const { tok, lit } = this.consume(Ctx.Values)
    if (tok === Tok.Identifier) return new Set([lit])
    throw new Error(`found '${lit}', expected: identifier`)
  }
}

/**
 * labels.Parse: the selector string syntax (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`,
 * `a`, `!a`, `a>1`, `a<1`, comma = AND). The empty string selects everything. Throws Error with
 * upstream's message on bad syntax, e.g. `unable to parse requirement: <nil>: Invalid value: ...`.
 */
export function parseSelector(s: string): Selector {
  return selectorOf(new Parser(lex(s)).parse())
}
