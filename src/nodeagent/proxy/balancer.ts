/**
 * Backend selection for one service port: round robin over the ready backends, with optional
 * ClientIP affinity (a client keeps its backend while it stays and the timeout has not run out),
 * as kube-proxy's userspace LoadBalancerRR. Pure apart from its own state; time is injected.
 */
import type { Backend } from './service-table.js'

const keyOf = (b: Backend) => `${b.ip}:${b.port}`

/** Round-robin selector with optional client affinity. */
export class Balancer {
  private backends: Backend[] = []
  private cursor = 0
  private readonly sticky = new Map<string, { backend: string; lastUsed: number }>()

  constructor(
    private readonly now: () => number,
    private affinityMs?: number,
  ) {}

  /** Replaces the backends; affinities to backends that are gone are dropped. */
  update(backends: readonly Backend[], affinityTimeoutSeconds?: number): void {
    this.backends = [...backends]
    this.affinityMs = affinityTimeoutSeconds === undefined ? undefined : affinityTimeoutSeconds * 1000
    const live = new Set(this.backends.map(keyOf))
    for (const [client, s] of this.sticky) if (!live.has(s.backend) || !this.affinityMs) this.sticky.delete(client)
    if (this.cursor >= this.backends.length) this.cursor = 0
  }

  /** The current backends. */
  list(): readonly Backend[] {
    return this.backends
  }

  /**
   * The backends to try for a new connection, best first: the client's sticky backend, else the
   * next in round robin; the others follow (in ring order) as fallbacks if connecting fails.
   */
  order(clientIp?: string): Backend[] {
    const n = this.backends.length
    if (!n) return []
    let first = -1
    const now = this.now()
    if (this.affinityMs && clientIp) {
      const s = this.sticky.get(clientIp)
      if (s && now - s.lastUsed <= this.affinityMs) first = this.backends.findIndex(b => keyOf(b) === s.backend)
    }
    if (first < 0) {
      first = this.cursor % n
      this.cursor = (first + 1) % n
    }
    const out = Array.from({ length: n }, (_, i) => this.backends[(first + i) % n]!)
    if (this.affinityMs && clientIp) this.sticky.set(clientIp, { backend: keyOf(out[0]!), lastUsed: now })
    return out
  }

  /** Records that the client ended up on backend (after fallbacks), refreshing its affinity. */
  used(clientIp: string | undefined, backend: Backend): void {
    if (this.affinityMs && clientIp) this.sticky.set(clientIp, { backend: keyOf(backend), lastUsed: this.now() })
  }

  /** True while backend is one of the current backends. */
  has(backend: Backend): boolean {
    return this.backends.some(b => b.ip === backend.ip && b.port === backend.port)
  }
}
