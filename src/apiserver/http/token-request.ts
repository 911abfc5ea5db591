/**
 * serviceaccounts/<name>/token: the TokenRequest API (authentication.k8s.io/v1). Issues a
 * signed service-account JWT, optionally bound to a pod (the kubelet's projected token volume
 * and `kubectl create token` use it).
 */
import type { KObject } from '../../api/meta.js'
import { invalidValue } from '../../machinery/field-error.js'
import { badRequest, invalid, methodNotSupported, notFound } from '../../machinery/status-error.js'
import { formatTime } from '../registry/generic/object-meta.js'
import type { Registry } from '../registry/registry.js'
import type { ServiceAccountTokens } from '../service-account-tokens.js'
import { decodeBody } from './negotiate.js'
import type { HandlerContext } from './resource-handler.js'
import { sendJson } from './respond.js'

interface TokenRequestSpec {
  audiences?: string[]
  expirationSeconds?: number
  boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string }
}

/** Serves POST serviceaccounts/<name>/token; false for other paths. */
export async function handleTokenRequest(
  ctx: HandlerContext,
  method: string,
  registry: Registry,
  tokens: ServiceAccountTokens,
): Promise<boolean> {
  if (ctx.info.resource !== 'serviceaccounts' || ctx.info.subresource !== 'token') return false
  if (method !== 'POST')
    throw methodNotSupported({ group: '', resource: 'serviceaccounts/token' }, method.toLowerCase())
  const body = (decodeBody(await ctx.body(), ctx.req.headers['content-type']).value ?? {}) as KObject
  const spec = (body.spec ?? {}) as TokenRequestSpec
  const ns = ctx.info.namespace!
  const account = await registry.core('serviceaccounts').get(ns, ctx.info.name!)
  const expiration = spec.expirationSeconds ?? 3600
  if (expiration < 600)
    throw invalid({ group: 'authentication.k8s.io', kind: 'TokenRequest' }, ctx.info.name!, [
      invalidValue('spec.expirationSeconds', expiration, 'may not specify a duration less than 10 minutes'),
    ])
  let pod: { name: string; uid: string } | undefined
  const ref = spec.boundObjectRef
  if (ref?.name) {
    if (ref.kind !== 'Pod' && ref.kind !== 'Secret') throw badRequest(`cannot bind token to object of kind ${ref.kind}`)
    if (ref.kind === 'Pod') {
      const p = await registry
        .core('pods')
        .get(ns, ref.name)
        .catch(() => undefined)
      if (!p || (ref.uid && ref.uid !== p.metadata.uid)) throw notFound({ group: '', resource: 'pods' }, ref.name)
      pod = { name: ref.name, uid: p.metadata.uid! }
    }
  }
  const issuedAt = Math.floor(ctx.now() / 1000)
  const audiences = spec.audiences?.length ? spec.audiences : [tokens.issuer]
  const token = tokens.issue({
    namespace: ns,
    serviceAccount: { name: account.metadata.name!, uid: account.metadata.uid! },
    pod,
    audiences,
    issuedAt,
    expiresAt: issuedAt + expiration,
  })
  sendJson(ctx.res, 201, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name: account.metadata.name, namespace: ns, creationTimestamp: null },
    spec: { ...spec, audiences, expirationSeconds: expiration },
    status: { token, expirationTimestamp: formatTime((issuedAt + expiration) * 1000) },
  })
  return true
}
