/**
 * Pods as the PV controller sees them: which claims a pod uses (upstream common.PodPVCIndexFunc)
 * and whether it has terminated (volumeutil.IsPodTerminated). Pure.
 */
import type { KObject } from '../../api/meta.js'
import type { ContainerStatus, Pod } from '../../api/pod.js'
import type { IndexFunc } from '../../client/cache.js'

/** Index of pods by the `namespace/claim` keys of the claims they mount. */
export const POD_CLAIM_INDEX = 'pv-binder/podClaims'

/** The `namespace/claim` keys of every persistentVolumeClaim volume of the pod. */
export const byPodClaims: IndexFunc<KObject> = obj => {
  const pod = obj as Pod
  const keys: string[] = []
  for (const v of pod.spec?.volumes ?? [])
    if (v.persistentVolumeClaim?.claimName) keys.push(`${pod.metadata.namespace}/${v.persistentVolumeClaim.claimName}`)
  return keys
}

const notRunning = (statuses: ContainerStatus[] | undefined) =>
  (statuses ?? []).every(s => s.state?.terminated !== undefined || s.state?.waiting !== undefined)

/** IsPodTerminated: Succeeded or Failed, or being deleted with no container running. */
export function isPodTerminated(pod: Pod): boolean {
  const s = pod.status ?? {}
  if (s.phase === 'Failed' || s.phase === 'Succeeded') return true
  return !!pod.metadata.deletionTimestamp && notRunning(s.initContainerStatuses) && notRunning(s.containerStatuses)
}
