/**
 * Makes the cluster DNS reachable at its Service address (kube-dns, 10.96.0.10:53) without a
 * proxy hop: the address goes on the service link, the DNS server binds it itself, and the proxy
 * is told to leave that address:port alone. Call before startDnsServer and startServiceProxy.
 */
import type { ServiceAddresses } from './service-addresses.js'
import type { ProxyExclusion } from './service-table.js'

/** The kube-dns ClusterIP of the default service CIDR (architecture.md). */
export const defaultClusterDnsIP = '10.96.0.10'

/** What prepareClusterDns hands back. */
export interface ClusterDnsBinding {
  /** Add to the DNS server's `listen` (UDP and TCP). */
  listen: { host: string; port: number }
  /** Add to the proxy's `exclude`. */
  exclude: ProxyExclusion
  /** Drops the address reference (after the DNS server closed). */
  release(): Promise<void>
}

/** Puts the DNS Service address on the service link; resolves once it can be bound. */
export async function prepareClusterDns(
  addresses: ServiceAddresses,
  opts: { ip?: string; port?: number } = {},
): Promise<ClusterDnsBinding> {
  const ip = opts.ip ?? defaultClusterDnsIP
  const port = opts.port ?? 53
  await addresses.acquire(ip)
  return { listen: { host: ip, port }, exclude: { ip, port }, release: () => addresses.release(ip) }
}
