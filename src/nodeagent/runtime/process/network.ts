/**
 * The process runtime's sandbox network (the SandboxNetwork seam lives in ../network/types.ts,
 * re-exported here for the runtimes): every pod gets its own loopback address, the node's podCIDR mapped into
 * 127/8 (10.244.1.5 → 127.244.1.5). Linux routes all of 127/8 to `lo`, so nothing is configured:
 * a process binding 0.0.0.0 or its pod address is reachable at that address from the node.
 */
import {
  cniNotInitialized,
  type SandboxNetwork,
  type SandboxNetworkRequest,
  type SandboxNetworkResult,
} from '../network/types.js'
import { NetworkNotReady } from '../runtime.js'
import { IPPool, parseCIDRv4 } from '../simulated/ip-pool.js'

export type { SandboxNetwork, SandboxNetworkRequest, SandboxNetworkResult } from '../network/types.js'
export { cniNotInitialized }

/** Maps an IPv4 address into 127/8, keeping its lower three octets. */
export function loopbackOf(ip: string): string {
  return `127.${ip.split('.').slice(1).join('.')}`
}

/** The podCIDR address a loopback address stands for (inverse of loopbackOf). */
export function podAddressOf(loopback: string, podCIDR: string): string {
  return `${podCIDR.split('.')[0]}.${loopback.split('.').slice(1).join('.')}`
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
    for (const ip of this.held) this.pool.reserve(podAddressOf(ip, config.podCIDR))
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
    if (this.pool) this.pool.release(podAddressOf(result.ip, this.pool.cidr))
  }

  adopt(_sandbox: SandboxNetworkRequest, result: SandboxNetworkResult): void {
    if (!result.ip) return
    this.held.add(result.ip)
    if (this.pool) this.pool.reserve(podAddressOf(result.ip, this.pool.cidr))
  }
}
