/**
 * One scheduling cycle for one pod (upstream schedulePod): PreFilter (volumes), Filter on every
 * node, Score the feasible ones, pick the best; or explain, in upstream's words, why none fits.
 * Pure: node usage and volume lookups come in; the decision goes out.
 */
import type { Node } from '../../api/core.js'
import type { Pod } from '../../api/pod.js'
import { getControllerOf } from '../../machinery/objects.js'
import {
  type FilterInput,
  filterNode,
  type NodeCandidate,
  type NodeUsage,
  podHostPorts,
  type Rejection,
} from './filters.js'
import { fitErrorMessage } from './messages.js'
import { type Allocatable, nodeAllocatable, nonZeroRequests, podRequests } from './resources.js'
import { rankNodes } from './scoring.js'
import { effectiveTaints } from './taints.js'
import type { PodVolumes, VolumeLookup } from './volumes.js'

/** What one cycle reads. */
export interface CycleInput {
  pod: Pod
  nodes: Node[]
  usageOf(node: string): NodeUsage
  /** The pod's claims, when it has any (from podVolumes). */
  volumes?: PodVolumes
  lookup?: Pick<VolumeLookup, 'nodeExists'>
}

/** The decision: a node, or why there is none. */
export type CycleResult =
  | { node: string }
  | { failure: { reason: 'Unschedulable' | 'SchedulerError'; message: string } }

// Parsed node facts, memoised per cached Node object (informers replace objects on change).
const nodeFacts = new WeakMap<Node, { allocatable: Allocatable; taints: NodeCandidate['taints'] }>()

function candidateOf(node: Node, usageOf: (n: string) => NodeUsage): NodeCandidate {
  let facts = nodeFacts.get(node)
  if (!facts) nodeFacts.set(node, (facts = { allocatable: nodeAllocatable(node), taints: effectiveTaints(node) }))
  const name = node.metadata.name ?? ''
  return { node, name, ...facts, usage: usageOf(name) }
}

/** Runs PreFilter, Filter and Score for the pod. */
export function scheduleOne(input: CycleInput): CycleResult {
  const { pod, nodes, volumes } = input
  if (volumes?.error) return { failure: { reason: 'SchedulerError', message: volumes.error } }
  const preemptionPolicy = pod.spec.preemptionPolicy
  if (nodes.length === 0 || volumes?.reject)
    return {
      failure: {
        reason: 'Unschedulable',
        message: fitErrorMessage({ numNodes: nodes.length, preFilter: volumes?.reject, nodes: [], preemptionPolicy }),
      },
    }
  const filter: FilterInput = {
    pod,
    requests: podRequests(pod),
    hostPorts: podHostPorts(pod),
    volumes,
    lookup: input.lookup,
  }
  const feasible: NodeCandidate[] = []
  const rejected: Rejection[] = []
  for (const node of nodes) {
    const c = candidateOf(node, input.usageOf)
    const r = filterNode(filter, c)
    if (r) rejected.push(r)
    else feasible.push(c)
  }
  if (feasible.length === 0)
    return {
      failure: {
        reason: 'Unschedulable',
        message: fitErrorMessage({ numNodes: nodes.length, nodes: rejected, preemptionPolicy }),
      },
    }
  const [best] = rankNodes(pod, nonZeroRequests(pod), getControllerOf(pod)?.uid, feasible)
  return { node: best!.name }
}
