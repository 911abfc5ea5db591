/**
 * The /scale subresource: an autoscaling/v1 Scale view of workloads. GET renders it; PUT and
 * PATCH change spec.replicas (a Scale resourceVersion is a precondition on the parent).
 */
import type { KObject } from '../../api/meta.js'
import { badRequest, methodNotSupported, notFound, staleConflict } from '../../machinery/status-error.js'
import type { ResourceStore } from '../registry/generic/resource-store.js'
import { decodeBody } from './negotiate.js'
import { applyPatchTo, patchTypeOf } from './patch.js'
import type { HandlerContext } from './resource-handler.js'
import { sendJson } from './respond.js'

/** The Scale object for a workload. */
export function scaleOf(store: ResourceStore, obj: KObject): KObject {
  const access = store.strategy.scale!
  const m = obj.metadata
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: access.specReplicas(obj) },
    status: { replicas: access.statusReplicas(obj), selector: access.selector(obj) },
  }
}

const scaleStrategy = {
  group: 'autoscaling',
  version: 'v1',
  kind: 'Scale',
  resource: 'scale',
  singular: 'scale',
  namespaced: true,
}

function replicasOf(scale: KObject): number {
  const r = (scale.spec as { replicas?: unknown } | undefined)?.replicas
  if (r === undefined) return 0
  if (typeof r !== 'number' || !Number.isInteger(r))
    throw badRequest('spec.replicas: Invalid value: must be an integer')
  return r
}

/** Serves GET, PUT and PATCH on <workload>/<name>/scale. */
export async function handleScale(ctx: HandlerContext, method: string): Promise<void> {
  const { store, info } = ctx
  if (!store.strategy.scale) throw notFound({ group: info.group, resource: `${info.resource}/scale` }, info.name ?? '')
  const access = store.strategy.scale
  if (method === 'GET') return sendJson(ctx.res, 200, scaleOf(store, await store.get(info.namespace, info.name!)))
  if (method !== 'PUT' && method !== 'PATCH') throw methodNotSupported(store.gr, method.toLowerCase())
  const decoded = decodeBody(await ctx.body(), method === 'PUT' ? ctx.req.headers['content-type'] : 'application/json')
  const type = method === 'PATCH' ? patchTypeOf(ctx.req.headers['content-type']) : undefined
  const result = await store.guaranteedUpdate(
    info.namespace,
    info.name!,
    cur => {
      const current = scaleOf(store, cur)
      const wanted =
        type === undefined
          ? (decoded.value as KObject)
          : applyPatchTo(type, current, decoded.value, {
              strategy: scaleStrategy as never,
              name: info.name!,
              manager: ctx.url.searchParams.get('fieldManager') ?? 'unknown',
              force: false,
              now: new Date(ctx.now()).toISOString(),
            })
      const rv = wanted?.metadata?.resourceVersion
      if (rv && rv !== cur.metadata.resourceVersion) throw staleConflict(store.gr, info.name!)
      const replicas = replicasOf(wanted)
      if (replicas < 0)
        throw badRequest(
          `Scale.autoscaling "${info.name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`,
        )
      access.setSpecReplicas(cur, replicas)
      return cur
    },
    {
      warnings: ctx.warnings,
      beforeWrite: ctx.trackFields(ctx.url.searchParams.get('fieldManager') ?? 'unknown', 'scale'),
    },
  )
  sendJson(ctx.res, 200, scaleOf(store, result), { warnings: ctx.warnings })
}
