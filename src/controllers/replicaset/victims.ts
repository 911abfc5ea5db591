/**
 * Which pods a ReplicaSet deletes first when it has too many (upstream controller.ActivePodsWithRanks
 * with the PodDeletionCost and LogarithmicScaleDown gates on, as in 1.32). Pure: "now" is an argument.
 */
import type { Pod } from '../../api/pod.js'
import { isPodActive, isPodReady, maxContainerRestarts, podDeletionCost, podReadyTime, timeOf } from './pods.js'

/** A pod with its rank: how many active related pods share its node. */
export interface RankedPod {
  pod: Pod
  rank: number
}

const phaseOrdinal = (pod: Pod): number => {
  const phase = pod.status?.phase
  // Go's map lookup yields 0 for phases not in the table, the same as Pending.
  return phase === 'Running' ? 2 : phase === 'Unknown' ? 1 : 0
}

/** afterOrZero: a zero time sorts first; otherwise the later time sorts first. */
function afterOrZero(t1: number, t2: number): boolean {
  if (t1 === 0 || t2 === 0) return t1 === 0
  return t1 > t2
}

/** logarithmicRankDiff: compares floor(log2(age in ns)) of two times against now. */
function logarithmicRankDiff(t1: number, t2: number, now: number): number {
  const rank = (t: number) => {
    const ns = (now - t) * 1e6
    return ns > 0 ? Math.floor(Math.log2(ns)) : -1
  }
  return rank(t1) - rank(t2)
}

/** Compares two times newest-first on a logarithmic scale; ties broken by UID. */
function newerFirst(a: Pod, b: Pod, ta: number, tb: number, now: number): boolean {
  if (now === 0 || ta === 0 || tb === 0) return afterOrZero(ta, tb)
  const diff = logarithmicRankDiff(ta, tb, now)
  if (diff === 0) return (a.metadata.uid ?? '') < (b.metadata.uid ?? '')
  return diff < 0
}

/**
 * ActivePodsWithRanks.Less: true when `a` should be deleted before `b`.
 * 1 unassigned < assigned; 2 Pending < Unknown < Running; 3 not ready < ready; 4 lower deletion
 * cost; 5 higher rank (more colocated pods); 6 ready for less time; 7 more restarts; 8 newer.
 */
export function shouldDeleteFirst(a: RankedPod, b: RankedPod, now: number): boolean {
  const [pa, pb] = [a.pod, b.pod]
  const [na, nb] = [pa.spec.nodeName ?? '', pb.spec.nodeName ?? '']
  if (na !== nb && (na === '' || nb === '')) return na === ''
  if (phaseOrdinal(pa) !== phaseOrdinal(pb)) return phaseOrdinal(pa) < phaseOrdinal(pb)
  const [ra, rb] = [isPodReady(pa), isPodReady(pb)]
  if (ra !== rb) return !ra
  const [ca, cb] = [podDeletionCost(pa), podDeletionCost(pb)]
  if (ca !== cb) return ca < cb
  if (a.rank !== b.rank) return a.rank > b.rank
  if (ra && rb) {
    const [ta, tb] = [podReadyTime(pa), podReadyTime(pb)]
    if (ta !== tb) return newerFirst(pa, pb, ta, tb, now)
  }
  const [xa, xb] = [maxContainerRestarts(pa), maxContainerRestarts(pb)]
  if (xa !== xb) return xa > xb
  const [ta, tb] = [timeOf(pa.metadata.creationTimestamp), timeOf(pb.metadata.creationTimestamp)]
  if (ta !== tb) return newerFirst(pa, pb, ta, tb, now)
  return false
}

/** Ranks each pod by the number of active related pods on its node (getPodsRankedByRelatedPodsOnSameNode). */
export function rankByColocation(pods: Pod[], related: Pod[]): RankedPod[] {
  const onNode = new Map<string, number>()
  for (const p of related) {
    if (!isPodActive(p)) continue
    const node = p.spec.nodeName ?? ''
    onNode.set(node, (onNode.get(node) ?? 0) + 1)
  }
  return pods.map(pod => ({ pod, rank: onNode.get(pod.spec.nodeName ?? '') ?? 0 }))
}

/**
 * getPodsToDelete: the `diff` pods to delete out of `pods`, preferring those earliest in start-up.
 * `related` are the active pods of every ReplicaSet with the same controller (for the rank).
 */
export function getPodsToDelete(pods: Pod[], related: Pod[], diff: number, now: number): Pod[] {
  if (diff >= pods.length) return pods.slice(0, diff)
  const ranked = rankByColocation(pods, related)
  ranked.sort((a, b) => (shouldDeleteFirst(a, b, now) ? -1 : shouldDeleteFirst(b, a, now) ? 1 : 0))
  return ranked.slice(0, diff).map(r => r.pod)
}
