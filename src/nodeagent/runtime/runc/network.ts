/**
 * NodeAddressNetwork: the runc runtime's network until a pod network is wired in (the
 * SandboxNetwork seam; `../network/` has the bridge network). Containers join the node's network
 * namespace, and every sandbox reports the node's address as its IP: pods reach each other and
 * are reached at <node IP>:<port>, so two pods of a node cannot listen on the same port.
 */
import { networkInterfaces } from 'node:os'
import { cniNotInitialized, type SandboxNetwork, type SandboxNetworkResult } from '../process/network.js'
import { NetworkNotReady } from '../runtime.js'

/** The node's first non-internal IPv4 address, else 127.0.0.1. */
export function primaryIPv4(): string {
  for (const addrs of Object.values(networkInterfaces()))
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address
  return '127.0.0.1'
}

/** Sandboxes share the node's network (see the module comment). */
export class NodeAddressNetwork implements SandboxNetwork {
  private configured = false

  constructor(private readonly nodeIP: string = primaryIPv4()) {}

  // Ready once the node has a podCIDR, like a CNI plugin: the node's Ready condition waits for it.
  status(): { ready: boolean; message?: string } {
    return this.configured ? { ready: true } : { ready: false, message: cniNotInitialized }
  }

  async configure(config: { podCIDR?: string }): Promise<void> {
    if (config.podCIDR) this.configured = true
  }

  async setup(): Promise<SandboxNetworkResult> {
    if (!this.configured) throw new NetworkNotReady(`container runtime network not ready: ${cniNotInitialized}`)
    return { ip: this.nodeIP }
  }

  async teardown(): Promise<void> {}

  adopt(): void {}
}
