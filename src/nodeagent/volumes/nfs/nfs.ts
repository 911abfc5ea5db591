/**
 * nfs: mounts `server:path` with mount(8) under the pod dir (`volumes/kubernetes.io~nfs/<name>`),
 * for pod `nfs` volumes and NFS-backed PersistentVolumes. A host without mount.nfs fails the way
 * a kubelet without nfs-common does (the agent reports it as a FailedMount event).
 */
import { mkdir } from 'node:fs/promises'
import type { NFSVolumeSource, Volume } from '../../../api/pod.js'
import { removeVolumeDir } from '../mount.js'
import { type MountedVolume, type VolumeContext, type VolumePlugin, volumeDir } from '../volume.js'

const pluginName = 'kubernetes.io/nfs'

/** The directory an NFS export of this pod volume is mounted on. */
export const nfsDir = (ctx: VolumeContext) => volumeDir(ctx.podDir, pluginName, ctx.volume.name)

/** Mounts source at the volume's directory unless it is mounted already. */
export async function mountNfs(
  ctx: VolumeContext,
  source: NFSVolumeSource,
  opts: { readOnly?: boolean; mountOptions?: string[] } = {},
): Promise<MountedVolume> {
  const dir = nfsDir(ctx)
  const { mounter } = ctx.host
  const readOnly = !!(opts.readOnly || source.readOnly)
  if ((await mounter.mountsUnder(dir)).includes(dir)) return { hostPath: dir, readOnly }
  const remote = `${source.server}:${source.path}`
  const options = [...(opts.mountOptions ?? []), ...(readOnly ? ['ro'] : [])]
  if (!mounter.canMount('nfs'))
    throw new Error(
      `mount failed: exit status 32\nMounting command: mount\nMounting arguments: -t nfs ${options.length ? `-o ${options.join(',')} ` : ''}${remote} ${dir}\n` +
        `Output: mount: ${dir}: bad option; for several filesystems (e.g. nfs, cifs) you might need a /sbin/mount.<type> helper program.`,
    )
  await mkdir(dir, { recursive: true, mode: 0o750 })
  await mounter.mount(remote, dir, { fstype: 'nfs', options })
  return { hostPath: dir, readOnly }
}

/** The nfs plugin (pod volumes). */
export const nfsPlugin: VolumePlugin = {
  name: pluginName,
  canSupport: (v: Volume) => !!v.nfs,
  setUp: ctx => mountNfs(ctx, ctx.volume.nfs!),
  async tearDown(ctx) {
    await removeVolumeDir(ctx.host.mounter, nfsDir(ctx))
  },
}
