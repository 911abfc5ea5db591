/**
 * Strict field validation the way kube-apiserver's JSON decoder does it: unknown and duplicate
 * fields, reported as paths such as `spec.template.spec.containers[0].resources.request`
 * (struct fields and map keys joined by ".", list indices as "[i]"). Pure: no I/O.
 *
 * Upstream reports both kinds in document order, at most 100, each message once; in Strict mode the
 * request fails with `strictDecodingError(messages)`, in Warn mode each message becomes a Warning.
 */
import type { SchemaNode } from './types.js'

/** Upstream keeps at most this many strict errors per request. */
const maxErrors = 100

/** `unknown field "spec.foo"`: one strict-decoding message. */
export function unknownFieldMessage(path: string): string {
  return `unknown field "${path}"`
}

/** `duplicate field "spec.replicas"`: one strict-decoding message. */
export function duplicateFieldMessage(path: string): string {
  return `duplicate field "${path}"`
}

/** The Strict-mode error text: `strict decoding error: unknown field "a", duplicate field "b"`. */
export function strictDecodingError(messages: readonly string[]): string {
  return `strict decoding error: ${messages.join(', ')}`
}

/**
 * How kube-apiserver wraps a body it could not decode (HTTP 400 BadRequest), e.g.
 * `StatefulSet in version "v1" cannot be handled as a StatefulSet: strict decoding error: ...`.
 */
export function undecodableMessage(gvk: { kind: string; version: string }, detail: string): string {
  return `${gvk.kind} in version "${gvk.version}" cannot be handled as a ${gvk.kind}: ${detail}`
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Paths of the fields in a decoded object that its schema does not declare, in document order. */
export function findUnknownFields(obj: unknown, schema: SchemaNode): string[] {
  const out: string[] = []
  const walk = (value: unknown, node: SchemaNode, path: string): void => {
    if (out.length >= maxErrors) return
    if (node.kind === 'object' && isPlainObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        const field = node.fields?.[key]
        if (field) walk(child, field, join(path, key))
        else if (out.length < maxErrors) out.push(join(path, key))
      }
    } else if (node.kind === 'map' && isPlainObject(value) && node.elem) {
      for (const [key, child] of Object.entries(value)) walk(child, node.elem, join(path, key))
    } else if (node.kind === 'list' && Array.isArray(value) && node.elem) {
      for (const [i, item] of value.entries()) walk(item, node.elem, `${path}[${i}]`)
    }
  }
  walk(obj, schema, '')
  return out
}

/** What the raw-text scanner reports, in document order. */
interface Finding {
  kind: 'unknown' | 'duplicate'
  path: string
}

/**
 * Paths of object keys that appear twice in raw JSON text. With a schema, only objects the schema
 * types are checked (free-form `any` values such as ControllerRevision.data are not); without one,
 * every object is.
 */
export function findDuplicateFields(jsonText: string, schema?: SchemaNode): string[] {
  return scan(jsonText, schema ?? null)
    .filter(f => f.kind === 'duplicate')
    .map(f => f.path)
}

/**
 * Every strict-decoding message for a raw JSON body, unknown and duplicate fields interleaved in
 * document order, deduplicated and capped as upstream does. Empty when the body is clean.
 */
export function strictFieldErrors(jsonText: string, schema: SchemaNode): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const f of scan(jsonText, schema)) {
    const msg = f.kind === 'unknown' ? unknownFieldMessage(f.path) : duplicateFieldMessage(f.path)
    if (seen.has(msg)) continue
    seen.add(msg)
    out.push(msg)
    if (out.length >= maxErrors) break
  }
  return out
}

/** `null` schema: check duplicates everywhere. `undefined` node: skip the value without checks. */
type ScanNode = SchemaNode | null | undefined

function scan(text: string, schema: SchemaNode | null): Finding[] {
  const out: Finding[] = []
  let pos = 0
  const ws = (): void => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos]!)) pos++
  }
  const readString = (): string => {
    const start = pos
    pos++ // opening quote
    while (pos < text.length && text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1
    pos++ // closing quote
    return JSON.parse(text.slice(start, pos)) as string
  }
  const skipLiteral = (): void => {
    while (pos < text.length && !',}] \t\n\r'.includes(text[pos]!)) pos++
  }
  const value = (node: ScanNode, path: string): void => {
    ws()
    const c = text[pos]
    if (c === '{') object(node, path)
    else if (c === '[') array(node, path)
    else if (c === '"') readString()
    else if (c === undefined) throw new SyntaxError('unexpected end of JSON')
    else skipLiteral()
  }
  const object = (node: ScanNode, path: string): void => {
    pos++
    const checked = node === null || node?.kind === 'object' || node?.kind === 'map'
    const keys = new Set<string>()
    for (ws(); text[pos] !== '}'; ws()) {
      if (text[pos] === ',') {
        pos++
        ws()
      }
      if (text[pos] !== '"') throw new SyntaxError(`unexpected character at ${pos}`)
      const key = readString()
      ws()
      pos++ // colon
      const childPath = join(path, key)
      let child: ScanNode
      if (node === null) child = null
      else if (node?.kind === 'object') child = node.fields?.[key]
      else if (node?.kind === 'map') child = node.elem
      // A key that is both unknown and repeated is reported as unknown only, as upstream does.
      if (node?.kind === 'object' && !child) out.push({ kind: 'unknown', path: childPath })
      else if (checked && keys.has(key)) out.push({ kind: 'duplicate', path: childPath })
      keys.add(key)
      value(child, childPath)
    }
    pos++
  }
  const array = (node: ScanNode, path: string): void => {
    pos++
    const elem: ScanNode = node === null ? null : node?.kind === 'list' ? node.elem : undefined
    ws()
    for (let i = 0; text[pos] !== ']'; i++) {
      if (text[pos] === ',') pos++
      value(elem, `${path}[${i}]`)
      ws()
    }
    pos++
  }
  try {
    value(schema, '')
  } catch {
    // Malformed JSON is the JSON parser's error to report; keep what was found before it.
  }
  return out
}
