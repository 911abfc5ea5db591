/**
 * The Filter step (upstream default filter plugins, in their order): NodeUnschedulable,
 * TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, VolumeBinding. A node either fits
 * or yields the reasons of the first plugin that rejects it, and whether preemption could help
 * (only resource shortage is resolvable). Pure.
 */
import type { Node, Taint } from '../../api/core.js'
import type { Pod } from '../../api/pod.js'
import { podFitsNodeAffinity } from './node-affinity.js'
import type { Allocatable, Resources } from './resources.js'
import { blockedByCordon, firstUntoleratedTaint } from './taints.js'
import { type PodVolumes, type VolumeLookup, volumeConflict } from './volumes.js'

/** What is already placed on a node. */
export interface NodeUsage {
  /** Sum of the requests of the pods on the node. */
  requested: Resources
  /** The same with scoring defaults for pods that request nothing. */
  nonZeroRequested: Resources
  pods: number
  /** Pods per controller owner uid (for spreading). */
  owners: Map<string, number>
  /** Host ports in use, as "protocol/port". */
  hostPorts: Map<string, number>
}

/** A node as one scheduling cycle sees it. */
export interface NodeCandidate {
  node: Node
  name: string
  allocatable: Allocatable
  /** Its taints including the implicit condition taints. */
  taints: Taint[]
  usage: NodeUsage
}

/** Why a node was rejected. */
export interface Rejection {
  reasons: string[]
  /** UnschedulableAndUnresolvable: preemption cannot help on this node. */
  unresolvable: boolean
}

/** Upstream reason texts of the node filters (1.32). */
export const FilterReasons = {
  unschedulable: 'node(s) were unschedulable',
  affinity: "node(s) didn't match Pod's node affinity/selector",
  ports: "node(s) didn't have free ports for the requested pod ports",
  tooManyPods: 'Too many pods',
} as const

/** "protocol/port" of every host port the pod asks for. */
export function podHostPorts(pod: Pod): string[] {
  const out: string[] = []
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers])
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`${p.protocol ?? 'TCP'}/${p.hostPort}`)
  return out
}

/** NodeResourcesFit: the shortages, in upstream's order. */
function insufficient(req: Resources, c: NodeCandidate): string[] {
  const out: string[] = []
  if (c.usage.pods + 1 > c.allocatable.pods) out.push(FilterReasons.tooManyPods)
  const free = (k: keyof Resources) => c.allocatable[k] - c.usage.requested[k]
  if (req.milliCPU > 0 && req.milliCPU > free('milliCPU')) out.push('Insufficient cpu')
  if (req.memory > 0 && req.memory > free('memory')) out.push('Insufficient memory')
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > free('ephemeralStorage'))
    out.push('Insufficient ephemeral-storage')
  return out
}

/** Inputs shared by every node of one cycle. */
export interface FilterInput {
  pod: Pod
  requests: Resources
  hostPorts: string[]
  /** The pod's claims (absent when it uses none). */
  volumes?: PodVolumes
  lookup?: Pick<VolumeLookup, 'nodeExists'>
}

/** Runs the filters on one node: undefined when the pod fits. */
export function filterNode(input: FilterInput, c: NodeCandidate): Rejection | undefined {
  const { pod } = input
  if (blockedByCordon(pod, c.node)) return { reasons: [FilterReasons.unschedulable], unresolvable: true }
  const taint = firstUntoleratedTaint(pod, c.taints)
  if (taint)
    return { reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`], unresolvable: true }
  if (!podFitsNodeAffinity(pod, c.node)) return { reasons: [FilterReasons.affinity], unresolvable: true }
  if (input.hostPorts.some(p => (c.usage.hostPorts.get(p) ?? 0) > 0))
    return { reasons: [FilterReasons.ports], unresolvable: false }
  const short = insufficient(input.requests, c)
  if (short.length) return { reasons: short, unresolvable: false }
  if (input.volumes && input.lookup) {
    const conflict = volumeConflict(input.volumes, c.node, input.lookup)
    if (conflict) return { reasons: [conflict], unresolvable: true }
  }
  return undefined
}
