/**
 * The Node the agent registers and the status it reports (the kubelet's initialNode and
 * nodestatus setters): labels, capacity and allocatable, the pressure conditions and Ready (last,
 * as upstream keeps it), addresses, nodeInfo and the kubelet endpoint. Transition times carry over
 * while a condition holds; heartbeat times are now. PURE: time and host facts are inputs.
 */
import type { Node, NodeAddress, NodeCondition, NodeStatus, NodeSystemInfo, ResourceList } from '../api/core.js'
import { deepEqual } from '../machinery/objects.js'
import { quantityToBytes } from '../machinery/quantity.js'
import type { RuntimeHealth } from './runtime/runtime.js'
import { formatTime } from './time.js'

/** What the node reports about itself. */
export interface NodeFacts {
  name: string
  capacity: ResourceList
  addresses: NodeAddress[]
  nodeInfo: NodeSystemInfo
  /** The kubelet API port (daemonEndpoints.kubeletEndpoint.Port). */
  kubeletPort: number
}

/** The Node object the agent creates when it registers (status included, as the kubelet does). */
export function initialNode(facts: NodeFacts, extraLabels: Record<string, string> = {}): Node {
  const { architecture = 'amd64', operatingSystem = 'linux' } = facts.nodeInfo
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: facts.name,
      labels: {
        'beta.kubernetes.io/arch': architecture,
        'beta.kubernetes.io/os': operatingSystem,
        'kubernetes.io/arch': architecture,
        'kubernetes.io/hostname': facts.name,
        'kubernetes.io/os': operatingSystem,
        ...extraLabels,
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {},
  }
}

/** Allocatable = capacity minus the kubelet's default hard eviction thresholds (memory 100Mi, 10% disk). */
export function computeAllocatable(capacity: ResourceList): ResourceList {
  const out: ResourceList = { ...capacity }
  if (capacity.memory)
    out.memory = `${Math.max(0, Math.floor((quantityToBytes(capacity.memory) - 100 * 2 ** 20) / 1024))}Ki`
  if (capacity['ephemeral-storage'])
    out['ephemeral-storage'] = String(Math.floor(quantityToBytes(capacity['ephemeral-storage']) * 0.9))
  return out
}

type Cond = { type: string; status: 'True' | 'False'; reason: string; message: string; event: string }

/** The four conditions the kubelet owns, in upstream's order (Ready last). */
function ownConditions(health: RuntimeHealth, capacity: ResourceList): Cond[] {
  const errors: string[] = []
  if (!health.runtimeReady) errors.push(`container runtime is down: ${health.runtimeMessage ?? 'runtime not ready'}`)
  if (!health.networkReady)
    errors.push(`container runtime network not ready: ${health.networkMessage ?? 'network not ready'}`)
  const missing = ['cpu', 'memory', 'pods', 'ephemeral-storage'].filter(r => !(r in capacity))
  if (missing.length) errors.push(`Missing node capacity for resources: ${missing.join(', ')}`)
  const ready: Cond = errors.length
    ? { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: errors.join(','), event: 'NodeNotReady' }
    : {
        type: 'Ready',
        status: 'True',
        reason: 'KubeletReady',
        message: 'kubelet is posting ready status',
        event: 'NodeReady',
      }
  return [
    {
      type: 'MemoryPressure',
      status: 'False',
      reason: 'KubeletHasSufficientMemory',
      message: 'kubelet has sufficient memory available',
      event: 'NodeHasSufficientMemory',
    },
    {
      type: 'DiskPressure',
      status: 'False',
      reason: 'KubeletHasNoDiskPressure',
      message: 'kubelet has no disk pressure',
      event: 'NodeHasNoDiskPressure',
    },
    {
      type: 'PIDPressure',
      status: 'False',
      reason: 'KubeletHasSufficientPID',
      message: 'kubelet has sufficient PID available',
      event: 'NodeHasSufficientPID',
    },
    ready,
  ]
}

/** Inputs of computeNodeStatus. */
export interface NodeStatusInput {
  /** The Node as the API holds it (its status is the previous one). */
  node: Node
  facts: NodeFacts
  health: RuntimeHealth
  now: number
}

/** The status to post, and the node events its condition transitions call for (NodeReady, ...). */
export function computeNodeStatus(input: NodeStatusInput): { status: NodeStatus; events: string[] } {
  const old = input.node.status ?? {}
  const now = formatTime(input.now)
  const own = ownConditions(input.health, input.facts.capacity)
  const ownTypes = new Set(own.map(c => c.type))
  const events: string[] = []
  const conditions: NodeCondition[] = (old.conditions ?? []).filter(c => !ownTypes.has(c.type)).map(c => ({ ...c }))
  for (const c of own) {
    const prev = old.conditions?.find(x => x.type === c.type)
    const changed = prev?.status !== c.status
    if (changed) events.push(c.event)
    conditions.push({
      type: c.type,
      status: c.status,
      lastHeartbeatTime: now,
      lastTransitionTime: !changed && prev?.lastTransitionTime ? prev.lastTransitionTime : now,
      reason: c.reason,
      message: c.message,
    })
  }
  const status: NodeStatus = {
    capacity: { ...input.facts.capacity },
    allocatable: computeAllocatable(input.facts.capacity),
    conditions,
    addresses: input.facts.addresses.map(a => ({ ...a })),
    daemonEndpoints: { kubeletEndpoint: { Port: input.facts.kubeletPort } },
    nodeInfo: { ...input.facts.nodeInfo },
  }
  if (old.images) status.images = structuredClone(old.images)
  if (old.volumesInUse) status.volumesInUse = [...old.volumesInUse]
  if (old.volumesAttached) status.volumesAttached = structuredClone(old.volumesAttached)
  return { status, events }
}

/** Whether next differs from the node's status in more than heartbeat times (worth posting now). */
export function isNodeStatusChanged(node: Node, next: NodeStatus): boolean {
  const strip = (s: NodeStatus | undefined) =>
    JSON.parse(JSON.stringify({ ...s, conditions: s?.conditions?.map(({ lastHeartbeatTime: _, ...c }) => c) }))
  return !deepEqual(strip(node.status), strip(next))
}

/** Pod IPs an IPv4 podCIDR holds (network, gateway and broadcast excluded), or undefined if unparsable. */
export function podCIDRCapacity(cidr: string): number | undefined {
  const m = /^\d{1,3}(?:\.\d{1,3}){3}\/(\d{1,2})$/.exec(cidr.trim())
  const prefix = Number(m?.[1])
  if (!m || prefix > 30) return undefined
  return 2 ** (32 - prefix) - 3
}
