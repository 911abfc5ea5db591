/**
 * Resource endpoints: list/watch/get/create/update/patch/delete/deletecollection on
 * /api and /apis paths, plus the status, scale and finalize subresources. Decodes requests,
 * calls the generic registry, and renders objects, lists or Tables.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { DeleteOptions, KObject } from '../../api/meta.js'
import { parseFieldSelector } from '../../machinery/fields.js'
import { parseSelector } from '../../machinery/labels.js'
import { badRequest, methodNotSupported, notFound, staleConflict } from '../../machinery/status-error.js'
import { checkFieldSelector, type ListFilter } from '../registry/generic/list-filter.js'
import { formatTime } from '../registry/generic/object-meta.js'
import type { ResourceStore, WriteOptions } from '../registry/generic/resource-store.js'
import type { Registry } from '../registry/registry.js'
import type { ServiceAccountTokens } from '../service-account-tokens.js'
import type { WatchCache } from '../watch-cache.js'
import { type FieldValidation, fieldChecks } from './field-validation.js'
import { decodeBody, parseAccept } from './negotiate.js'
import { applyPatchTo, patchTypeOf } from './patch.js'
import { handlePodSubresource } from './pod-subresources.js'
import type { ResourceRequest } from './request-info.js'
import { queryBool, queryInt } from './request-info.js'
import { sendJson } from './respond.js'
import { handleScale } from './scale.js'
import { buildTable, type IncludeObject, partialMetadata } from './table.js'
import { handleTokenRequest } from './token-request.js'

export interface HandlerContext {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  info: ResourceRequest
  store: ResourceStore
  cache: WatchCache
  body: () => Promise<Buffer>
  now: () => number
  warnings: string[]
  signal: AbortSignal
  /** Other resources and the token issuer, for subresources that reach beyond one store. */
  registry: Registry
  tokens: ServiceAccountTokens
  /** Manages metadata.managedFields on ordinary writes. */
  trackFields: (manager: string, subresource?: string) => WriteOptions['beforeWrite']
}

const q = (ctx: HandlerContext, name: string) => ctx.url.searchParams.get(name)

function listFilter(ctx: HandlerContext): ListFilter {
  const filter: ListFilter = {}
  const ls = q(ctx, 'labelSelector')
  const fs = q(ctx, 'fieldSelector')
  try {
    if (ls) filter.labelSelector = parseSelector(ls)
  } catch (e) {
    throw badRequest(`unable to parse requirement: ${(e as Error).message}`)
  }
  try {
    if (fs) filter.fieldSelector = parseFieldSelector(fs)
  } catch (e) {
    throw badRequest((e as Error).message)
  }
  checkFieldSelector(ctx.store.strategy, filter.fieldSelector)
  return filter
}

/** The field manager for a write: the query parameter, else the user agent's product name. */
export function fieldManagerOf(ctx: HandlerContext): string {
  const m = q(ctx, 'fieldManager')
  if (m) {
    if (m.length > 128) throw badRequest('fieldManager: Too long: must have at most 128 bytes')
    return m
  }
  const ua = ctx.req.headers['user-agent'] ?? ''
  return ua.split('/')[0]?.trim() || 'unknown'
}

function writeOptions(ctx: HandlerContext, subresource?: string): WriteOptions {
  const dryRun = ctx.url.searchParams.getAll('dryRun')
  for (const d of dryRun)
    if (d !== 'All') throw badRequest(`dryRun: Unsupported value: "${d}": supported values: "All"`)
  return {
    dryRun: dryRun.includes('All'),
    warnings: ctx.warnings,
    beforeWrite: ctx.trackFields(fieldManagerOf(ctx), subresource),
  }
}

function fieldValidation(ctx: HandlerContext): FieldValidation {
  const v = q(ctx, 'fieldValidation') ?? 'Warn'
  if (v !== 'Strict' && v !== 'Warn' && v !== 'Ignore')
    throw badRequest(`fieldValidation parameter unsupported: ${v}, must be one of Ignore, Warn, or Strict`)
  return v
}

/** Renders an object per Accept: as-is, as a one-row Table, or as PartialObjectMetadata. */
function renderObject(ctx: HandlerContext, obj: KObject): { body: unknown; contentType?: string } {
  const accept = parseAccept(ctx.req.headers.accept)
  if (accept.table && !ctx.info.subresource)
    return {
      body: buildTable(ctx.store.strategy, [obj], {
        version: accept.table,
        includeObject: includeObject(ctx),
        now: ctx.now(),
      }),
      contentType: `application/json;as=Table;v=${accept.table};g=meta.k8s.io`,
    }
  if (accept.partialMetadata) return { body: partialMetadata(obj, accept.partialMetadata) }
  return { body: obj }
}

function includeObject(ctx: HandlerContext): IncludeObject {
  const v = q(ctx, 'includeObject')
  return v === 'None' || v === 'Object' ? v : 'Metadata'
}

function send(ctx: HandlerContext, code: number, obj: KObject) {
  const { body, contentType } = renderObject(ctx, obj)
  sendJson(ctx.res, code, body, { contentType, warnings: ctx.warnings })
}

/** Dispatches one request on a resource path. */
export async function handleResource(ctx: HandlerContext): Promise<void> {
  const { info, req } = ctx
  const method = req.method ?? 'GET'
  const sub = info.subresource
  if (sub === 'scale') return handleScale(ctx, method)
  if (await handlePodSubresource(ctx, method)) return
  if (await handleTokenRequest(ctx, method, ctx.registry, ctx.tokens)) return
  if (sub && sub !== 'status' && !(sub === 'finalize' && info.resource === 'namespaces'))
    throw notFound({ group: info.group, resource: `${info.resource}/${sub}` }, info.name ?? '')
  if (!info.name) {
    if (method === 'GET') return q(ctx, 'watch') !== null && queryBool(q(ctx, 'watch')) ? watch(ctx) : list(ctx)
    if (method === 'POST') return create(ctx)
    if (method === 'DELETE') return deleteCollection(ctx)
    throw methodNotSupported(ctx.store.gr, method.toLowerCase())
  }
  switch (method) {
    case 'GET':
      return send(ctx, 200, await ctx.store.get(info.namespace, info.name))
    case 'PUT':
      return update(ctx)
    case 'PATCH':
      return patch(ctx)
    case 'DELETE':
      if (sub) throw methodNotSupported(ctx.store.gr, 'delete')
      return remove(ctx)
    default:
      throw methodNotSupported(ctx.store.gr, method.toLowerCase())
  }
}

async function list(ctx: HandlerContext) {
  const filter = listFilter(ctx)
  const limit = queryInt(q(ctx, 'limit'))
  const list = await ctx.store.list(ctx.info.namespace, {
    ...filter,
    limit,
    continue: q(ctx, 'continue') ?? undefined,
    resourceVersion: q(ctx, 'resourceVersion') ?? undefined,
  })
  const accept = parseAccept(ctx.req.headers.accept)
  if (accept.table) {
    const table = buildTable(ctx.store.strategy, list.items, {
      version: accept.table,
      includeObject: includeObject(ctx),
      resourceVersion: list.metadata.resourceVersion,
      continue: list.metadata.continue,
      now: ctx.now(),
    })
    return sendJson(ctx.res, 200, table, { contentType: `application/json;as=Table;v=${accept.table};g=meta.k8s.io` })
  }
  if (accept.partialMetadata) {
    const v = accept.partialMetadata
    return sendJson(ctx.res, 200, {
      kind: 'PartialObjectMetadataList',
      apiVersion: `meta.k8s.io/${v}`,
      metadata: list.metadata,
      items: list.items.map(o => partialMetadata(o, v)),
    })
  }
  sendJson(ctx.res, 200, list)
}

async function watch(ctx: HandlerContext) {
  const { serveWatch } = await import('./watch.js')
  await serveWatch(ctx.res, ctx.store, ctx.cache, {
    namespace: ctx.info.namespace,
    filter: listFilter(ctx),
    resourceVersion: q(ctx, 'resourceVersion') ?? undefined,
    timeoutSeconds: queryInt(q(ctx, 'timeoutSeconds')),
    allowBookmarks: queryBool(q(ctx, 'allowWatchBookmarks')),
    sendInitialEvents: queryBool(q(ctx, 'sendInitialEvents')),
    accept: parseAccept(ctx.req.headers.accept),
    now: ctx.now,
    signal: ctx.signal,
  })
}

/** Decodes a write body into an object and runs strict/warn/ignore field validation on it. */
async function decodeObject(ctx: HandlerContext): Promise<KObject> {
  const decoded = decodeBody(await ctx.body(), ctx.req.headers['content-type'])
  const value = decoded.value
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw badRequest('Object is not a valid JSON object')
  const obj = value as KObject
  fieldChecks(ctx.store.strategy, obj, decoded.text, fieldValidation(ctx), ctx.warnings)
  return obj
}

async function create(ctx: HandlerContext) {
  const obj = await decodeObject(ctx)
  const created = await ctx.store.create(ctx.info.namespace, obj, writeOptions(ctx))
  send(ctx, 201, created)
}

async function update(ctx: HandlerContext) {
  const { info } = ctx
  const obj = await decodeObject(ctx)
  if (info.subresource === 'finalize') {
    const finalizers = (obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []
    const result = await ctx.store.guaranteedUpdate(
      undefined,
      info.name!,
      cur => ({ ...cur, spec: { ...(cur.spec as object), finalizers } }),
      { ...writeOptions(ctx, 'finalize'), subresource: 'finalize', precondition: obj.metadata?.resourceVersion },
    )
    return send(ctx, 200, result)
  }
  const sub = info.subresource === 'status' ? 'status' : undefined
  const { object, created } = await ctx.store.update(info.namespace, info.name!, obj, {
    ...writeOptions(ctx, sub),
    subresource: sub,
  })
  send(ctx, created ? 201 : 200, object)
}

async function patch(ctx: HandlerContext) {
  const { info } = ctx
  const type = patchTypeOf(ctx.req.headers['content-type'])
  const decoded = decodeBody(await ctx.body(), type === 'apply' ? 'application/yaml' : 'application/json')
  const validation = fieldValidation(ctx)
  const manager = type === 'apply' ? (q(ctx, 'fieldManager') ?? '') : fieldManagerOf(ctx)
  const force = queryBool(q(ctx, 'force'))
  if (force && type !== 'apply')
    throw badRequest('force: Invalid value: true: may not be specified for non-apply patch')
  const sub: 'status' | undefined = info.subresource === 'status' ? 'status' : undefined
  const opts: WriteOptions & { subresource?: 'status' } = { ...writeOptions(ctx, sub), subresource: sub }
  if (type === 'apply') opts.beforeWrite = undefined
  const patchCtx = {
    strategy: ctx.store.strategy,
    name: info.name!,
    manager,
    force,
    now: formatTime(ctx.now()),
    subresource: sub,
  }
  const mutate = (cur: KObject) => {
    const next = applyPatchTo(type, cur, decoded.value, patchCtx)
    fieldChecks(ctx.store.strategy, next, undefined, validation, ctx.warnings, false)
    const rv = next.metadata?.resourceVersion
    // A resourceVersion inside the patch is a precondition, as with PUT.
    if (rv && rv !== cur.metadata.resourceVersion) throw staleConflict(ctx.store.gr, info.name!)
    return next
  }
  try {
    send(ctx, 200, await ctx.store.guaranteedUpdate(info.namespace, info.name!, mutate, opts))
  } catch (e) {
    if (type !== 'apply' || (e as { status?: { reason?: string } }).status?.reason !== 'NotFound' || sub) throw e
    const created = applyPatchTo(type, undefined, decoded.value, patchCtx)
    fieldChecks(ctx.store.strategy, created, undefined, validation, ctx.warnings, false)
    created.metadata = { ...created.metadata, name: info.name }
    send(ctx, 201, await ctx.store.create(info.namespace, created, { ...writeOptions(ctx), beforeWrite: undefined }))
  }
}

/** DeleteOptions from the body, overridden by query parameters as kube-apiserver does. */
async function deleteOptions(ctx: HandlerContext): Promise<DeleteOptions> {
  const raw = await ctx.body()
  let options: DeleteOptions = {}
  if (raw.length) {
    const decoded = decodeBody(raw, ctx.req.headers['content-type'])
    if (decoded.value && typeof decoded.value === 'object') options = decoded.value as DeleteOptions
  }
  const grace = queryInt(q(ctx, 'gracePeriodSeconds'))
  if (grace !== undefined) options.gracePeriodSeconds = grace
  const policy = q(ctx, 'propagationPolicy')
  if (policy) options.propagationPolicy = policy as DeleteOptions['propagationPolicy']
  const orphan = q(ctx, 'orphanDependents')
  if (orphan !== null) options.orphanDependents = queryBool(orphan)
  if (options.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(options.propagationPolicy))
    throw badRequest(
      `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${options.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`,
    )
  return options
}

async function remove(ctx: HandlerContext) {
  const options = await deleteOptions(ctx)
  const opts = writeOptions(ctx)
  if (options.dryRun?.includes('All')) opts.dryRun = true
  const { object, deleted } = await ctx.store.delete(ctx.info.namespace, ctx.info.name!, options, opts)
  const accepted = !deleted && options.orphanDependents === false
  send(ctx, accepted ? 202 : 200, object)
}

async function deleteCollection(ctx: HandlerContext) {
  const options = await deleteOptions(ctx)
  const filter = listFilter(ctx)
  const list = await ctx.store.list(ctx.info.namespace, filter)
  const opts = writeOptions(ctx)
  const items: KObject[] = []
  for (const item of list.items) {
    try {
      items.push((await ctx.store.delete(item.metadata.namespace, item.metadata.name!, options, opts)).object)
    } catch (e) {
      if ((e as { status?: { reason?: string } }).status?.reason !== 'NotFound') throw e
    }
  }
  sendJson(ctx.res, 200, { ...list, items }, { warnings: ctx.warnings })
}
