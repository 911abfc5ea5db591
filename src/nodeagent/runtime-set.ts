/**
 * The runtimes of one agent and how pods are routed to them. The first runtime is the node's
 * own (its name is the node's containerRuntimeVersion); a pod may ask for another one with the
 * annotation `petset.dev/runtime: simulated|process|runc`, read once when the pod arrives on the
 * node. A pod asking for a runtime the node does not have gets FailedCreatePodSandBox events.
 * Each runtime comes with its prober (simulated pods keep simulated readiness).
 */
import type { Pod } from '../api/pod.js'
import type { Prober } from './probes/prober.js'
import type { ContainerRuntime } from './runtime/runtime.js'

/** The pod annotation that picks a runtime on nodes that have several. */
export const RuntimeAnnotation = 'petset.dev/runtime'

/** One runtime with its prober. */
export interface RuntimeEntry {
  runtime: ContainerRuntime
  prober: Prober
}

/** The agent's runtimes, the node's own first. */
export class RuntimeSet {
  readonly entries: readonly RuntimeEntry[]

  constructor(primary: RuntimeEntry, extra: RuntimeEntry[] = []) {
    this.entries = [primary, ...extra.filter(e => e.runtime.name !== primary.runtime.name)]
  }

  /** The node's own runtime. */
  get primary(): RuntimeEntry {
    return this.entries[0]!
  }

  /** The entry of a runtime by name. */
  byName(name: string): RuntimeEntry | undefined {
    return this.entries.find(e => e.runtime.name === name)
  }

  /** The runtime a pod runs on, or why it cannot run here. */
  forPod(pod: Pod): RuntimeEntry | { error: string } {
    const wanted = pod.metadata.annotations?.[RuntimeAnnotation]?.trim()
    if (!wanted) return this.primary
    const entry = this.byName(wanted)
    if (entry) return entry
    const names = this.entries.map(e => e.runtime.name).join(', ')
    return {
      error: `runtime "${wanted}" (annotation ${RuntimeAnnotation}) is not available on this node; it has: ${names}`,
    }
  }
}

/**
 * The upper half of an IPv4 podCIDR (10.244.1.0/24 → 10.244.1.128/25). NOTE: runtimes other
 * than the node's own allocate from it so their pod IPs never collide with the primary's (which
 * hands out addresses from the bottom); IPv6 or /31+ CIDRs are returned unchanged.
 */
export function secondaryCIDR(cidr: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr)
  if (!m) return cidr
  const prefix = Number(m[5])
  if (prefix >= 31) return cidr
  const base = m.slice(1, 5).reduce((a, o) => a * 256 + Number(o), 0)
  const start = base + 2 ** (32 - prefix - 1)
  const octets = [24, 16, 8, 0].map(s => Math.floor(start / 2 ** s) % 256)
  return `${octets.join('.')}/${prefix + 1}`
}
