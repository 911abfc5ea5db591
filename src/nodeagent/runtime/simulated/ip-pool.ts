/**
 * Pod IP allocation for the simulated runtime: addresses from the node's podCIDR, lowest free
 * first starting at .2 (.0 is the network, .1 the bridge gateway, as kubenet and kindnet use
 * them), freed addresses reused. IPv4 only. Pure apart from its own state: no I/O, no clock.
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

/** Parses "a.b.c.d/len" into its network base and prefix length; throws on anything else. */
export function parseCIDRv4(cidr: string): { base: number; prefix: number } {
  const [ip, len, extra] = cidr.split('/')
  const prefix = Number(len)
  if (extra !== undefined || !ip || !/^\d{1,2}$/.test(len ?? '') || prefix > 32)
    throw new Error(`invalid CIDR "${cidr}"`)
  const size = 2 ** (32 - prefix)
  const base = parseIPv4(ip) - (parseIPv4(ip) % size)
  return { base, prefix }
}

/** Hands out and takes back pod IPs of one CIDR. */
export class IPPool {
  private readonly base: number
  private readonly size: number
  private readonly used = new Set<number>()

  constructor(readonly cidr: string) {
    const { base, prefix } = parseCIDRv4(cidr)
    this.base = base
    this.size = 2 ** (32 - prefix)
  }

  /** The lowest free address from .2 up to the last one before broadcast, or undefined when full. */
  allocate(): string | undefined {
    for (let offset = 2; offset < this.size - 1; offset++) {
      if (this.used.has(offset)) continue
      this.used.add(offset)
      return formatIPv4(this.base + offset)
    }
    return undefined
  }

  /** Marks an address as taken (adopting sandboxes that already hold it); false if outside the CIDR. */
  reserve(ip: string): boolean {
    const offset = parseIPv4(ip) - this.base
    if (offset < 0 || offset >= this.size) return false
    this.used.add(offset)
    return true
  }

  /** Returns an address to the pool; unknown addresses are ignored. */
  release(ip: string): void {
    this.used.delete(parseIPv4(ip) - this.base)
  }

  /** "first-last" of the usable range, as CNI host-local prints it (network+1 to broadcast-1). */
  rangeText(): string {
    return `${formatIPv4(this.base + 1)}-${formatIPv4(this.base + this.size - 2)}`
  }

  /** Addresses currently handed out. */
  inUse(): number {
    return this.used.size
  }
}
