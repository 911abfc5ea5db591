/**
 * RFC 6902 JSON patch (application/json-patch+json) over plain JSON values, with RFC 6901
 * pointers (`~0` `~1` escapes, `-` for the end of an array). Error texts follow the
 * evanphx/json-patch v4 library kube-apiserver uses, because kubectl prints them.
 * Pure: never mutates the document or the patch; returns a new document.
 */
import { PatchError } from './errors.js'
import { cloneJson, deepEqual, isObject } from './json.js'

/** One RFC 6902 operation as it arrives on the wire. */
export interface JsonPatchOperation {
  op: string
  path: string
  from?: string
  value?: unknown
}

/** Escapes one reference token for a JSON pointer (`~` → `~0`, `/` → `~1`). */
export function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1')
}

/** Decodes one reference token (`~1` → `/` first, then `~0` → `~`, as RFC 6901 orders it). */
export function unescapePointerToken(token: string): string {
  return token.replaceAll('~1', '/').replaceAll('~0', '~')
}

/** Splits a JSON pointer into decoded tokens; "" is the whole document. Undefined if malformed. */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) return undefined
  return pointer.slice(1).split('/').map(unescapePointerToken)
}

/** Builds a JSON pointer from raw tokens. */
export function formatPointer(tokens: readonly string[]): string {
  return tokens.map(t => `/${escapePointerToken(t)}`).join('')
}

/** Checks the wire shape of a JSON patch body; throws 400 BadRequest as upstream's decoder does. */
export function parseJsonPatch(body: unknown): JsonPatchOperation[] {
  if (!Array.isArray(body)) {
    const what = isObject(body) ? 'object' : body === null ? 'null' : typeof body
    throw new PatchError('BadRequest', `json: cannot unmarshal ${what} into Go value of type jsonpatch.Patch`)
  }
  return body.map(op => {
    if (!isObject(op))
      throw new PatchError('BadRequest', 'json: cannot unmarshal into Go value of type jsonpatch.Operation')
    return op as unknown as JsonPatchOperation
  })
}

/** Applies an RFC 6902 patch to `doc` and returns the patched copy. Failures are 422 (UnprocessableEntity). */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  const ops = parseJsonPatch(patch)
  const box = { doc: cloneJson(doc) }
  for (const op of ops) applyOperation(box, op)
  return box.doc
}

const fail = (message: string) => new PatchError('UnprocessableEntity', message)
const missing = (what: string) => fail(`${what}: missing value`)
const badIndex = (token: string) => `Unable to access invalid index: ${token}: invalid index referenced`

type Box = { doc: unknown }

function applyOperation(box: Box, op: JsonPatchOperation): void {
  const kind = typeof op.op === 'string' ? op.op : 'unknown'
  if (!['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(kind)) throw fail(`Unexpected kind: ${kind}`)
  if (typeof op.path !== 'string') throw missing(`${kind} operation failed to decode path`)
  const path = op.path
  if ((kind === 'add' || kind === 'replace' || kind === 'test') && !Object.hasOwn(op, 'value'))
    throw missing(`${kind} operation, missing value field`)
  if (kind === 'add')
    add(box, path, cloneJson(op.value), `add operation does not apply: doc is missing path: "${path}"`)
  else if (kind === 'remove') remove(box, path, 'remove')
  else if (kind === 'replace') replace(box, path, cloneJson(op.value))
  else if (kind === 'test') test(box, path, op.value)
  else moveOrCopy(box, kind as 'move' | 'copy', op)
}

/** The container holding the pointer's last token, or undefined when any step is missing. */
function locate(doc: unknown, path: string): { parent: unknown; key: string } | 'root' | undefined {
  const tokens = parsePointer(path)
  if (!tokens) return undefined
  if (tokens.length === 0) return 'root'
  let cur = doc
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const i = arrayIndex(t, cur.length - 1)
      if (i === undefined) return undefined
      cur = cur[i]
    } else if (isObject(cur) && Object.hasOwn(cur, t)) {
      cur = cur[t]
    } else return undefined
  }
  if (!Array.isArray(cur) && !isObject(cur)) return undefined
  return { parent: cur, key: tokens[tokens.length - 1]! }
}

/** A canonical array index (no sign, no leading zeros) no larger than `max`, else undefined. */
function arrayIndex(token: string, max: number): number | undefined {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined
  const i = Number(token)
  return i <= max ? i : undefined
}

function add(box: Box, path: string, value: unknown, missingText: string): void {
  const at = locate(box.doc, path)
  if (at === 'root') {
    box.doc = value
    return
  }
  if (!at) throw missing(missingText)
  const { parent, key } = at
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : arrayIndex(key, parent.length)
    if (i === undefined) throw fail(`error in add for path: '${path}': ${badIndex(key)}`)
    parent.splice(i, 0, value)
  } else (parent as Record<string, unknown>)[key] = value
}

/** Removes the value at `path` and returns it. */
function remove(box: Box, path: string, kind: 'remove' | 'move'): unknown {
  const at = locate(box.doc, path)
  if (at === 'root' || !at) {
    if (kind === 'move') throw missing(`move operation does not apply: doc is missing from path: ${path}`)
    throw missing(`remove operation does not apply: doc is missing path: "${path}"`)
  }
  const { parent, key } = at
  if (Array.isArray(parent)) {
    const i = arrayIndex(key, parent.length - 1)
    if (i === undefined) throw fail(`error in ${kind} for path: '${path}': ${badIndex(key)}`)
    return parent.splice(i, 1)[0]
  }
  const obj = parent as Record<string, unknown>
  if (!Object.hasOwn(obj, key))
    throw missing(`error in ${kind} for path: '${path}': Unable to remove nonexistent key: ${key}`)
  const v = obj[key]
  delete obj[key]
  return v
}

/** Reads the value at `path`; undefined when absent. */
function read(doc: unknown, path: string): { found: boolean; value?: unknown } {
  const at = locate(doc, path)
  if (at === 'root') return { found: true, value: doc }
  if (!at) return { found: false }
  const { parent, key } = at
  if (Array.isArray(parent)) {
    const i = arrayIndex(key, parent.length - 1)
    return i === undefined ? { found: false } : { found: true, value: parent[i] }
  }
  const obj = parent as Record<string, unknown>
  return Object.hasOwn(obj, key) ? { found: true, value: obj[key] } : { found: false }
}

function replace(box: Box, path: string, value: unknown): void {
  const at = locate(box.doc, path)
  if (at === 'root') {
    box.doc = value
    return
  }
  if (!at) throw missing(`replace operation does not apply: doc is missing path: ${path}`)
  if (!read(box.doc, path).found) throw missing(`replace operation does not apply: doc is missing key: ${path}`)
  const { parent, key } = at
  if (Array.isArray(parent)) parent[Number(key)] = value
  else (parent as Record<string, unknown>)[key] = value
}

function test(box: Box, path: string, expected: unknown): void {
  if (locate(box.doc, path) === undefined) throw missing(`test operation does not apply: is missing path: ${path}`)
  const got = read(box.doc, path)
  if (!got.found || !deepEqual(got.value, expected)) throw fail(`testing value ${path} failed: test failed`)
}

function moveOrCopy(box: Box, kind: 'move' | 'copy', op: JsonPatchOperation): void {
  if (typeof op.from !== 'string') throw missing(`${kind} operation failed to decode from`)
  const { from, path } = op as { from: string; path: string }
  if (kind === 'move') {
    if (from === path) return
    if (path.startsWith(`${from}/`))
      throw fail(`move operation does not apply: cannot move "${from}" into its own child "${path}"`)
    const value = remove(box, from, 'move')
    add(box, path, value, `move operation does not apply: doc is missing destination path: ${path}`)
    return
  }
  const src = read(box.doc, from)
  if (!src.found) throw missing(`copy operation does not apply: doc is missing from path: ${from}`)
  add(box, path, cloneJson(src.value), `copy operation does not apply: doc is missing destination path: ${path}`)
}
