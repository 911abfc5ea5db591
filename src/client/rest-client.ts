/**
 * RestClient: a typed client for the Kubernetes HTTP API. It addresses resources by ResourceRef,
 * encodes options as upstream query parameters, and throws StatusError for every non-2xx, so the
 * machinery predicates (isNotFound, isConflict, ...) work on what it throws. It holds no cache:
 * controllers read from informers and write through this client (controller-runtime's split).
 */
import type { DeleteOptions, KList, KObject, Status, WatchEvent } from '../api/meta.js'
import { errorFromResponse, errorFromWatchStatus } from './errors.js'
import { decodeNdjson, readText } from './ndjson.js'
import { type Query, queryString, resourcePath } from './paths.js'
import type { ResourceRef } from './resources.js'
import {
  type DeleteCallOptions,
  type DeleteCollectionOptions,
  type ListOptions,
  type ObjectOptions,
  type PatchOptions,
  patchContentTypes,
  type RawRequest,
  type RawResponse,
  type RestClientOptions,
  type Scale,
  type WatchOptions,
  type WriteOptions,
} from './rest-options.js'
import { HttpTransport, type Transport } from './transport.js'

/** The option and result types, re-exported so callers import one module. */
export type {
  CallOptions,
  DeleteCallOptions,
  DeleteCollectionOptions,
  ListOptions,
  ObjectOptions,
  PatchOptions,
  PatchType,
  RawRequest,
  RawResponse,
  RestClientOptions,
  Scale,
  WatchOptions,
  WriteOptions,
} from './rest-options.js'

/** The REST client. Every method rejects with StatusError on a non-2xx answer. */
export class RestClient {
  private readonly transport: Transport
  private readonly headers: Record<string, string>

  constructor(opts: RestClientOptions) {
    this.transport = opts.transport ?? new HttpTransport(opts)
    this.headers = { 'user-agent': opts.userAgent ?? 'petset' }
    if (opts.token) this.headers.authorization = `Bearer ${opts.token}`
  }

  /** GET one object (or a subresource of it). */
  async get<T extends KObject = KObject>(ref: ResourceRef, name: string, opts: ObjectOptions = {}): Promise<T> {
    return this.call<T>('GET', resourcePath(ref, { ...opts, name }), { signal: opts.signal })
  }

  /** GET a collection (one page when limit is set: follow metadata.continue). */
  async list<T extends KObject = KObject>(ref: ResourceRef, opts: ListOptions = {}): Promise<KList<T>> {
    return this.call<KList<T>>('GET', resourcePath(ref, { namespace: opts.namespace }), {
      query: listQuery(opts),
      signal: opts.signal,
    })
  }

  /** POST a new object; the namespace defaults to obj.metadata.namespace. */
  async create<T extends KObject>(ref: ResourceRef, obj: T, opts: WriteOptions = {}): Promise<T> {
    const namespace = opts.namespace ?? obj.metadata.namespace
    const path = opts.subresource
      ? resourcePath(ref, { namespace, name: obj.metadata.name, subresource: opts.subresource })
      : resourcePath(ref, { namespace })
    return this.call<T>('POST', path, { body: obj, query: writeQuery(opts), signal: opts.signal })
  }

  /** PUT the whole object (optimistic concurrency via metadata.resourceVersion). */
  async update<T extends KObject>(ref: ResourceRef, obj: T, opts: WriteOptions = {}): Promise<T> {
    const path = resourcePath(ref, {
      namespace: opts.namespace ?? obj.metadata.namespace,
      name: obj.metadata.name,
      subresource: opts.subresource,
    })
    return this.call<T>('PUT', path, { body: obj, query: writeQuery(opts), signal: opts.signal })
  }

  /** PUT the /status subresource: only status changes are kept by the server (C9). */
  async updateStatus<T extends KObject>(ref: ResourceRef, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.update(ref, obj, { ...opts, subresource: 'status' })
  }

  /** PATCH one object with a merge, strategic-merge, JSON or apply patch. */
  async patch<T extends KObject = KObject>(ref: ResourceRef, name: string, opts: PatchOptions): Promise<T> {
    if (opts.type === 'apply' && !opts.fieldManager) throw new Error('apply patches need a fieldManager')
    const query = { ...writeQuery(opts), force: opts.type === 'apply' && opts.force ? true : undefined }
    return this.call<T>('PATCH', resourcePath(ref, { ...opts, name }), {
      body: opts.body,
      contentType: patchContentTypes[opts.type],
      query,
      signal: opts.signal,
    })
  }

  /** DELETE one object. Resolves the object (still present: finalizers, grace) or a Success Status. */
  async delete<T extends KObject = KObject>(
    ref: ResourceRef,
    name: string,
    opts: DeleteCallOptions = {},
  ): Promise<T | Status> {
    const { namespace, subresource, signal, ...rest } = opts
    return this.call<T | Status>('DELETE', resourcePath(ref, { namespace, name, subresource }), {
      body: deleteBody(rest),
      signal,
    })
  }

  /** DELETE a collection; resolves the list of objects the server deleted (or marked). */
  async deleteCollection<T extends KObject = KObject>(
    ref: ResourceRef,
    opts: DeleteCollectionOptions = {},
  ): Promise<KList<T> | Status> {
    const { namespace, signal, labelSelector, fieldSelector, limit, resourceVersion, resourceVersionMatch, ...rest } =
      opts
    return this.call<KList<T> | Status>('DELETE', resourcePath(ref, { namespace }), {
      query: listQuery({ labelSelector, fieldSelector, limit, resourceVersion, resourceVersionMatch }),
      body: deleteBody(rest),
      signal,
    })
  }

  /**
   * Streams watch events until the server ends the stream, the caller stops iterating, or the
   * signal aborts (all three end the iteration quietly). An ERROR event throws its StatusError
   * (e.g. 410 Expired: the caller must re-list).
   */
  async *watch<T extends KObject = KObject>(ref: ResourceRef, opts: WatchOptions = {}): AsyncGenerator<WatchEvent<T>> {
    const own = new AbortController()
    const signal = opts.signal ? AbortSignal.any([opts.signal, own.signal]) : own.signal
    const query: Query = {
      watch: true,
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      resourceVersion: opts.resourceVersion,
      allowWatchBookmarks: opts.allowWatchBookmarks || undefined,
      timeoutSeconds: opts.timeoutSeconds,
    }
    try {
      const res = await this.send({
        method: 'GET',
        path: resourcePath(ref, { namespace: opts.namespace }),
        query,
        signal,
        longRunning: true,
      })
      if (res.status < 200 || res.status > 299) throw errorFromResponse(res.status, await readText(res.body))
      for await (const raw of decodeNdjson(res.body)) {
        const ev = raw as WatchEvent<T>
        if (ev.type === 'ERROR') throw errorFromWatchStatus(ev.object)
        yield ev
      }
    } catch (e) {
      if (!signal.aborted) throw e
    } finally {
      own.abort()
    }
  }

  /** GET the /scale subresource. */
  async getScale(ref: ResourceRef, name: string, opts: ObjectOptions = {}): Promise<Scale> {
    return this.get<Scale>(ref, name, { ...opts, subresource: 'scale' })
  }

  /** PUT the /scale subresource. */
  async updateScale(ref: ResourceRef, scale: Scale, opts: WriteOptions = {}): Promise<Scale> {
    return this.update<Scale>(ref, scale, { ...opts, subresource: 'scale' })
  }

  /** Any request; rejects with StatusError on non-2xx. */
  async request<T = unknown>(req: RawRequest): Promise<RawResponse<T>> {
    const res = await this.send(req)
    const text = await readText(res.body)
    if (res.status < 200 || res.status > 299) throw errorFromResponse(res.status, text)
    const type = String(res.headers['content-type'] ?? '')
    const body = (type.includes('json') && text ? JSON.parse(text) : text) as T
    return { status: res.status, headers: res.headers, body }
  }

  /** Releases pooled connections. */
  close(): void {
    this.transport.close?.()
  }

  private async call<T>(method: string, path: string, req: Omit<RawRequest, 'method' | 'path'>): Promise<T> {
    return (await this.request<T>({ ...req, method, path })).body
  }

  private send(req: RawRequest) {
    const headers: Record<string, string> = { ...this.headers, accept: req.accept ?? 'application/json' }
    let body: string | undefined
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body)
      headers['content-type'] = req.contentType ?? 'application/json'
    }
    return this.transport.request({
      method: req.method,
      path: req.path + queryString(req.query),
      headers,
      body,
      signal: req.signal,
      longRunning: req.longRunning,
    })
  }
}

function listQuery(opts: Omit<ListOptions, 'namespace' | 'signal'>): Query {
  return {
    labelSelector: opts.labelSelector,
    fieldSelector: opts.fieldSelector,
    limit: opts.limit,
    continue: opts.continue,
    resourceVersion: opts.resourceVersion,
    resourceVersionMatch: opts.resourceVersionMatch,
  }
}

function writeQuery(opts: WriteOptions): Query {
  return { fieldManager: opts.fieldManager, dryRun: opts.dryRun ? 'All' : undefined }
}

function deleteBody(opts: Omit<DeleteOptions, 'kind' | 'apiVersion' | 'dryRun'> & { dryRun?: boolean }): DeleteOptions {
  const { dryRun, ...rest } = opts
  const body: DeleteOptions = { kind: 'DeleteOptions', apiVersion: 'v1', ...rest }
  if (dryRun) body.dryRun = ['All']
  return body
}
