/**
 * projected volumes: several sources merged into one directory: secret, configMap, downwardAPI
 * and serviceAccountToken (obtained by the agent with a TokenRequest bound to the pod; this is
 * how kube-api-access-* volumes get `token`, `ca.crt` and `namespace`). Every source's error is
 * collected and reported together; an update re-projects every source (tokens the agent still
 * holds are reused until they near expiry).
 */
import type { Volume } from '../../../api/pod.js'
import { aggregate, apiDataPlugin } from '../api-data.js'
import type { Payload } from '../atomic-writer.js'
import { configMapPayload, defaultFileMode } from '../config-map/config-map.js'
import { downwardApiPayload } from '../downward-api/downward-api.js'
import { secretPayload } from '../secret/secret.js'
import type { VolumeContext } from '../volume.js'

/** The kubelet's default token lifetime for projected tokens (seconds). */
const defaultExpirationSeconds = 3600

async function collect(ctx: VolumeContext): Promise<Payload> {
  const source = ctx.volume.projected!
  const ns = ctx.pod.metadata.namespace ?? 'default'
  const defaultMode = source.defaultMode ?? defaultFileMode
  const payload: Payload = new Map()
  const errors: Error[] = []
  const merge = (p: Payload) => {
    for (const [k, v] of p) payload.set(k, v)
  }
  for (const s of source.sources ?? []) {
    try {
      if (s.secret) {
        const name = s.secret.name ?? ''
        const secret = await ctx.host.getSecret(ns, name)
        if (!secret && !s.secret.optional) throw new Error(`secret "${name}" not found`)
        merge(secretPayload(secret, { ...s.secret, defaultMode }))
      } else if (s.configMap) {
        const name = s.configMap.name ?? ''
        const cm = await ctx.host.getConfigMap(ns, name)
        if (!cm && !s.configMap.optional) throw new Error(`configmap "${name}" not found`)
        merge(configMapPayload(cm, { ...s.configMap, defaultMode }))
      } else if (s.downwardAPI) {
        merge(
          downwardApiPayload(ctx.pod, s.downwardAPI.items, { defaultMode, allocatable: ctx.host.nodeAllocatable() }),
        )
      } else if (s.serviceAccountToken) {
        const t = s.serviceAccountToken
        const { token } = await ctx.host.requestServiceAccountToken({
          pod: ctx.pod,
          audience: t.audience || undefined,
          expirationSeconds: t.expirationSeconds ?? defaultExpirationSeconds,
        })
        payload.set(t.path, { data: Buffer.from(token, 'utf8'), mode: defaultMode })
      }
    } catch (e) {
      errors.push(e as Error)
    }
  }
  const err = aggregate(errors)
  if (err) throw err
  return payload
}

/** The projected plugin. */
export const projectedPlugin = apiDataPlugin({
  name: 'kubernetes.io/projected',
  canSupport: (v: Volume) => !!v.projected,
  collect,
  references(v: Volume) {
    const sources = v.projected?.sources ?? []
    return {
      configMaps: sources.flatMap(s => (s.configMap ? [s.configMap.name ?? ''] : [])),
      secrets: sources.flatMap(s => (s.secret ? [s.secret.name ?? ''] : [])),
    }
  },
})
