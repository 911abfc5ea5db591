/**
 * Label and field selector filtering for lists and watches. Field selectors see
 * metadata.name, metadata.namespace and whatever the strategy's fieldLabels adds. Pure.
 */
import type { KObject } from '../../../api/meta.js'
import type { FieldSelector } from '../../../machinery/fields.js'
import type { Selector } from '../../../machinery/labels.js'
import { badRequest } from '../../../machinery/status-error.js'
import type { ResourceStrategy } from '../resource.js'

export interface ListFilter {
  labelSelector?: Selector
  fieldSelector?: FieldSelector
}

/** The field map a field selector is matched against. */
export function objectFields(strategy: ResourceStrategy, obj: KObject): Record<string, string> {
  const fields: Record<string, string> = { 'metadata.name': obj.metadata.name ?? '' }
  if (strategy.namespaced) fields['metadata.namespace'] = obj.metadata.namespace ?? ''
  if (strategy.fieldLabels) Object.assign(fields, strategy.fieldLabels(obj))
  return fields
}

const supportedCache = new WeakMap<ResourceStrategy, Set<string>>()

/** Field labels a resource supports, probed once from an empty object. */
export function supportedFieldLabels(strategy: ResourceStrategy): Set<string> {
  let set = supportedCache.get(strategy)
  if (!set) {
    let probe: Record<string, string> = {}
    try {
      probe = objectFields(strategy, { metadata: {}, spec: {}, status: {} })
    } catch {
      probe = { 'metadata.name': '', 'metadata.namespace': '' }
    }
    set = new Set(Object.keys(probe))
    supportedCache.set(strategy, set)
  }
  return set
}

/** Rejects a field selector naming a label the resource does not support (400, as upstream). */
export function checkFieldSelector(strategy: ResourceStrategy, selector: FieldSelector | undefined): void {
  if (!selector) return
  const ok = supportedFieldLabels(strategy)
  for (const r of selector.requirements) if (!ok.has(r.field)) throw badRequest(`field label not supported: ${r.field}`)
}

/** True when obj passes both selectors. */
export function matchesFilter(strategy: ResourceStrategy, obj: KObject, filter: ListFilter): boolean {
  if (filter.labelSelector && !filter.labelSelector.isEmpty() && !filter.labelSelector.matches(obj.metadata.labels))
    return false
  if (filter.fieldSelector && !filter.fieldSelector.isEmpty())
    return filter.fieldSelector.matches(objectFields(strategy, obj))
  return true
}
