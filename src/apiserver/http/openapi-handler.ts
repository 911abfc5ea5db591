/**
 * Serves /openapi/v3: the root (one hashed URL per group-version) and the per group-version
 * documents, built once and cached; hashed URLs are immutable. /openapi/v2 is an empty document
 * (no definitions): kubectl validates the items of a `kind: List` file from v2 only, and with no
 * model for a kind it leaves that item to the server's fieldValidation (see
 * src/apiserver/openapi/README.md).
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
    if (path === '/openapi/v2') {
      res.writeHead(200, { 'Content-Type': openApiV2ProtoType, 'Cache-Control': 'no-cache, private' })
      return void res.end(emptyOpenApiV2)
    }
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

/**
 * The type kube-openapi answers /openapi/v2 with. kubectl asks for `…spec.v2@v1.0+protobuf`, but
 * Go's mime parser rejects that `@` in a reply ("mime: unexpected content after media subtype").
 */
const openApiV2ProtoType = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'

/** A length-delimited protobuf field (wire type 2) holding bytes shorter than 128. */
const field = (num: number, bytes: Buffer) => Buffer.concat([Buffer.from([(num << 3) | 2, bytes.length]), bytes])

/** openapi_v2.Document{swagger: "2.0", info: {title: "petset", version: "v1.32.0"}}: no definitions. */
export const emptyOpenApiV2 = Buffer.concat([
  field(1, Buffer.from('2.0')),
  field(2, Buffer.concat([field(1, Buffer.from('petset')), field(2, Buffer.from('v1.32.0'))])),
])
