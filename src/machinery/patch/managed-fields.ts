/**
 * metadata.managedFields: decoding entries into field sets, encoding them back in upstream's
 * order, the fields no manager ever owns (identity, server-set metadata, the other half of a
 * status subresource), and ownership tracking for ordinary writes (operation Update).
 * Pure: takes the time as an argument; never mutates the objects it is given.
 */
import type { ManagedFieldsEntry } from '../../api/meta.js'
import type { SchemaNode } from '../schema/types.js'
import {
  differenceFieldSets,
  type FieldSet,
  fieldSetFromPaths,
  fromFieldsV1,
  isEmptyFieldSet,
  recursiveDifferenceFieldSets,
  toFieldsV1,
  unionFieldSets,
} from './field-set.js'
import { cloneJson, isObject, type JsonObject } from './json.js'
import { compareFields, type FieldComparison } from './typed.js'

/** One manager's ownership, decoded from a ManagedFieldsEntry. */
export interface ManagerEntry {
  manager: string
  operation: 'Apply' | 'Update'
  apiVersion: string
  time?: string
  subresource?: string
  fields: FieldSet
}

/** Upstream keeps at most this many Update entries; older ones merge into `ancient-changes`. */
export const MAX_UPDATE_MANAGERS = 10
const ANCIENT_CHANGES = 'ancient-changes'

/** True when two entries belong to the same manager (Update entries are per apiVersion too). */
export function isSameManager(a: Omit<ManagerEntry, 'fields'>, b: Omit<ManagerEntry, 'fields'>): boolean {
  return (
    a.manager === b.manager &&
    a.operation === b.operation &&
    (a.subresource ?? '') === (b.subresource ?? '') &&
    (a.operation === 'Apply' || a.apiVersion === b.apiVersion)
  )
}

/** How conflict messages name a manager: `"kubectl"`, `"m" with subresource "status" using v1`. */
export function describeManager(e: Omit<ManagerEntry, 'fields'>): string {
  let s = JSON.stringify(e.manager)
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`
  return s
}

/** Decodes metadata.managedFields; upstream discards all of them when any entry is malformed. */
export function decodeManagedFields(entries: unknown): ManagerEntry[] {
  if (!Array.isArray(entries)) return []
  try {
    return entries.map(raw => {
      if (!isObject(raw) || (raw.operation !== 'Apply' && raw.operation !== 'Update')) throw new Error('bad entry')
      if (raw.fieldsType !== undefined && raw.fieldsType !== 'FieldsV1') throw new Error('bad fieldsType')
      const e: ManagerEntry = {
        manager: String(raw.manager ?? ''),
        operation: raw.operation,
        apiVersion: String(raw.apiVersion ?? ''),
        fields: fromFieldsV1(raw.fieldsV1 ?? {}),
      }
      if (typeof raw.time === 'string') e.time = raw.time
      if (typeof raw.subresource === 'string' && raw.subresource) e.subresource = raw.subresource
      return e
    })
  } catch {
    return []
  }
}

/** Encodes entries in upstream's order (Apply first, then by time, manager, version, subresource). */
export function encodeManagedFields(entries: readonly ManagerEntry[]): ManagedFieldsEntry[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  const seconds = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0)
  return entries
    .filter(e => !isEmptyFieldSet(e.fields))
    .slice()
    .sort(
      (a, b) =>
        cmp(a.operation, b.operation) ||
        seconds(a.time) - seconds(b.time) ||
        cmp(a.manager, b.manager) ||
        cmp(a.apiVersion, b.apiVersion) ||
        cmp(a.subresource ?? '', b.subresource ?? ''),
    )
    .map(e => {
      const out: ManagedFieldsEntry = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion }
      if (e.time) out.time = e.time
      out.fieldsType = 'FieldsV1'
      out.fieldsV1 = toFieldsV1(e.fields)
      if (e.subresource) out.subresource = e.subresource
      return out
    })
}

// Fields the server sets or that identify the object: never owned (upstream's stripMeta).
const strippedFields = fieldSetFromPaths([
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata'],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields']
    .concat('resourceVersion')
    .map(f => ['f:metadata', `f:${f}`]),
])

/** The subtree a write cannot own: `.status` on the main resource, `.spec` under /status. */
function resetFields(subresource: string | undefined): FieldSet {
  return fieldSetFromPaths([[subresource === 'status' ? 'f:spec' : 'f:status']])
}

/** Removes what no manager may own from a field set. */
export function ownableFields(set: FieldSet, subresource?: string): FieldSet {
  return differenceFieldSets(recursiveDifferenceFieldSets(set, resetFields(subresource)), strippedFields)
}

/** A comparison without the subtree the write's subresource cannot touch. */
export function filterComparison(c: FieldComparison, subresource?: string): FieldComparison {
  const reset = resetFields(subresource)
  return {
    added: recursiveDifferenceFieldSets(c.added, reset),
    removed: recursiveDifferenceFieldSets(c.removed, reset),
    modified: recursiveDifferenceFieldSets(c.modified, reset),
  }
}

/** The raw metadata.managedFields of an object, if any. */
export function managedFieldsOf(obj: unknown): unknown {
  return isObject(obj) && isObject(obj.metadata) ? obj.metadata.managedFields : undefined
}

/** A copy of an object without metadata.managedFields. */
export function withoutManagedFields(obj: unknown): JsonObject {
  const out = (isObject(obj) ? cloneJson(obj) : {}) as JsonObject
  if (isObject(out.metadata)) delete out.metadata.managedFields
  return out
}

/** A copy of `obj` carrying `entries` as its managedFields (omitted when none are left). */
export function withManagedFields(obj: JsonObject, entries: readonly ManagerEntry[]): JsonObject {
  const out = cloneJson(obj)
  const metadata = (isObject(out.metadata) ? out.metadata : (out.metadata = {})) as JsonObject
  const encoded = encodeManagedFields(capUpdateManagers(entries))
  if (encoded.length) metadata.managedFields = encoded
  else delete metadata.managedFields
  return out
}

/** Merges the oldest Update entries into `ancient-changes` past MAX_UPDATE_MANAGERS, as upstream. */
export function capUpdateManagers(entries: readonly ManagerEntry[]): ManagerEntry[] {
  const updates = entries.filter(e => e.operation === 'Update' && e.manager !== ANCIENT_CHANGES)
  const excess = updates.length - MAX_UPDATE_MANAGERS
  if (excess <= 0) return entries.slice()
  const oldest = updates
    .slice()
    .sort((a, b) => (a.time ?? '').localeCompare(b.time ?? '') || a.manager.localeCompare(b.manager))
    .slice(0, excess + 1)
  const out = entries.filter(e => !oldest.includes(e))
  for (const e of oldest) {
    const bucket = out.find(
      x => x.manager === ANCIENT_CHANGES && x.operation === 'Update' && x.apiVersion === e.apiVersion,
    )
    if (bucket) {
      bucket.fields = unionFieldSets(bucket.fields, e.fields)
      if (e.time) bucket.time = e.time
    } else out.push({ ...e, manager: ANCIENT_CHANGES, operation: 'Update' })
  }
  return out
}

/** `[]` or `[{}]` in a request means "reset managed fields" (upstream's isResetManagedFields). */
function isReset(mf: unknown): boolean {
  if (!Array.isArray(mf)) return false
  return mf.length === 0 || (mf.length === 1 && isObject(mf[0]) && Object.keys(mf[0]).length === 0)
}

/** Options for updateManagedFields. */
export interface UpdateOptions {
  manager: string
  operation: 'Update'
  apiVersion: string
  now: string
  subresource?: string
  schema?: SchemaNode
}

/**
 * Records an ordinary write (create, update, non-apply patch): the fields it changed (all
 * set fields on create) become `manager`'s, and leave every other manager's set. Like upstream,
 * an existing object without managedFields stays untracked until its first apply.
 */
export function updateManagedFields(old: object | undefined, updated: object, opts: UpdateOptions): JsonObject {
  const requested = managedFieldsOf(updated)
  let entries: ManagerEntry[] = []
  if (!isReset(requested)) {
    entries = decodeManagedFields(requested)
    if (!entries.length && old) entries = decodeManagedFields(managedFieldsOf(old))
  }
  const after = withoutManagedFields(updated)
  if (old && !entries.length) return after
  const cmp = filterComparison(
    compareFields(old ? withoutManagedFields(old) : {}, after, opts.schema),
    opts.subresource,
  )
  const changed = unionFieldSets(cmp.added, cmp.modified)
  const self = {
    manager: opts.manager,
    operation: opts.operation,
    apiVersion: opts.apiVersion,
    subresource: opts.subresource,
  }
  const next = entries.map(e => ({
    ...e,
    fields: differenceFieldSets(differenceFieldSets(e.fields, changed), cmp.removed),
  }))
  const taken = ownableFields(changed, opts.subresource)
  if (!isEmptyFieldSet(taken)) {
    const mine = next.find(e => isSameManager(e, self))
    if (mine) {
      mine.fields = unionFieldSets(mine.fields, taken)
      mine.time = opts.now
    } else next.push({ ...self, time: opts.now, fields: taken } as ManagerEntry)
  }
  return withManagedFields(after, next)
}

/** The manager name for a write without `fieldManager`: the user agent's product token, as upstream. */
export function defaultFieldManager(fieldManager: string | undefined, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager
  const product = [...(userAgent ?? '').split('/')[0]!].filter(ch => ch >= ' ' && ch !== '\x7f').join('')
  return product.slice(0, 128) || 'unknown'
}
