/**
 * configMap volumes: one file per key (data as UTF-8, binaryData decoded), or only the `items`
 * listed (key → path, per-item mode), files mode `defaultMode` (0644). A missing ConfigMap fails
 * the mount unless `optional`; a missing item key fails unless optional. Updates are atomic.
 */
import type { ConfigMap } from '../../../api/core.js'
import type { KeyToPath, Volume } from '../../../api/pod.js'
import { apiDataPlugin } from '../api-data.js'
import type { Payload } from '../atomic-writer.js'

/** The kubelet's default file mode for API-data volumes (0644). */
export const defaultFileMode = 0o644

/** configmap.MakePayload: the files a ConfigMap projects. */
export function configMapPayload(
  cm: ConfigMap | undefined,
  opts: { items?: KeyToPath[]; defaultMode?: number; optional?: boolean },
): Payload {
  const mode = opts.defaultMode ?? defaultFileMode
  const payload: Payload = new Map()
  const data = cm?.data ?? {}
  const binary = cm?.binaryData ?? {}
  const bytesOf = (key: string): Buffer | undefined =>
    key in data ? Buffer.from(data[key]!, 'utf8') : key in binary ? Buffer.from(binary[key]!, 'base64') : undefined
  if (!opts.items?.length) {
    for (const key of [...Object.keys(data), ...Object.keys(binary)]) payload.set(key, { data: bytesOf(key)!, mode })
    return payload
  }
  for (const item of opts.items) {
    const value = bytesOf(item.key)
    if (value === undefined) {
      if (opts.optional) continue
      throw new Error(`configmap references non-existent config key: ${item.key}`)
    }
    payload.set(item.path, { data: value, mode: item.mode ?? mode })
  }
  return payload
}

/** The configMap plugin. */
export const configMapPlugin = apiDataPlugin({
  name: 'kubernetes.io/configmap',
  canSupport: (v: Volume) => !!v.configMap,
  async collect(ctx) {
    const source = ctx.volume.configMap!
    const name = source.name ?? ''
    const cm = await ctx.host.getConfigMap(ctx.pod.metadata.namespace ?? 'default', name)
    if (!cm && !source.optional) throw new Error(`configmap "${name}" not found`)
    return configMapPayload(cm, source)
  },
  references: v => ({ configMaps: [v.configMap?.name ?? ''], secrets: [] }),
})
