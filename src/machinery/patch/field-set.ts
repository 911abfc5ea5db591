/**
 * Field sets as structured-merge-diff defines them: a tree of path elements where a node is a
 * "member" when that exact path is in the set. Path elements are kept in their fieldsV1
 * spelling (`f:name`, `k:{"name":"nginx"}`, `v:"x"`, `i:0`), so sets round-trip to
 * `metadata.managedFields[].fieldsV1` unchanged. Pure: every operation returns a new set.
 */
import { PatchError } from './errors.js'
import { isObject, type JsonObject } from './json.js'

/** A set of field paths: this node is in the set when `member`; `children` hold deeper paths. */
export interface FieldSet {
  member: boolean
  children: Map<string, FieldSet>
}

/** One path: a list of path elements in fieldsV1 spelling. */
export type FieldPath = readonly string[]

/** A new empty set. */
export function emptyFieldSet(): FieldSet {
  return { member: false, children: new Map() }
}

/** Adds `path` to `set` in place (builders only; the exported operations never mutate). */
export function insertPath(set: FieldSet, path: FieldPath): void {
  let node = set
  for (const pe of path) {
    let next = node.children.get(pe)
    if (!next) node.children.set(pe, (next = emptyFieldSet()))
    node = next
  }
  node.member = true
}

/** True when `path` itself is a member of `set`. */
export function hasPath(set: FieldSet, path: FieldPath): boolean {
  let node: FieldSet | undefined = set
  for (const pe of path) node = node?.children.get(pe)
  return node?.member === true
}

/** True when the set has no member anywhere. */
export function isEmptyFieldSet(set: FieldSet): boolean {
  if (set.member) return false
  for (const child of set.children.values()) if (!isEmptyFieldSet(child)) return false
  return true
}

/** Drops children with no members below them. */
function prune(set: FieldSet): FieldSet {
  const children = new Map<string, FieldSet>()
  for (const [pe, child] of set.children) {
    const c = prune(child)
    if (c.member || c.children.size) children.set(pe, c)
  }
  return { member: set.member, children }
}

function combine(a: FieldSet, b: FieldSet, member: (x: boolean, y: boolean) => boolean, keepOnlyA: boolean): FieldSet {
  const out: FieldSet = { member: member(a.member, b.member), children: new Map() }
  const keys = new Set([...a.children.keys(), ...(keepOnlyA ? [] : b.children.keys())])
  for (const pe of keys) {
    out.children.set(
      pe,
      combine(a.children.get(pe) ?? emptyFieldSet(), b.children.get(pe) ?? emptyFieldSet(), member, keepOnlyA),
    )
  }
  return out
}

/** Paths in either set. */
export function unionFieldSets(...sets: FieldSet[]): FieldSet {
  return prune(sets.reduce((acc, s) => combine(acc, s, (x, y) => x || y, false), emptyFieldSet()))
}

/** Paths in `a` that are not members of `b` (path by path, not subtree by subtree). */
export function differenceFieldSets(a: FieldSet, b: FieldSet): FieldSet {
  return prune(combine(a, b, (x, y) => x && !y, true))
}

/** Paths in both sets. */
export function intersectFieldSets(a: FieldSet, b: FieldSet): FieldSet {
  return prune(combine(a, b, (x, y) => x && y, true))
}

/** Paths in `a` that are neither members of `b` nor below one (removes whole subtrees). */
export function recursiveDifferenceFieldSets(a: FieldSet, b: FieldSet): FieldSet {
  const walk = (x: FieldSet, y: FieldSet | undefined): FieldSet => {
    if (!y) return x
    const out: FieldSet = { member: x.member && !y.member, children: new Map() }
    for (const [pe, child] of x.children) {
      const other = y.children.get(pe)
      if (other?.member) continue
      out.children.set(pe, walk(child, other))
    }
    return out
  }
  return prune(walk(a, b))
}

const rank: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 }

/** Orders path elements as upstream does: fields, then keys, then values, then indexes. */
export function comparePathElements(a: string, b: string): number {
  const ra = rank[a[0]!] ?? 4
  const rb = rank[b[0]!] ?? 4
  if (ra !== rb) return ra - rb
  if (a[0] === 'i') return Number(a.slice(2)) - Number(b.slice(2))
  return a < b ? -1 : a > b ? 1 : 0
}

function sortedEntries(set: FieldSet): [string, FieldSet][] {
  return [...set.children.entries()].sort(([a], [b]) => comparePathElements(a, b))
}

/** Every member path, in upstream's iteration order (a node's members, then its children). */
export function fieldPaths(set: FieldSet): FieldPath[] {
  const out: FieldPath[] = []
  const walk = (node: FieldSet, prefix: string[]) => {
    const entries = sortedEntries(node)
    for (const [pe, child] of entries) if (child.member) out.push([...prefix, pe])
    for (const [pe, child] of entries) if (child.children.size) walk(child, [...prefix, pe])
  }
  walk(set, [])
  return out
}

/** Serializes a set as fieldsV1 JSON: `{}` for a leaf, `".": {}` for a member with children. */
export function toFieldsV1(set: FieldSet): JsonObject {
  const out: JsonObject = {}
  for (const [pe, child] of sortedEntries(set)) {
    if (!child.member && !child.children.size) continue
    const body = toFieldsV1(child)
    out[pe] = child.member && child.children.size ? { '.': {}, ...body } : body
  }
  return out
}

/** Parses fieldsV1 JSON into a set; throws Invalid on anything that is not a fieldsV1 tree. */
export function fromFieldsV1(json: unknown): FieldSet {
  if (!isObject(json)) throw new PatchError('Invalid', 'fieldsV1: expected an object')
  const node = emptyFieldSet()
  for (const [key, value] of Object.entries(json)) {
    if (!isObject(value)) throw new PatchError('Invalid', `fieldsV1: ${key}: expected an object`)
    if (key === '.') {
      node.member = true
      continue
    }
    if (!/^[fkvi]:/.test(key)) throw new PatchError('Invalid', `fieldsV1: unknown path element ${JSON.stringify(key)}`)
    const child = fromFieldsV1(value)
    // A leaf (`{}`) is a member; a node with children is a member only when it has ".".
    if (!child.children.size) child.member = true
    node.children.set(key, child)
  }
  return node
}

/** Renders one path element as upstream prints paths: `.name`, `[name="x"]`, `[="v"]`, `[0]`. */
export function formatPathElement(pe: string): string {
  const body = pe.slice(2)
  switch (pe[0]) {
    case 'f':
      return `.${body}`
    case 'k': {
      const keys = JSON.parse(body) as JsonObject
      return `[${Object.entries(keys)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`
    }
    case 'v':
      return `[=${body}]`
    default:
      return `[${body}]`
  }
}

/** Renders a path as upstream does, e.g. `.spec.template.spec.containers[name="nginx"].image`. */
export function formatFieldPath(path: FieldPath): string {
  return path.map(formatPathElement).join('')
}

/** Builds a set from paths written as element arrays (tests and fixed sets). */
export function fieldSetFromPaths(paths: readonly FieldPath[]): FieldSet {
  const set = emptyFieldSet()
  for (const p of paths) insertPath(set, p)
  return set
}
