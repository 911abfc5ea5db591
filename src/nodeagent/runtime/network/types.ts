/**
 * The SandboxNetwork seam: how a runtime gives a pod sandbox its network (CNI's ADD/DEL in one
 * interface). Implemented by BridgeNetwork (runc) and LoopbackNetwork (process runtime, which
 * re-exports these types). Types and one message constant only.
 */

/** What a network needs to know about a sandbox. */
export interface SandboxNetworkRequest {
  /** The sandbox id: names the namespace and the veth, and owns the IP. */
  id: string
  /** The pod's metadata.uid. */
  uid: string
  namespace: string
  name: string
}

/** What a network gave a sandbox: its IP, and the network namespace containers join (if any). */
export interface SandboxNetworkResult {
  ip?: string
  /** e.g. /var/run/netns/<name> (OCI `linux.namespaces[{type: network, path}]`); absent: the node's. */
  netnsPath?: string
}

/**
 * How sandboxes get their network. Runtimes call setup when a sandbox is created (not for
 * hostNetwork pods), teardown when it stops, and adopt for sandboxes that survived a restart.
 * Calls for different sandboxes may run concurrently.
 */
export interface SandboxNetwork {
  /** Readiness for the node's Ready condition; message says why not. */
  status(): { ready: boolean; message?: string }
  /** The node's podCIDR (CRI UpdateRuntimeConfig). */
  configure(config: { podCIDR?: string }): Promise<void>
  /** Gives a sandbox its network; rejects NetworkNotReady when it cannot (nothing left behind). */
  setup(sandbox: SandboxNetworkRequest): Promise<SandboxNetworkResult>
  /** Releases what setup took; idempotent. */
  teardown(sandbox: SandboxNetworkRequest, result: SandboxNetworkResult): Promise<void>
  /** Marks what a surviving sandbox holds as taken (after an agent restart). */
  adopt(sandbox: SandboxNetworkRequest, result: SandboxNetworkResult): void
  /**
   * Removes what sandboxes not in live (ids) left behind: namespaces, links and IPs of a crashed
   * run. Optional; runtimes call it once after loading their records.
   */
  gc?(live: Iterable<string>): Promise<unknown>
}

/** The kubelet's message while no podCIDR is known. */
export const cniNotInitialized =
  'NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized'
