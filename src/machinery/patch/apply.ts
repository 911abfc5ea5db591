/**
 * Server-side apply (application/apply-patch+yaml): merges an applied configuration into the
 * live object, prunes what the manager applied before but no longer applies (unless someone
 * else owns it), detects conflicts with other managers and records the manager's Apply entry
 * in metadata.managedFields. Follows structured-merge-diff's Updater.Apply at a practical level
 * (see README for the simplifications). Pure: YAML decoding and storage are the server's job.
 */
import type { StatusCause } from '../../api/meta.js'
import type { SchemaNode } from '../schema/types.js'
import { mergeApplied } from './apply-merge.js'
import { PatchError } from './errors.js'
import {
  differenceFieldSets,
  type FieldSet,
  fieldPaths,
  formatFieldPath,
  intersectFieldSets,
  isEmptyFieldSet,
  unionFieldSets,
} from './field-set.js'
import { deepEqual, isObject, type JsonObject } from './json.js'
import {
  decodeManagedFields,
  describeManager,
  filterComparison,
  isSameManager,
  type ManagerEntry,
  managedFieldsOf,
  ownableFields,
  withManagedFields,
  withoutManagedFields,
} from './managed-fields.js'
import { compareFields, ensureNamedFieldsAreMembers, fieldSetOf, removeFields } from './typed.js'

/** Options for applyPatch: who applies, whether to take ownership by force, and the write's context. */
export interface ApplyOptions {
  manager: string
  force: boolean
  schema?: SchemaNode
  /** The apiVersion of the request (recorded in the manager's entry). */
  apiVersion: string
  /** RFC 3339 time recorded in the entry when the object changes. */
  now: string
  subresource?: string
}

/** The manager upstream invents to own what an object held before its first apply. */
export const BEFORE_FIRST_APPLY = 'before-first-apply'

/**
 * Applies `applied` for `opts.manager` to `live` (undefined: the object is being created) and
 * returns the new object with updated managedFields. Throws PatchError Conflict (409) when another
 * manager owns a field whose value would change and `force` is false.
 * @example applyPatch(live, { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web' }, spec: { replicas: 3 } }, { manager: 'kubectl', force: false, apiVersion: 'apps/v1', now })
 */
export function applyPatch(live: object | undefined, applied: object, opts: ApplyOptions): JsonObject {
  if (!isObject(applied)) throw new PatchError('BadRequest', 'apply patch must be an object')
  const requested = managedFieldsOf(applied)
  if (requested !== undefined && requested !== null && !(Array.isArray(requested) && requested.length === 0))
    throw new PatchError('BadRequest', 'metadata.managedFields must be nil')
  const { schema, subresource } = opts
  const base = withoutManagedFields(live ?? {})
  const config = withoutManagedFields(applied)
  let entries = live ? decodeManagedFields(managedFieldsOf(live)) : []
  if (live && !entries.length) entries = [ownerOfExisting(base, opts)]

  const self = { manager: opts.manager, operation: 'Apply' as const, apiVersion: opts.apiVersion, subresource }
  const previous = entries.find(e => isSameManager(e, self))
  const mine: ManagerEntry = { ...self, fields: ownableFields(fieldSetOf(config, schema), subresource) }
  if (previous?.time) mine.time = previous.time
  const others = entries.filter(e => e !== previous).map(e => ({ ...e }))

  const merged = mergeApplied(base, config, schema)
  const result = previous ? prune(merged, [...others, mine], previous.fields, schema) : merged

  const cmp = filterComparison(compareFields(base, result, schema), subresource)
  const changed = unionFieldSets(cmp.added, cmp.modified)
  const conflicts = others
    .map(entry => ({ entry, fields: intersectFieldSets(entry.fields, changed) }))
    .filter(c => !isEmptyFieldSet(c.fields))
  if (conflicts.length && !opts.force) throw conflictError(conflicts)
  for (const o of others) o.fields = differenceFieldSets(differenceFieldSets(o.fields, changed), cmp.removed)
  if (!previous || !deepEqual(base, result)) mine.time = opts.now
  return withManagedFields(result as JsonObject, [...others, mine])
}

/** An Update entry owning everything `obj` sets, for objects that predate managed fields. */
function ownerOfExisting(obj: JsonObject, opts: ApplyOptions): ManagerEntry {
  const fields = ownableFields(fieldSetOf(obj, opts.schema), opts.subresource)
  return { manager: BEFORE_FIRST_APPLY, operation: 'Update', apiVersion: opts.apiVersion, time: opts.now, fields }
}

/**
 * Removes fields the applier owned last time and no longer applies, unless another manager (or
 * the new configuration) owns them: structured-merge-diff's prune, addBackOwnedItems and
 * addBackDanglingItems in one place.
 */
function prune(merged: unknown, managers: readonly ManagerEntry[], last: FieldSet, schema?: SchemaNode): unknown {
  if (isEmptyFieldSet(last)) return merged
  const named = (s: FieldSet) => ensureNamedFieldsAreMembers(s, schema)
  const owned = named(unionFieldSets(...managers.map(m => m.fields)))
  const lastNamed = named(last)
  const mergedSet = named(fieldSetOf(merged, schema))
  // Pass 1: drop what only the applier owned before.
  const pruned = removeFields(merged, differenceFieldSets(lastNamed, owned), schema)
  // Pass 2: put back anything someone still owns that went with a removed parent.
  const lost = differenceFieldSets(differenceFieldSets(mergedSet, named(fieldSetOf(pruned, schema))), owned)
  const kept = removeFields(merged, lost, schema)
  // Pass 3: only what the applier itself owned before may disappear.
  const dangling = intersectFieldSets(differenceFieldSets(mergedSet, named(fieldSetOf(kept, schema))), lastNamed)
  return removeFields(merged, dangling, schema)
}

/** The 409 upstream returns for apply conflicts, one cause per field. */
function conflictError(conflicts: { entry: ManagerEntry; fields: FieldSet }[]): PatchError {
  const byManager = conflicts
    .map(c => ({ who: describeManager(c.entry), paths: fieldPaths(c.fields).map(formatFieldPath) }))
    .sort((a, b) => (a.who < b.who ? -1 : a.who > b.who ? 1 : 0))
  const causes: StatusCause[] = byManager.flatMap(m =>
    m.paths.map(field => ({ reason: 'FieldManagerConflict', message: `conflict with ${m.who}`, field })),
  )
  const message =
    causes.length === 1
      ? `Apply failed with 1 conflict: conflict with ${byManager[0]!.who}: ${causes[0]!.field}`
      : `Apply failed with ${causes.length} conflicts: ${byManager
          .map(m => [`conflicts with ${m.who}:`, ...m.paths.map(p => `- ${p}`)].join('\n'))
          .join('\n')}`
  return new PatchError('Conflict', message, { causes })
}
