/**
 * Serves /openapi/v3: the root (one hashed URL per group-version) and the per group-version
 * documents, built once and cached; hashed URLs are immutable. /openapi/v2 is not served
 * (kubectl 1.20 needs --validate=false; see src/apiserver/openapi/README.md).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { notFound } from '../../machinery/status-error.js'
import { buildOpenApiV3Root, openApiV3Built, type ServedResource, servedGroupVersions } from '../openapi/index.js'
import type { ResourceStrategy } from '../registry/resource.js'

export class OpenApiService {
  private readonly resources: ServedResource[]
  private root?: string

  constructor(strategies: ResourceStrategy[]) {
    this.resources = strategies.map(s => ({
      group: s.group,
      version: s.version,
      kind: s.kind,
      resource: s.resource,
      namespaced: s.namespaced,
      subresources: [
        ...(s.statusSubresource ? ['status'] : []),
        ...(s.scale ? ['scale'] : []),
        ...(s.resource === 'pods' ? ['binding', 'eviction', 'log'] : []),
      ],
      verbs: s.verbs,
    }))
  }

  /** Answers one /openapi request. */
  serve(_req: IncomingMessage, res: ServerResponse, path: string, url: URL): void {
    if (path === '/openapi/v3' || path === '/openapi/v3/') {
      this.root ??= JSON.stringify(buildOpenApiV3Root(this.resources))
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' })
      return void res.end(this.root)
    }
    const rel = path.startsWith('/openapi/v3/') ? path.slice('/openapi/v3/'.length) : ''
    const gv = rel.startsWith('api/') ? rel.slice(4) : rel.startsWith('apis/') ? rel.slice(5) : undefined
    if (!gv || !servedGroupVersions(this.resources).some(x => (x.group ? `${x.group}/${x.version}` : x.version) === gv))
      throw notFound({ group: '', resource: '' }, '')
    const built = openApiV3Built(gv, this.resources)
    const hashed = url.searchParams.get('hash') === built.hash
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': hashed ? 'public, immutable' : 'no-cache, private',
      Etag: `"${built.hash}"`,
    })
    res.end(built.text)
  }
}
