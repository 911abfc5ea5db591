/**
 * The shape shared by volumes whose files come from API data (configMap, secret, projected,
 * downwardAPI): collect a payload, write it with the AtomicWriter into the volume directory, and
 * rewrite it on update. Always mounted read-only, as the kubelet does since 1.9.
 */
import type { Volume } from '../../api/pod.js'
import { type Payload, writeAtomic } from './atomic-writer.js'
import { removeVolumeDir } from './mount.js'
import { type VolumeContext, type VolumePlugin, type VolumeReferences, volumeDir } from './volume.js'

/** What an API-data plugin supplies. */
export interface ApiDataSource {
  name: string
  canSupport(volume: Volume): boolean
  /** The files to project; rejects with the kubelet's message. */
  collect(ctx: VolumeContext): Promise<Payload>
  references?(volume: Volume): VolumeReferences
}

/** Builds the VolumePlugin for an API-data source. */
export function apiDataPlugin(source: ApiDataSource): VolumePlugin {
  const dirOf = (ctx: VolumeContext) => volumeDir(ctx.podDir, source.name, ctx.volume.name)
  const write = async (ctx: VolumeContext) =>
    writeAtomic(dirOf(ctx), await source.collect(ctx), { now: ctx.host.now() })
  const plugin: VolumePlugin = {
    name: source.name,
    canSupport: source.canSupport,
    async setUp(ctx) {
      await write(ctx)
      return { hostPath: dirOf(ctx), readOnly: true }
    },
    update: write,
    async tearDown(ctx) {
      await removeVolumeDir(ctx.host.mounter, dirOf(ctx))
    },
  }
  if (source.references) plugin.references = source.references
  return plugin
}

/** Upstream's aggregate error text: one message as is, several as `[a, b]`. */
export function aggregate(errors: Error[]): Error | undefined {
  if (!errors.length) return undefined
  if (errors.length === 1) return errors[0]
  return new Error(`[${errors.map(e => e.message).join(', ')}]`)
}
