/**
 * The Score step: ranks the nodes a pod fits on, best first. Lexicographic rather than upstream's
 * weighted sum, so the outcome is predictable: required-ness first (preferred node affinity
 * weight, then fewest untolerated PreferNoSchedule taints), then spreading (fewest pods of the
 * same controller owner), then least requested (cpu and memory after placement, with scoring
 * defaults for pods without requests), then the node name. Pure.
 */
import type { Pod } from '../../api/pod.js'
import type { NodeCandidate } from './filters.js'
import { preferredAffinityWeight } from './node-affinity.js'
import type { Resources } from './resources.js'
import { intolerablePreferNoSchedule } from './taints.js'

/** Fraction of cpu and memory in use once the pod is placed (LeastAllocated's measure, 0..1+). */
export function requestedFraction(c: NodeCandidate, pod: Resources): number {
  const part = (used: number, cap: number) => (cap > 0 ? used / cap : 1)
  const cpu = part(c.usage.nonZeroRequested.milliCPU + pod.milliCPU, c.allocatable.milliCPU)
  const mem = part(c.usage.nonZeroRequested.memory + pod.memory, c.allocatable.memory)
  return (cpu + mem) / 2
}

/** The sort key of one node: smaller is better. */
function key(pod: Pod, nonZero: Resources, ownerUid: string | undefined, c: NodeCandidate): number[] {
  return [
    -preferredAffinityWeight(pod, c.node),
    intolerablePreferNoSchedule(pod, c.taints),
    ownerUid ? (c.usage.owners.get(ownerUid) ?? 0) : 0,
    requestedFraction(c, nonZero),
  ]
}

/** The feasible nodes ordered best first (deterministic: ties go to the smaller name). */
export function rankNodes(
  pod: Pod,
  nonZero: Resources,
  ownerUid: string | undefined,
  feasible: NodeCandidate[],
): NodeCandidate[] {
  const keyed = feasible.map(c => ({ c, k: key(pod, nonZero, ownerUid, c) }))
  keyed.sort((a, b) => {
    for (let i = 0; i < a.k.length; i++) if (a.k[i] !== b.k[i]) return a.k[i]! - b.k[i]!
    return a.c.name < b.c.name ? -1 : a.c.name > b.c.name ? 1 : 0
  })
  return keyed.map(x => x.c)
}
