/**
 * REST paths and query strings for a ResourceRef. Pure string building, no I/O.
 */
import type { ResourceRef } from './resources.js'

/** Which object (or collection) of a resource a request addresses. */
export interface Target {
  /** Required for namespaced resources unless listing across all namespaces. */
  namespace?: string
  /** Omitted for collections. */
  name?: string
  /** "status", "scale", "finalize", ... */
  subresource?: string
}

/** "/api/v1" or "/apis/apps/v1". */
export function groupVersionPath(ref: Pick<ResourceRef, 'group' | 'version'>): string {
  return ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`
}

/**
 * The URL path of a resource, object or subresource.
 * @example resourcePath(PODS, { namespace: 'default', name: 'web-0' }) === '/api/v1/namespaces/default/pods/web-0'
 */
export function resourcePath(ref: ResourceRef, target: Target = {}): string {
  let p = groupVersionPath(ref)
  if (ref.namespaced && target.namespace) p += `/namespaces/${encodeURIComponent(target.namespace)}`
  p += `/${ref.resource}`
  if (target.name !== undefined) {
    if (!target.name) throw new Error(`empty name for ${ref.resource}`)
    p += `/${encodeURIComponent(target.name)}`
  }
  if (target.subresource) p += `/${target.subresource}`
  return p
}

/** Query values; undefined entries are skipped. */
export type Query = Record<string, string | number | boolean | undefined>

/** "?a=1&b=x" (or "" when nothing is set), keys sorted for stable logs and tests. */
export function queryString(query: Query = {}): string {
  const params = new URLSearchParams()
  for (const k of Object.keys(query).sort()) {
    const v = query[k]
    if (v !== undefined && v !== '') params.set(k, String(v))
  }
  const s = params.toString()
  return s ? `?${s}` : ''
}
