/**
 * IPv4 and CIDR arithmetic for the pod network. Pure. (The simulated runtime's ip-pool has the
 * same three parsers; the two runtimes stay independent of each other.)
 */

/** Parses dotted-quad IPv4 into an unsigned 32-bit number; throws on anything else. */
export function parseIPv4(ip: string): number {
  const parts = ip.split('.')
  if (parts.length !== 4) throw new Error(`invalid IPv4 address "${ip}"`)
  let n = 0
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) throw new Error(`invalid IPv4 address "${ip}"`)
    n = n * 256 + Number(p)
  }
  return n
}

/** Formats an unsigned 32-bit number as dotted-quad IPv4. */
export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
}

/** An IPv4 network: its base address as a number, prefix length and address count. */
export interface CIDRv4 {
  base: number
  prefix: number
  size: number
}

/** Parses "a.b.c.d/len" (host bits are masked off); throws on anything else. */
export function parseCIDRv4(cidr: string): CIDRv4 {
  const [ip, len, extra] = cidr.split('/')
  const prefix = Number(len)
  if (extra !== undefined || !ip || !/^\d{1,2}$/.test(len ?? '') || prefix > 32)
    throw new Error(`invalid CIDR "${cidr}"`)
  const size = 2 ** (32 - prefix)
  return { base: parseIPv4(ip) - (parseIPv4(ip) % size), prefix, size }
}

/** True when ip lies inside cidr. */
export function cidrContains(cidr: string | CIDRv4, ip: string): boolean {
  const net = typeof cidr === 'string' ? parseCIDRv4(cidr) : cidr
  const n = parseIPv4(ip)
  return n >= net.base && n < net.base + net.size
}

/** The gateway of a pod CIDR: its first usable address (.1 of a /24), where the bridge sits. */
export function gatewayOf(cidr: string): string {
  return formatIPv4(parseCIDRv4(cidr).base + 1)
}

/** The canonical text of a CIDR ("10.244.1.7/24" → "10.244.1.0/24"). */
export function canonicalCIDR(cidr: string): string {
  const net = parseCIDRv4(cidr)
  return `${formatIPv4(net.base)}/${net.prefix}`
}
