/**
 * Serves /openapi/v3 (root and per group-version documents, built once and cached with their
 * content hash, immutable when asked for by hash) for kubectl's validation, apply and explain.
 */
import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { notFound } from '../../machinery/status-error.js'
import { buildOpenApiV3Doc } from '../openapi/index.js'
import type { ResourceStrategy } from '../registry/resource.js'
import { sendJson } from './respond.js'

interface Doc {
  text: string
  hash: string
}

export class OpenApiService {
  private readonly resources
  private readonly docs = new Map<string, Doc>()
  private root?: string

  constructor(strategies: ResourceStrategy[]) {
    this.resources = strategies.map(s => ({
      group: s.group,
      version: s.version,
      kind: s.kind,
      resource: s.resource,
      namespaced: s.namespaced,
      subresources: [...(s.statusSubresource ? ['status'] : []), ...(s.scale ? ['scale'] : [])],
    }))
  }

  private gvPath(group: string, version: string) {
    return group ? `apis/${group}/${version}` : `api/${version}`
  }

  private doc(path: string): Doc | undefined {
    let d = this.docs.get(path)
    if (d) return d
    const gv = this.resources.find(r => this.gvPath(r.group, r.version) === path)
    if (!gv) return undefined
    const groupVersion = gv.group ? `${gv.group}/${gv.version}` : gv.version
    const text = JSON.stringify(buildOpenApiV3Doc(groupVersion, this.resources))
    d = { text, hash: createHash('sha512').update(text).digest('hex').slice(0, 128).toUpperCase() }
    this.docs.set(path, d)
    return d
  }

  private rootDoc(): string {
    if (!this.root) {
      const paths: Record<string, { serverRelativeURL: string }> = {}
      for (const r of this.resources) {
        const p = this.gvPath(r.group, r.version)
        if (paths[p]) continue
        paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${this.doc(p)!.hash}` }
      }
      this.root = JSON.stringify({ paths })
    }
    return this.root
  }

  /** Answers one /openapi request. */
  serve(_req: IncomingMessage, res: ServerResponse, path: string, url: URL): void {
    if (path === '/openapi/v2') throw notFound({ group: '', resource: '' }, '')
    if (path === '/openapi/v3' || path === '/openapi/v3/') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' })
      return void res.end(this.rootDoc())
    }
    const d = this.doc(path.slice('/openapi/v3/'.length))
    if (!d) throw notFound({ group: '', resource: '' }, '')
    const hashed = url.searchParams.get('hash') === d.hash
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': hashed ? 'public, immutable' : 'no-cache, private',
      Etag: `"${d.hash}"`,
    })
    res.end(d.text)
  }
}

export { sendJson }
