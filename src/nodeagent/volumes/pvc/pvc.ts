/**
 * persistentVolumeClaim: the claim must exist and be Bound; its PersistentVolume decides where
 * the data is: `hostPath` (type checks as for pod hostPath volumes), `local` (the provisioner's
 * directories; the path must exist), or `nfs` (mounted under the pod dir). Other sources (csi,
 * ...) fail with a clear message. hostPath and local data is used in place and never removed.
 */
import { stat } from 'node:fs/promises'
import type { Volume } from '../../../api/pod.js'
import { checkHostPathType } from '../host-path/host-path.js'
import { removeVolumeDir } from '../mount.js'
import { mountNfs, nfsDir } from '../nfs/nfs.js'
import type { VolumePlugin } from '../volume.js'

/** The persistentVolumeClaim plugin. */
export const pvcPlugin: VolumePlugin = {
  name: 'kubernetes.io/persistent-claim',
  canSupport: (v: Volume) => !!v.persistentVolumeClaim,
  async setUp(ctx) {
    const { claimName, readOnly } = ctx.volume.persistentVolumeClaim!
    const ns = ctx.pod.metadata.namespace ?? 'default'
    const claim = await ctx.host.getPersistentVolumeClaim(ns, claimName)
    if (!claim) throw new Error(`persistentvolumeclaim "${claimName}" not found`)
    const volumeName = claim.spec?.volumeName ?? ''
    const phase = claim.status?.phase ?? ''
    if (phase !== 'Bound' || !volumeName)
      throw new Error(
        `PVC ${ns}/${claimName} has non-bound phase (${JSON.stringify(phase)}) or empty pvc.Spec.VolumeName (${JSON.stringify(volumeName)})`,
      )
    const pv = await ctx.host.getPersistentVolume(volumeName)
    if (!pv) throw new Error(`persistentvolume "${volumeName}" not found`)
    const bound = pv.spec?.claimRef?.uid
    if (bound && claim.metadata.uid && bound !== claim.metadata.uid)
      throw new Error(`pvc.UID (${claim.metadata.uid}) does not match pv.Spec.ClaimRef.UID (${bound})`)
    const spec = pv.spec ?? {}
    if (spec.hostPath) {
      await checkHostPathType(spec.hostPath.path, spec.hostPath.type)
      return { hostPath: spec.hostPath.path, readOnly }
    }
    if (spec.local) {
      const st = await stat(spec.local.path).catch(() => undefined)
      if (!st) throw new Error(`path "${spec.local.path}" does not exist`)
      return { hostPath: spec.local.path, readOnly }
    }
    if (spec.nfs) return mountNfs(ctx, spec.nfs, { readOnly, mountOptions: spec.mountOptions })
    const kind = Object.keys(spec).find(k => spec[k] && typeof spec[k] === 'object' && !knownFields.has(k)) ?? 'none'
    throw new Error(`persistentvolume "${volumeName}" has a volume source this node cannot mount (${kind})`)
  },
  async tearDown(ctx) {
    // Only NFS-backed claims leave anything under the pod dir.
    await removeVolumeDir(ctx.host.mounter, nfsDir(ctx))
  },
}

const knownFields = new Set(['capacity', 'claimRef', 'nodeAffinity', 'accessModes', 'mountOptions'])
