/**
 * Who may use the proxy: only this host and its pods. ClusterIPs live on a local link, and a host
 * answers ARP for its local addresses on every interface, so a LAN neighbour that routed the
 * service range here could otherwise reach services; without iptables the proxy checks the peer
 * itself. Allowed: loopback, the pod range, the service range and the host's own addresses.
 */
import { networkInterfaces } from 'node:os'
import { cidrContains, parseCIDRv4 } from '../runtime/network/cidr.js'

/** Decides whether a connection or datagram from ip is served. */
export type PeerFilter = (ip: string) => boolean

/** Options of localPeerFilter. */
export interface PeerFilterOptions {
  clusterCIDR: string
  serviceCIDR: string
  /** The host's addresses; default os.networkInterfaces(). */
  hostAddresses?: () => string[]
}

/** The host's own addresses (every interface, IPv4 and IPv6). */
export function hostAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap(list => (list ?? []).map(a => a.address))
}

/** A filter admitting only the host, its pods and the service range (IPv4-mapped forms included). */
export function localPeerFilter(opts: PeerFilterOptions): PeerFilter {
  const cluster = parseCIDRv4(opts.clusterCIDR)
  const services = parseCIDRv4(opts.serviceCIDR)
  const own = opts.hostAddresses ?? hostAddresses
  return raw => {
    const ip = raw.startsWith('::ffff:') ? raw.slice(7) : raw
    if (ip === '::1') return true
    if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) {
      if (ip.startsWith('127.') || cidrContains(cluster, ip) || cidrContains(services, ip)) return true
    }
    return own().includes(ip)
  }
}
