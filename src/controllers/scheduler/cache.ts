/**
 * The scheduler's in-memory view of what runs where (upstream's scheduler cache): per node, the
 * summed requests, pod count, pods per owner and host ports of the pods bound or assumed there.
 * Updated from pod events and at once when the scheduler assumes a pod, so a burst of thousands
 * of pods never waits for a re-list. Idempotent by pod uid. No I/O.
 */
import type { Pod } from '../../api/pod.js'
import { getControllerOf } from '../../machinery/objects.js'
import { type NodeUsage, podHostPorts } from './filters.js'
import { nonZeroRequests, podRequests, type Resources, zeroResources } from './resources.js'

interface Placed {
  node: string
  requests: Resources
  nonZero: Resources
  owner?: string
  hostPorts: string[]
}

const emptyUsage = (): NodeUsage => ({
  requested: zeroResources(),
  nonZeroRequested: zeroResources(),
  pods: 0,
  owners: new Map(),
  hostPorts: new Map(),
})

function apply(u: NodeUsage, p: Placed, sign: 1 | -1): void {
  for (const k of ['milliCPU', 'memory', 'ephemeralStorage'] as const) {
    u.requested[k] += sign * p.requests[k]
    u.nonZeroRequested[k] += sign * p.nonZero[k]
  }
  u.pods += sign
  const bump = (m: Map<string, number>, key: string) => {
    const n = (m.get(key) ?? 0) + sign
    if (n > 0) m.set(key, n)
    else m.delete(key)
  }
  if (p.owner) bump(u.owners, p.owner)
  for (const port of p.hostPorts) bump(u.hostPorts, port)
}

/** Pods that no longer hold resources on their node. */
export const isTerminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed'

/** Node usage keyed by node name. */
export class SchedulerCache {
  private readonly usage = new Map<string, NodeUsage>()
  private readonly placed = new Map<string, Placed>()

  /** Counts pod on node (bound, or assumed while its binding is in flight); moves it if it was elsewhere. */
  add(pod: Pod, node: string): void {
    const uid = pod.metadata.uid ?? ''
    const prev = this.placed.get(uid)
    if (prev?.node === node) return
    if (prev) this.remove(uid)
    const p: Placed = {
      node,
      requests: podRequests(pod),
      nonZero: nonZeroRequests(pod),
      owner: getControllerOf(pod)?.uid,
      hostPorts: podHostPorts(pod),
    }
    this.placed.set(uid, p)
    let u = this.usage.get(node)
    if (!u) this.usage.set(node, (u = emptyUsage()))
    apply(u, p, 1)
  }

  /** Stops counting a pod (deleted, terminal, or an assumption that did not hold). */
  remove(uid: string): void {
    const p = this.placed.get(uid)
    if (!p) return
    this.placed.delete(uid)
    const u = this.usage.get(p.node)
    if (u) apply(u, p, -1)
  }

  /** Keeps the cache in step with a pod from the informer. */
  observe(pod: Pod): void {
    const node = pod.spec.nodeName
    if (!node || isTerminal(pod)) this.remove(pod.metadata.uid ?? '')
    else this.add(pod, node)
  }

  /** The node the cache counts a pod on, if any. */
  nodeOf(uid: string): string | undefined {
    return this.placed.get(uid)?.node
  }

  /** The usage of a node (a live object: copy before keeping it). */
  usageOf(node: string): NodeUsage {
    let u = this.usage.get(node)
    if (!u) this.usage.set(node, (u = emptyUsage()))
    return u
  }
}
