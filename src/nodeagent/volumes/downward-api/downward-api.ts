/**
 * downwardAPI volumes: one file per item, from a pod field (metadata.name, labels as
 * `key="value"` lines, ...) or a container resource (limits.cpu with divisor, limits defaulting
 * to the node's allocatable). The agent re-projects on pod updates, so label and annotation
 * edits reach the files. Errors are aggregated as upstream's CollectData does.
 */
import type { DownwardAPIVolumeFile, Pod, Volume } from '../../../api/pod.js'
import { aggregate, apiDataPlugin } from '../api-data.js'
import type { Payload } from '../atomic-writer.js'
import { defaultFileMode } from '../config-map/config-map.js'
import { podFieldValue, resourceFieldValue } from '../fieldpath.js'

/** downwardapi.CollectData: the files the items project. */
export function downwardApiPayload(
  pod: Pod,
  items: DownwardAPIVolumeFile[] | undefined,
  opts: { defaultMode?: number; allocatable: Record<string, string> },
): Payload {
  const payload: Payload = new Map()
  const errors: Error[] = []
  for (const item of items ?? []) {
    const mode = item.mode ?? opts.defaultMode ?? defaultFileMode
    try {
      let value: string | undefined
      if (item.fieldRef) value = podFieldValue(pod, item.fieldRef.fieldPath)
      else if (item.resourceFieldRef)
        value = resourceFieldValue(
          pod,
          item.resourceFieldRef.containerName ?? '',
          item.resourceFieldRef,
          opts.allocatable,
        )
      if (value !== undefined) payload.set(item.path, { data: Buffer.from(value, 'utf8'), mode })
    } catch (e) {
      errors.push(e as Error)
    }
  }
  const err = aggregate(errors)
  if (err) throw err
  return payload
}

/** The downwardAPI plugin. */
export const downwardApiPlugin = apiDataPlugin({
  name: 'kubernetes.io/downward-api',
  canSupport: (v: Volume) => !!v.downwardAPI,
  async collect(ctx) {
    const source = ctx.volume.downwardAPI!
    return downwardApiPayload(ctx.pod, source.items, {
      defaultMode: source.defaultMode,
      allocatable: ctx.host.nodeAllocatable(),
    })
  },
})
