/**
 * Discovery endpoints: /api, /apis (aggregated when the client asks for it, legacy otherwise),
 * /api/v1 and /apis/<group>[/<version>].
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { notFound } from '../../machinery/status-error.js'
import type { ResourceStrategy } from '../registry/resource.js'
import {
  aggregatedDiscovery,
  legacyApiVersions,
  legacyGroup,
  legacyGroupList,
  legacyResourceList,
} from './discovery.js'
import type { GroupRequest } from './request-info.js'
import { sendJson } from './respond.js'

/** Which aggregated discovery version the Accept header asks for, if any. */
function aggregatedVersion(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const entry of (accept ?? '').split(',')) {
    if (!entry.includes('g=apidiscovery.k8s.io') || !entry.includes('as=APIGroupDiscoveryList')) continue
    if (/v=v2beta1/.test(entry)) return 'v2beta1'
    if (/v=v2(;|$|\s)/.test(entry)) return 'v2'
  }
  return undefined
}

/** Serves one discovery request. */
export function serveGroupRequest(
  req: IncomingMessage,
  res: ServerResponse,
  info: GroupRequest,
  strategies: ResourceStrategy[],
  host: string,
): void {
  if (info.version !== undefined) {
    const list = legacyResourceList(strategies, info.group ?? '', info.version)
    if (!list) throw notFound({ group: '', resource: '' }, '')
    sendJson(res, 200, list)
    return
  }
  if (info.group) {
    const group = legacyGroup(strategies, info.group)
    if (!group) throw notFound({ group: '', resource: '' }, '')
    sendJson(res, 200, group)
    return
  }
  const aggregated = aggregatedVersion(req.headers.accept)
  if (aggregated) {
    sendJson(res, 200, aggregatedDiscovery(strategies, info.legacy, aggregated), {
      contentType: `application/json;g=apidiscovery.k8s.io;v=${aggregated};as=APIGroupDiscoveryList`,
      headers: { Vary: 'Accept' },
    })
    return
  }
  sendJson(res, 200, info.legacy ? legacyApiVersions(host) : legacyGroupList(strategies), {
    headers: { Vary: 'Accept' },
  })
}
