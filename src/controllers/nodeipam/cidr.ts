/**
 * IPv4 CIDR arithmetic for the node IPAM controller: the cluster CIDR split into per-node subnets,
 * lowest free first (kind's first node gets 10.244.0.0/24). Pure.
 * NOTE: nodeagent/runtime/simulated/ip-pool.ts parses IPv4 too; the rooms may not share code, so
 * the two small parsers live apart until one moves to machinery.
 */

/** Parses dotted-quad IPv4 into an unsigned 32-bit number; throws on anything else. */
export function parseIPv4(ip: string): number {
  const parts = ip.split('.')
  if (parts.length !== 4 || parts.some(p => !/^\d{1,3}$/.test(p) || Number(p) > 255))
    throw new Error(`invalid IPv4 address "${ip}"`)
  return parts.reduce((n, p) => n * 256 + Number(p), 0)
}

/** Formats an unsigned 32-bit number as dotted-quad IPv4. */
export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
}

/** An IPv4 network: base address and prefix length. */
export interface CIDR {
  base: number
  prefix: number
}

/** Parses "a.b.c.d/n" (host bits are cleared); throws on anything else. */
export function parseCIDR(cidr: string): CIDR {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(cidr.trim())
  if (!m || Number(m[2]) > 32) throw new Error(`invalid CIDR address: ${cidr}`)
  const prefix = Number(m[2])
  const size = 2 ** (32 - prefix)
  const ip = parseIPv4(m[1]!)
  return { base: ip - (ip % size), prefix }
}

/** "a.b.c.d/n". */
export function formatCIDR(c: CIDR): string {
  return `${formatIPv4(c.base)}/${c.prefix}`
}

/** The lowest subnet of size /maskSize inside cluster that no used CIDR overlaps, or undefined when full. */
export function allocateSubnet(cluster: string, maskSize: number, used: Iterable<string>): string | undefined {
  const net = parseCIDR(cluster)
  if (maskSize < net.prefix || maskSize > 32) throw new Error(`node mask size ${maskSize} does not fit ${cluster}`)
  const subnetSize = 2 ** (32 - maskSize)
  const count = 2 ** (maskSize - net.prefix)
  const taken = new Set<number>()
  for (const u of used) {
    let c: CIDR
    try {
      c = parseCIDR(u)
    } catch {
      continue
    }
    // Mark every subnet index the used range overlaps (it may be larger or smaller than one subnet).
    const start = Math.max(c.base, net.base)
    const end = Math.min(c.base + 2 ** (32 - c.prefix), net.base + 2 ** (32 - net.prefix))
    for (let a = start - ((start - net.base) % subnetSize); a < end; a += subnetSize)
      taken.add((a - net.base) / subnetSize)
  }
  for (let i = 0; i < count; i++)
    if (!taken.has(i)) return formatCIDR({ base: net.base + i * subnetSize, prefix: maskSize })
  return undefined
}
