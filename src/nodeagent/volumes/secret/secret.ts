/**
 * secret volumes: one file per key with the decoded bytes, or only the `items` listed (key →
 * path, per-item mode); files mode `defaultMode` (0644 = 420 unless set). A missing Secret fails
 * the mount unless `optional`; a missing item key fails unless optional. Updates are atomic.
 */
import type { Secret } from '../../../api/core.js'
import type { KeyToPath, Volume } from '../../../api/pod.js'
import { apiDataPlugin } from '../api-data.js'
import type { Payload } from '../atomic-writer.js'
import { defaultFileMode } from '../config-map/config-map.js'

/** secret.MakePayload: the files a Secret projects. */
export function secretPayload(
  secret: Secret | undefined,
  opts: { items?: KeyToPath[]; defaultMode?: number; optional?: boolean },
): Payload {
  const mode = opts.defaultMode ?? defaultFileMode
  const payload: Payload = new Map()
  const data = secret?.data ?? {}
  if (!opts.items?.length) {
    for (const [key, value] of Object.entries(data)) payload.set(key, { data: Buffer.from(value, 'base64'), mode })
    return payload
  }
  for (const item of opts.items) {
    if (!(item.key in data)) {
      if (opts.optional) continue
      throw new Error(`references non-existent secret key: ${item.key}`)
    }
    payload.set(item.path, { data: Buffer.from(data[item.key]!, 'base64'), mode: item.mode ?? mode })
  }
  return payload
}

/** The secret plugin. */
export const secretPlugin = apiDataPlugin({
  name: 'kubernetes.io/secret',
  canSupport: (v: Volume) => !!v.secret,
  async collect(ctx) {
    const source = ctx.volume.secret!
    const name = source.secretName ?? ''
    const secret = await ctx.host.getSecret(ctx.pod.metadata.namespace ?? 'default', name)
    if (!secret && !source.optional) throw new Error(`secret "${name}" not found`)
    return secretPayload(secret, source)
  },
  references: v => ({ configMaps: [], secrets: [v.secret?.secretName ?? ''] }),
})
