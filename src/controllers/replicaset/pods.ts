/**
 * Pod predicates the ReplicaSet controller decides with (upstream podutil and controller_utils):
 * active, ready, available after minReadySeconds, restart counts, deletion cost. Pure: time comes
 * in as an argument; nothing here reads a clock or does I/O.
 */
import type { Pod, PodCondition } from '../../api/pod.js'

/** Annotation that orders pods for deletion within one ReplicaSet (lower cost goes first). */
export const PodDeletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost'

/** controller.IsPodActive: not Succeeded, not Failed, not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp
}

/** The pod's Ready condition, if it has one. */
export function podReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find(c => c.type === 'Ready')
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True'
}

/** Milliseconds of an RFC 3339 timestamp; 0 (Go's zero time) when absent or unparsable. */
export function timeOf(ts: string | null | undefined): number {
  if (!ts) return 0
  const ms = Date.parse(ts)
  return Number.isNaN(ms) ? 0 : ms
}

/**
 * podutil.IsPodAvailable: ready, and either minReadySeconds is 0 or the Ready condition turned
 * True more than minReadySeconds before now.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false
  if (!minReadySeconds) return true
  const since = timeOf(podReadyCondition(pod)?.lastTransitionTime)
  return since !== 0 && since + minReadySeconds * 1000 < now
}

/** When the pod last became ready (ms), 0 when it is not ready. */
export function podReadyTime(pod: Pod): number {
  return isPodReady(pod) ? timeOf(podReadyCondition(pod)?.lastTransitionTime) : 0
}

/** The highest restart count among the pod's containers. */
export function maxContainerRestarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map(c => c.restartCount ?? 0))
}

/**
 * helper.GetDeletionCostFromPodAnnotations: the int32 cost, 0 when absent or invalid ("+1", "007"
 * and values beyond int32 are invalid, as upstream).
 */
export function podDeletionCost(pod: Pod): number {
  const v = pod.metadata.annotations?.[PodDeletionCostAnnotation]
  // validFirstDigit, then strconv.ParseInt(v, 10, 32): "-007" is -7, "007" and "+7" are invalid.
  if (v === undefined || !/^(-[0-9]+|0|[1-9][0-9]*)$/.test(v)) return 0
  const n = Number(v)
  return n < -2147483648 || n > 2147483647 ? 0 : n + 0
}
