/**
 * Parses a request path into what it addresses (kube-apiserver's RequestInfo): the API
 * group and version, namespace, resource, name and subresource, or a non-resource path. Pure.
 */

export interface ResourceRequest {
  type: 'resource'
  group: string
  version: string
  namespace?: string
  resource: string
  name?: string
  subresource?: string
  /** Whatever follows the subresource (proxy paths). */
  rest?: string
}

export interface GroupRequest {
  type: 'group'
  /** '' for /api, a group name for /apis/<group>. */
  group?: string
  version?: string
  legacy: boolean
}

export type RequestInfo = ResourceRequest | GroupRequest | { type: 'other'; path: string }

/** Splits a URL path (no query) into a RequestInfo. */
export function parseRequestPath(path: string): RequestInfo {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
  let group: string
  let version: string | undefined
  let rest: string[]
  if (parts[0] === 'api') {
    group = ''
    version = parts[1]
    rest = parts.slice(2)
    if (!version) return { type: 'group', legacy: true }
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { type: 'group', legacy: false }
    group = parts[1]!
    version = parts[2]
    rest = parts.slice(3)
    if (!version) return { type: 'group', group, legacy: false }
  } else return { type: 'other', path }
  if (!rest.length) return { type: 'group', group, version, legacy: group === '' }
  let namespace: string | undefined
  // /namespaces/<ns>/<resource>... addresses namespaced resources; /namespaces/<ns> (and its
  // /status, /finalize) addresses the Namespace object itself.
  if (rest[0] === 'namespaces' && rest.length >= 3 && rest[2] !== 'status' && rest[2] !== 'finalize') {
    namespace = rest[1]
    rest = rest.slice(2)
  }
  const [resource, name, subresource, ...tail] = rest
  const info: ResourceRequest = { type: 'resource', group, version, resource: resource! }
  if (namespace !== undefined) info.namespace = namespace
  if (name !== undefined) info.name = name
  if (subresource !== undefined) info.subresource = subresource
  if (tail.length) info.rest = tail.join('/')
  return info
}

/** Query booleans as kube-apiserver parses them (true, True, 1, ...). */
export function queryBool(v: string | null): boolean {
  return v !== null && ['true', 'True', 'TRUE', '1', 't', 'T'].includes(v)
}

/** A non-negative integer query parameter, or undefined. */
export function queryInt(v: string | null): number | undefined {
  if (v === null || v === '') return undefined
  const n = Number(v)
  return Number.isFinite(n) ? Math.trunc(n) : undefined
}
