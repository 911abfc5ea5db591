/**
 * Discovery: which resources the server actually serves (GET /api, /api/v1, /apis, /apis/<g>/<v>),
 * at each group's preferred version. The garbage collector and the namespace controller use it
 * so they cover every resource, including ones this code base does not know by name.
 */

import type { ResourceRef } from './resources.js'
import type { RestClient } from './rest-client.js'

/** A served resource and its verbs. */
export interface DiscoveredResource extends ResourceRef {
  verbs: string[]
}

/** What discovery found, plus the group versions it could not read (partial results are normal). */
export interface DiscoveryResult {
  resources: DiscoveredResource[]
  failedGroupVersions: { groupVersion: string; error: unknown }[]
}

interface APIResource {
  name: string
  namespaced: boolean
  kind: string
  verbs?: string[]
}

interface APIGroup {
  name: string
  preferredVersion?: { groupVersion: string; version: string }
  versions: { groupVersion: string; version: string }[]
}

/** Lists the resources of every group at its preferred version; subresources are left out. */
export async function discoverResources(
  client: RestClient,
  opts: { signal?: AbortSignal } = {},
): Promise<DiscoveryResult> {
  const result: DiscoveryResult = { resources: [], failedGroupVersions: [] }
  const targets: { group: string; version: string; path: string }[] = []
  const core = await client.request<{ versions?: string[] }>({ method: 'GET', path: '/api', signal: opts.signal })
  for (const v of core.body.versions ?? []) targets.push({ group: '', version: v, path: `/api/${v}` })
  const groups = await client.request<{ groups?: APIGroup[] }>({ method: 'GET', path: '/apis', signal: opts.signal })
  for (const g of groups.body.groups ?? []) {
    const preferred = g.preferredVersion ?? g.versions[0]
    if (preferred) targets.push({ group: g.name, version: preferred.version, path: `/apis/${preferred.groupVersion}` })
  }
  await Promise.all(
    targets.map(async t => {
      try {
        const list = await client.request<{ resources?: APIResource[] }>({
          method: 'GET',
          path: t.path,
          signal: opts.signal,
        })
        for (const r of list.body.resources ?? []) {
          if (r.name.includes('/')) continue
          result.resources.push({
            group: t.group,
            version: t.version,
            resource: r.name,
            namespaced: r.namespaced,
            kind: r.kind,
            verbs: r.verbs ?? [],
          })
        }
      } catch (error) {
        result.failedGroupVersions.push({ groupVersion: t.path.replace(/^\/apis?\//, ''), error })
      }
    }),
  )
  return result
}

/** Whether a discovered resource supports all of the given verbs. */
export function supports(r: DiscoveredResource, ...verbs: string[]): boolean {
  return verbs.every(v => r.verbs.includes(v))
}
