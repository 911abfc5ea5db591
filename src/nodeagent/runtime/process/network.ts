/**
 * The sandbox network hook shared by the process and runc runtimes, and the process runtime's
 * implementation: every pod gets its own loopback address, the node's podCIDR mapped into
 * 127/8 (10.244.1.5 → 127.244.1.5). Linux routes all of 127/8 to `lo`, so nothing is configured:
 * a process binding 0.0.0.0 or its pod address is reachable at that address from the node.
 */

import { NetworkNotReady } from '../runtime.js'
import { IPPool, parseCIDRv4 } from '../simulated/ip-pool.js'

/** What a network needs to know about a sandbox. */
export interface SandboxNetworkRequest {
  id: string
  uid: string
  namespace: string
  name: string
}

/** What a network gave a sandbox: its IP, and the network namespace containers join (if any). */
export interface SandboxNetworkResult {
  ip?: string
  /** e.g. /var/run/netns/<name>; absent: containers share the node's network namespace. */
  netnsPath?: string
}

/**
 * How sandboxes get their network (CNI's place in the CRI). Runtimes call setup when a sandbox
 * is created (not for hostNetwork pods), teardown when it stops, and adopt for sandboxes that
 * survived an agent restart.
 */
export interface SandboxNetwork {
  /** Readiness for the node's Ready condition; message says why not. */
  status(): { ready: boolean; message?: string }
  /** The node's podCIDR (CRI UpdateRuntimeConfig). */
  configure(config: { podCIDR?: string }): Promise<void>
  /** Gives a sandbox its network; rejects NetworkNotReady when it cannot. */
  setup(sandbox: SandboxNetworkRequest): Promise<SandboxNetworkResult>
  /** Releases what setup took; idempotent. */
  teardown(sandbox: SandboxNetworkRequest, result: SandboxNetworkResult): Promise<void>
  /** Marks what a surviving sandbox holds as taken (after an agent restart). */
  adopt(sandbox: SandboxNetworkRequest, result: SandboxNetworkResult): void
}

/** The kubelet's message while no podCIDR is known. */
export const cniNotInitialized =
  'NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized'

/** Maps an IPv4 address into 127/8, keeping its lower three octets. */
export function loopbackOf(ip: string): string {
  return `127.${ip.split('.').slice(1).join('.')}`
}

/** Per-pod loopback addresses from the podCIDR (see the module comment). */
export class LoopbackNetwork implements SandboxNetwork {
  private pool: IPPool | undefined
  /** Loopback addresses of adopted sandboxes, reserved once the podCIDR is known. */
  private readonly held = new Set<string>()

  status(): { ready: boolean; message?: string } {
    return this.pool ? { ready: true } : { ready: false, message: cniNotInitialized }
  }

  async configure(config: { podCIDR?: string }): Promise<void> {
    if (!config.podCIDR || config.podCIDR === this.pool?.cidr) return
    const { prefix } = parseCIDRv4(config.podCIDR)
    if (prefix < 8) throw new Error(`podCIDR ${config.podCIDR} is wider than a /8: it cannot be mapped into 127/8`)
    this.pool = new IPPool(config.podCIDR)
    const first = config.podCIDR.split('.')[0]
    for (const ip of this.held) this.pool.reserve(`${first}.${ip.split('.').slice(1).join('.')}`)
  }

  async setup(): Promise<SandboxNetworkResult> {
    if (!this.pool) throw new NetworkNotReady(`container runtime network not ready: ${cniNotInitialized}`)
    const ip = this.pool.allocate()
    if (!ip)
      throw new NetworkNotReady(
        `failed to allocate for range 0: no IP addresses available in range set: ${this.pool.rangeText()}`,
      )
    const loop = loopbackOf(ip)
    this.held.add(loop)
    return { ip: loop }
  }

  async teardown(_sandbox: SandboxNetworkRequest, result: SandboxNetworkResult): Promise<void> {
    if (!result.ip || !this.held.delete(result.ip)) return
    if (this.pool) this.pool.release(`${this.pool.cidr.split('.')[0]}.${result.ip.split('.').slice(1).join('.')}`)
  }

  adopt(_sandbox: SandboxNetworkRequest, result: SandboxNetworkResult): void {
    if (!result.ip) return
    this.held.add(result.ip)
    if (this.pool) this.pool.reserve(`${this.pool.cidr.split('.')[0]}.${result.ip.split('.').slice(1).join('.')}`)
  }
}
