/** Every volume plugin the agent knows, and the lookup by volume. */
import type { Volume } from '../../api/pod.js'
import { configMapPlugin } from './config-map/config-map.js'
import { downwardApiPlugin } from './downward-api/downward-api.js'
import { emptyDirPlugin } from './empty-dir/empty-dir.js'
import { hostPathPlugin } from './host-path/host-path.js'
import { nfsPlugin } from './nfs/nfs.js'
import { projectedPlugin } from './projected/projected.js'
import { pvcPlugin } from './pvc/pvc.js'
import { secretPlugin } from './secret/secret.js'
import type { VolumePlugin } from './volume.js'

/** The plugins in lookup order. */
export const volumePlugins: readonly VolumePlugin[] = [
  emptyDirPlugin,
  hostPathPlugin,
  configMapPlugin,
  secretPlugin,
  projectedPlugin,
  downwardApiPlugin,
  pvcPlugin,
  nfsPlugin,
]

/** The plugin serving a volume, or undefined for sources petset does not implement. */
export function pluginFor(volume: Volume, plugins: readonly VolumePlugin[] = volumePlugins): VolumePlugin | undefined {
  return plugins.find(p => p.canSupport(volume))
}
