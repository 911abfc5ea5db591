/**
 * emptyDir: a directory under the pod dir (`volumes/kubernetes.io~empty-dir/<name>`, mode 0777
 * as the kubelet makes it) that lives and dies with the pod. `medium: Memory` mounts a tmpfs
 * there (size = sizeLimit when set) when the host can (root); otherwise it stays a plain
 * directory. NOTE: sizeLimit is not enforced on disk-backed dirs (the kubelet evicts the pod
 * when exceeded; petset has no eviction).
 */
import { chmod, mkdir } from 'node:fs/promises'
import type { Volume } from '../../../api/pod.js'
import { quantityToBytes } from '../../../machinery/quantity.js'
import { removeVolumeDir } from '../mount.js'
import { type VolumeContext, type VolumePlugin, volumeDir } from '../volume.js'

const pluginName = 'kubernetes.io/empty-dir'

const dirOf = (ctx: VolumeContext) => volumeDir(ctx.podDir, pluginName, ctx.volume.name)

/** The emptyDir plugin. */
export const emptyDirPlugin: VolumePlugin = {
  name: pluginName,
  canSupport: (v: Volume) => !!v.emptyDir,
  async setUp(ctx) {
    const dir = dirOf(ctx)
    const { mounter } = ctx.host
    if (ctx.volume.emptyDir?.medium === 'Memory' && mounter.canMount('tmpfs')) {
      if (!(await mounter.mountsUnder(dir)).includes(dir)) {
        await mkdir(dir, { recursive: true })
        const limit = ctx.volume.emptyDir.sizeLimit
        const options = limit ? [`size=${quantityToBytes(limit)}`] : []
        await mounter.mount('tmpfs', dir, { fstype: 'tmpfs', options })
      }
    } else await mkdir(dir, { recursive: true })
    await chmod(dir, 0o777)
    return { hostPath: dir }
  },
  async tearDown(ctx) {
    await removeVolumeDir(ctx.host.mounter, dirOf(ctx))
  },
}
