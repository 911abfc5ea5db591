/**
 * Builds the `paths` of a group-version document: every resource URL with its operations, named
 * as upstream names them (operationId `patchAppsV1NamespacedStatefulSet`, `x-kubernetes-action`,
 * a single-object `x-kubernetes-group-version-kind`). kubectl's field validation looks for the
 * PATCH operation of a kind and its `fieldValidation` parameter; client-side apply looks for the
 * strategic-merge-patch request body. Pure: no I/O.
 */
import { type Gvk, type JsonSchema, PATCH, WATCH_EVENT } from './components.js'
import { param } from './parameters.js'
import { operationGroupOf, refTo, type ServedResource, tagOf, typeNameOfKind, urlPrefixOf } from './resources.js'

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1'
const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']
const listParams = [
  'allowWatchBookmarks',
  'continue',
  'fieldSelector',
  'labelSelector',
  'limit',
  'resourceVersion',
  'resourceVersionMatch',
  'sendInitialEvents',
  'timeoutSeconds',
  'watch',
] as const
const writeParams = ['dryRun', 'fieldManager', 'fieldValidation'] as const
const deleteParams = [
  'dryRun',
  'gracePeriodSeconds',
  'ignoreStoreReadErrorWithClusterBreakingPotential',
  'orphanDependents',
  'propagationPolicy',
] as const
const patchTypes = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
]

type Operation = JsonSchema
type PathItem = Record<string, unknown>

function ok(schema: JsonSchema, extra: string[] = []): JsonSchema {
  const content: Record<string, JsonSchema> = { 'application/json': { schema } }
  for (const type of extra) content[type] = { schema }
  return { description: 'OK', content }
}

function body(schema: JsonSchema, types = ['*/*']): JsonSchema {
  return { content: Object.fromEntries(types.map(t => [t, { schema }])), required: true }
}

/** Everything one resource's operations share. */
interface Ctx {
  r: ServedResource
  opGroup: string
  scope: string
  tag: string
  gvk: Gvk
  type: string
}

/** What varies between operations; `gvk` overrides the resource's own kind (subresources). */
interface OpParts {
  gvk?: Gvk
  parameters?: JsonSchema[]
  requestBody?: JsonSchema
  responses: Record<string, JsonSchema>
}

function op(ctx: Ctx, action: string, operationId: string, description: string, parts: OpParts): Operation {
  const { gvk, responses, ...rest } = parts
  return {
    description,
    operationId,
    ...rest,
    responses: { ...responses, '401': { description: 'Unauthorized' } },
    tags: [ctx.tag],
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk ?? ctx.gvk,
  }
}

/** Read, replace and patch of the object, or of one of its subresources (`sub`). */
function itemOps(ctx: Ctx, verbs: Set<string>, sub = '', subGvk?: Gvk, subType?: string): PathItem {
  const { r, opGroup, scope } = ctx
  const id = `${opGroup}${scope}${r.kind}${sub}`
  const schema = refTo(subType ?? ctx.type)
  const what = sub ? `the ${sub.toLowerCase()} of the named ${r.kind}` : `the named ${r.kind}`
  const gvk = subGvk ?? ctx.gvk
  const item: PathItem = {}
  if (verbs.has('get'))
    item.get = op(ctx, 'get', `read${id}`, `Reads ${what}.`, { gvk, responses: { '200': ok(schema) } })
  if (verbs.has('update'))
    item.put = op(ctx, 'put', `replace${id}`, `Replaces ${what}.`, {
      gvk,
      parameters: writeParams.map(param),
      requestBody: body(schema),
      responses: { '200': ok(schema), '201': ok(schema) },
    })
  if (verbs.has('patch'))
    item.patch = op(ctx, 'patch', `patch${id}`, `Changes ${what} with a patch.`, {
      gvk,
      parameters: [...writeParams.map(param), param('force')],
      requestBody: body(refTo(PATCH), patchTypes),
      responses: { '200': ok(schema), '201': ok(schema) },
    })
  return item
}

function collectionOps(ctx: Ctx, verbs: Set<string>): PathItem {
  const { r, opGroup, scope } = ctx
  const item: PathItem = {}
  const list = refTo(`${ctx.type}List`)
  const plural = `${r.kind} objects`
  if (verbs.has('list'))
    item.get = op(ctx, 'list', `list${opGroup}${scope}${r.kind}`, `Lists or watches ${plural}.`, {
      parameters: listParams.map(param),
      responses: { '200': ok(list, ['application/json;stream=watch']) },
    })
  if (verbs.has('create'))
    item.post = op(ctx, 'post', `create${opGroup}${scope}${r.kind}`, `Creates a ${r.kind}.`, {
      parameters: writeParams.map(param),
      requestBody: body(refTo(ctx.type)),
      responses: { '200': ok(refTo(ctx.type)), '201': ok(refTo(ctx.type)), '202': ok(refTo(ctx.type)) },
    })
  if (verbs.has('deletecollection'))
    item.delete = op(ctx, 'deletecollection', `delete${opGroup}Collection${scope}${r.kind}`, `Deletes ${plural}.`, {
      parameters: [...deleteParams.map(param), ...listParams.filter(p => p !== 'watch').map(param)],
      requestBody: body(refTo(`${META}.DeleteOptions`)),
      responses: { '200': ok(refTo(`${META}.Status`)) },
    })
  return item
}

function deleteOp(ctx: Ctx): Operation {
  const status = refTo(`${META}.Status`)
  return op(ctx, 'delete', `delete${ctx.opGroup}${ctx.scope}${ctx.r.kind}`, `Deletes the named ${ctx.r.kind}.`, {
    parameters: deleteParams.map(param),
    requestBody: body(refTo(`${META}.DeleteOptions`)),
    responses: { '200': ok(status), '202': ok(status) },
  })
}

function watchOp(ctx: Ctx, action: 'watch' | 'watchlist', operationId: string, what: string): PathItem {
  return {
    get: op(ctx, action, operationId, `Watches ${what}. Deprecated: use the list call with watch=true.`, {
      parameters: listParams.map(param),
      responses: { '200': ok(refTo(WATCH_EVENT), ['application/json;stream=watch']) },
    }),
  }
}

function nameParam(kind: string): JsonSchema {
  return { description: `Name of the ${kind}.`, in: 'path', name: 'name', required: true, schema: { type: 'string' } }
}

/** Subresources that post a different kind to the object URL. */
const postSubresources: Record<string, { kind: string; gvk: Gvk; type: string }> = {
  binding: { kind: 'Binding', gvk: { group: '', version: 'v1', kind: 'Binding' }, type: 'io.k8s.api.core.v1.Binding' },
  eviction: {
    kind: 'Eviction',
    gvk: { group: 'policy', version: 'v1', kind: 'Eviction' },
    type: 'io.k8s.api.policy.v1.Eviction',
  },
}
const scaleGvk: Gvk = { group: 'autoscaling', version: 'v1', kind: 'Scale' }

/** Every path of one resource. */
function resourcePaths(r: ServedResource): Record<string, PathItem> {
  const type = typeNameOfKind(r.group, r.version, r.kind)
  if (!type) return {}
  const ctx: Ctx = {
    r,
    opGroup: operationGroupOf(r.group, r.version),
    scope: r.namespaced ? 'Namespaced' : '',
    tag: tagOf(r.group, r.version),
    gvk: { group: r.group, version: r.version, kind: r.kind },
    type,
  }
  const verbs = new Set(r.verbs ?? allVerbs)
  const prefix = urlPrefixOf(r.group, r.version)
  const nsPart = r.namespaced ? '/namespaces/{namespace}' : ''
  const scopeParams = r.namespaced ? [param('namespace'), param('pretty')] : [param('pretty')]
  const itemParams = [nameParam(r.kind), ...scopeParams]
  const collection = `${prefix}${nsPart}/${r.resource}`
  const paths: Record<string, PathItem> = {}
  paths[collection] = { parameters: scopeParams, ...collectionOps(ctx, verbs) }
  paths[`${collection}/{name}`] = {
    parameters: itemParams,
    ...itemOps(ctx, verbs),
    ...(verbs.has('delete') ? { delete: deleteOp(ctx) } : {}),
  }
  if (r.namespaced && verbs.has('list')) {
    const all = { ...ctx, scope: '' }
    paths[`${prefix}/${r.resource}`] = {
      parameters: [param('pretty')],
      get: {
        ...(collectionOps(all, new Set(['list'])).get as Operation),
        operationId: `list${ctx.opGroup}${r.kind}ForAllNamespaces`,
      },
    }
  }
  if (verbs.has('watch')) {
    const id = `watch${ctx.opGroup}${ctx.scope}${r.kind}`
    paths[`${prefix}/watch${nsPart}/${r.resource}`] = {
      parameters: scopeParams,
      ...watchOp(ctx, 'watchlist', `${id}List`, `changes to ${r.kind} objects`),
    }
    paths[`${prefix}/watch${nsPart}/${r.resource}/{name}`] = {
      parameters: itemParams,
      ...watchOp(ctx, 'watch', id, `changes to the named ${r.kind}`),
    }
    if (r.namespaced)
      paths[`${prefix}/watch/${r.resource}`] = {
        parameters: [param('pretty')],
        ...watchOp(
          ctx,
          'watchlist',
          `watch${ctx.opGroup}${r.kind}ListForAllNamespaces`,
          `changes to ${r.kind} objects`,
        ),
      }
  }
  for (const sub of r.subresources) Object.assign(paths, subresourcePaths(ctx, sub, `${collection}/{name}`, itemParams))
  return paths
}

function subresourcePaths(ctx: Ctx, sub: string, item: string, params: JsonSchema[]): Record<string, PathItem> {
  const subVerbs = new Set(['get', 'update', 'patch'])
  if (sub === 'status') return { [`${item}/status`]: { parameters: params, ...itemOps(ctx, subVerbs, 'Status') } }
  if (sub === 'scale')
    return {
      [`${item}/scale`]: {
        parameters: params,
        ...itemOps(ctx, subVerbs, 'Scale', scaleGvk, 'io.k8s.api.autoscaling.v1.Scale'),
      },
    }
  const posted = postSubresources[sub]
  if (posted) {
    const operationId = `create${ctx.opGroup}${ctx.scope}${ctx.r.kind}${posted.kind}`
    const post = op(ctx, 'post', operationId, `Creates a ${posted.kind} for the named ${ctx.r.kind}.`, {
      gvk: posted.gvk,
      parameters: [param('dryRun'), param('fieldManager'), param('fieldValidation')],
      requestBody: body(refTo(posted.type)),
      responses: { '200': ok(refTo(posted.type)), '201': ok(refTo(posted.type)), '202': ok(refTo(posted.type)) },
    })
    return { [`${item}/${sub}`]: { parameters: params, post } }
  }
  if (sub === 'log') {
    const names = ['container', 'follow', 'limitBytes', 'previous', 'sinceSeconds', 'tailLines', 'timestamps'] as const
    const get = op(
      ctx,
      'get',
      `read${ctx.opGroup}${ctx.scope}${ctx.r.kind}Log`,
      `Reads the log of a container of the named ${ctx.r.kind}.`,
      {
        parameters: names.map(param),
        responses: { '200': { description: 'OK', content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    )
    return { [`${item}/log`]: { parameters: params, get } }
  }
  return {}
}

/** The `paths` object of one group-version document. */
export function buildPaths(resources: ServedResource[]): Record<string, PathItem> {
  const paths: Record<string, PathItem> = {}
  for (const r of resources) Object.assign(paths, resourcePaths(r))
  return Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}
