/**
 * The SandboxNetwork seam: how a runtime gives a pod sandbox its network (CNI's ADD/DEL in one
 * interface). The runtime calls setup before it starts the sandbox's first process and teardown
 * when the sandbox stops; implementations own namespaces, links and addresses. Types only.
 */

/** The sandbox as the network sees it. */
export interface NetworkSandbox {
  /** The sandbox id: names the namespace and the veth, and owns the IP. */
  id: string
  /** The pod's metadata.uid. */
  uid: string
  namespace: string
  name: string
}

/** What setup hands back to the runtime. */
export interface SandboxNetworkResult {
  /** The pod IP. */
  ip: string
  /** The network namespace to join (OCI `linux.namespaces[{type: network, path}]`); absent: the host's. */
  netnsPath?: string
}

/** Gives sandboxes their network. Calls for different sandboxes may run concurrently. */
export interface SandboxNetwork {
  /** Creates the sandbox's namespace, interface and address; rejects (nothing left behind) on failure. */
  setup(sandbox: NetworkSandbox): Promise<SandboxNetworkResult>
  /** Removes what setup created and frees the IP; idempotent (nothing there is not an error). */
  teardown(sandbox: NetworkSandbox): Promise<void>
}
