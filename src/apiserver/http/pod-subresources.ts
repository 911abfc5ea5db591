/**
 * Pod subresources served by the API server itself: binding (the scheduler assigns a node)
 * and eviction (a graceful delete on behalf of drain and node lifecycle). Streaming
 * subresources (log, exec, attach, portforward, proxy) go to the node agent.
 */
import type { DeleteOptions, KObject } from '../../api/meta.js'
import { required } from '../../machinery/field-error.js'
import { badRequest, conflict, invalid, methodNotSupported } from '../../machinery/status-error.js'
import { decodeBody } from './negotiate.js'
import type { HandlerContext } from './resource-handler.js'
import { sendJson } from './respond.js'

const success = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }

interface Binding extends KObject {
  target?: { kind?: string; name?: string }
}

interface Condition {
  type: string
  status: string
  lastProbeTime?: string | null
  lastTransitionTime?: string
}

/** POST pods/<name>/binding: sets spec.nodeName once, with the PodScheduled condition. */
async function bind(ctx: HandlerContext): Promise<void> {
  const { info, store } = ctx
  const binding = decodeBody(await ctx.body(), ctx.req.headers['content-type']).value as Binding
  const target = binding?.target?.name
  if (!target)
    throw invalid({ group: '', kind: 'Binding' }, binding?.metadata?.name ?? info.name!, [required('target.name')])
  if (binding.target?.kind && binding.target.kind !== 'Node')
    throw badRequest(`Binding target kind must be "Node", got ${binding.target.kind}`)
  const gr = { group: '', resource: 'pods/binding' }
  await store.guaranteedUpdate(
    info.namespace,
    info.name!,
    pod => {
      if (pod.metadata.deletionTimestamp)
        throw conflict(gr, info.name!, `pod ${info.name} is being deleted, cannot be assigned to a host`)
      const spec = pod.spec as { nodeName?: string }
      if (spec.nodeName)
        throw conflict(gr, info.name!, `pod ${info.name} is already assigned to node "${spec.nodeName}"`)
      spec.nodeName = target
      const annotations = binding.metadata?.annotations
      if (annotations) pod.metadata.annotations = { ...pod.metadata.annotations, ...annotations }
      const status = (pod.status ??= {}) as { conditions?: Condition[] }
      const now = new Date(ctx.now()).toISOString().replace(/\.\d{3}Z$/, 'Z')
      const conditions = (status.conditions ?? []).filter(c => c.type !== 'PodScheduled')
      conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now })
      status.conditions = conditions
      return pod
    },
    { subresource: 'binding', warnings: ctx.warnings },
  )
  sendJson(ctx.res, 201, success, { warnings: ctx.warnings })
}

/** POST pods/<name>/eviction: deletes the pod with the eviction's DeleteOptions. */
async function evict(ctx: HandlerContext): Promise<void> {
  const body = decodeBody(await ctx.body(), ctx.req.headers['content-type']).value as { deleteOptions?: DeleteOptions }
  await ctx.store.delete(ctx.info.namespace, ctx.info.name!, body?.deleteOptions ?? {}, { warnings: ctx.warnings })
  sendJson(ctx.res, 201, success, { warnings: ctx.warnings })
}

/** Serves pods/binding and pods/eviction; returns false for other subresources. */
export async function handlePodSubresource(ctx: HandlerContext, method: string): Promise<boolean> {
  const sub = ctx.info.subresource
  if (ctx.info.resource !== 'pods' || (sub !== 'binding' && sub !== 'eviction')) return false
  if (method !== 'POST') throw methodNotSupported({ group: '', resource: `pods/${sub}` }, method.toLowerCase())
  await (sub === 'binding' ? bind(ctx) : evict(ctx))
  return true
}
