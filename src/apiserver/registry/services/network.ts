/**
 * The service network: ClusterIP and NodePort allocation (upstream ipallocator/portallocator
 * bitmaps with the static/dynamic sub-range split). Addresses in use are read from the live
 * Services through the admission context; allocations are serialized in-process and each
 * pick stays reserved for a while, so concurrent creates never receive the same address
 * before either is stored. IPv4 service CIDRs only.
 */
import type { Service } from '../../../api/core.js'
import type { AdmissionContext } from '../resource.js'

/** What configureServiceNetwork accepts; omitted fields keep their current value. */
export interface ServiceNetworkOptions {
  /** --service-cluster-ip-range, e.g. "10.96.0.0/12". */
  cidr?: string
  /** --service-node-port-range, e.g. "30000-32767". */
  nodePortRange?: string
  /** Random source in [0, 1) (tests pass a fixed one). */
  random?: () => number
  /** Clock in epoch ms, for expiring reservations. */
  now?: () => number
}

/** An IPv4 CIDR as numbers. */
export interface CIDR {
  text: string
  base: number
  prefix: number
  size: number
}

/** Parses dotted-quad IPv4; undefined when not one. */
export function parseIPv4(s: string): number | undefined {
  const parts = s.split('.')
  if (parts.length !== 4 || !parts.every(p => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255)) return undefined
  return parts.reduce((n, p) => n * 256 + Number(p), 0)
}

/** Formats a 32-bit number as dotted-quad IPv4. */
export const formatIPv4 = (n: number) => [24, 16, 8, 0].map(s => Math.floor(n / 2 ** s) % 256).join('.')

/** Parses an IPv4 CIDR ("10.96.0.0/12"); throws on anything else. */
export function parseCIDR(text: string): CIDR {
  const [ip, bits] = text.split('/')
  const addr = parseIPv4(ip ?? '')
  const prefix = Number(bits)
  if (addr === undefined || !/^[0-9]+$/.test(bits ?? '') || prefix > 32)
    throw new Error(`invalid IPv4 service CIDR ${JSON.stringify(text)}`)
  const size = 2 ** (32 - prefix)
  return { text, base: addr - (addr % size), prefix, size }
}

/** The first usable address of a service CIDR: the `kubernetes` Service's ClusterIP (10.96.0.1). */
export function reservedKubernetesServiceIP(cidr: string): string {
  return formatIPv4(parseCIDR(cidr).base + 1)
}

interface PortRange {
  base: number
  size: number
  text: string
}

function parsePortRange(text: string): PortRange {
  const m = /^(\d+)-(\d+)$/.exec(text)
  if (!m || Number(m[2]) < Number(m[1])) throw new Error(`invalid node port range ${JSON.stringify(text)}`)
  return { base: Number(m[1]), size: Number(m[2]) - Number(m[1]) + 1, text }
}

/** Upstream's allocation-error texts, so callers can wrap them exactly. */
export const ErrFull = 'range is full'
export const ErrIPAllocated = 'provided IP is already allocated'
export const ErrPortAllocated = 'provided port is already allocated'
export const errIPNotInRange = (ip: string) => `provided IP ${ip} is not in the valid range`
export const errPortNotInRange = (range: string) =>
  `provided port is not in the valid range. The range of valid ports is ${range}`

/**
 * An allocation failure: `requested` tells a static request (422) from a dynamic one (500);
 * `index` is the failing entry of a multi-port request.
 */
export class AllocationError extends Error {
  constructor(
    message: string,
    readonly requested: boolean,
    readonly index = 0,
  ) {
    super(message)
  }
}

const reservationTTL = 60_000

interface NetworkState {
  cidr: CIDR
  ipOffset: number
  ports: PortRange
  portOffset: number
  random: () => number
  now: () => number
  pendingIPs: Map<number, number>
  pendingPorts: Map<number, number>
  lock: Promise<unknown>
}

/** min(max(lo, size/step), hi), zero for tiny ranges: the static band reserved for requests. */
function subrangeOffset(size: number, lo: number, step: number, hi: number): number {
  if (size <= lo) return 0
  return Math.min(Math.max(lo, Math.floor(size / step)), hi)
}

function newState(
  o: Required<Pick<ServiceNetworkOptions, 'cidr' | 'nodePortRange'>> & ServiceNetworkOptions,
): NetworkState {
  const cidr = parseCIDR(o.cidr)
  const ports = parsePortRange(o.nodePortRange)
  return {
    cidr,
    ipOffset: subrangeOffset(cidr.size, 16, 16, 256),
    ports,
    portOffset: subrangeOffset(ports.size, 16, 32, 128),
    random: o.random ?? Math.random,
    now: o.now ?? Date.now,
    pendingIPs: new Map(),
    pendingPorts: new Map(),
    lock: Promise.resolve(),
  }
}

let state = newState({ cidr: '10.96.0.0/12', nodePortRange: '30000-32767' })

/** Sets the service CIDR and node port range (and resets reservations). Call before serving. */
export function configureServiceNetwork(opts: ServiceNetworkOptions): void {
  state = newState({
    ...opts,
    cidr: opts.cidr ?? state.cidr.text,
    nodePortRange: opts.nodePortRange ?? state.ports.text,
    random: opts.random ?? state.random,
    now: opts.now ?? state.now,
  })
}

/** The configured service CIDR text. */
export const serviceCIDR = () => state.cidr.text

/** Runs fn with allocations serialized: one list-and-pick at a time in this process. */
export function withAllocationLock<T>(fn: () => Promise<T>): Promise<T> {
  const run = state.lock.then(fn, fn)
  state.lock = run.catch(() => undefined)
  return run
}

/** Usable IPs are base+1 .. base+size-2; returns the offset from base+1, or -1 when outside. */
function ipOffsetOf(ip: string): number {
  const n = parseIPv4(ip)
  if (n === undefined) return -1
  const off = n - state.cidr.base - 1
  return off >= 0 && off < state.cidr.size - 2 ? off : -1
}

/**
 * The bitmap allocator's random scan: first the dynamic band [offset, max), from a random start,
 * then the static band [0, offset). Returns -1 when everything is taken.
 */
function scan(max: number, offset: number, taken: (at: number) => boolean): number {
  const bands: [number, number][] = [
    [offset, max - offset],
    [0, offset],
  ]
  for (const [start, len] of bands) {
    if (len <= 0) continue
    const first = Math.floor(state.random() * len)
    for (let i = 0; i < len; i++) {
      const at = start + ((first + i) % len)
      if (!taken(at)) return at
    }
  }
  return -1
}

function livePending(pending: Map<number, number>): Set<number> {
  const now = state.now()
  for (const [k, until] of pending) if (until <= now) pending.delete(k)
  return new Set(pending.keys())
}

/** Whether a service is `self` (the one being updated), which must not count against itself. */
const sameService = (a: Service, self?: Service) =>
  !!self && a.metadata.namespace === self.metadata.namespace && a.metadata.name === self.metadata.name

async function liveServices(ctx: AdmissionContext, self?: Service): Promise<Service[]> {
  return ((await ctx.list('services')) as Service[]).filter(s => !sameService(s, self))
}

/**
 * Allocates a ClusterIP: the requested one (must be in range and free) or the next free one.
 * Throws AllocationError with upstream's message.
 */
export async function allocateClusterIP(ctx: AdmissionContext, requested: string, self?: Service): Promise<string> {
  return withAllocationLock(async () => {
    const used = livePending(state.pendingIPs)
    for (const s of await liveServices(ctx, self))
      for (const ip of s.spec?.clusterIPs ?? (s.spec?.clusterIP ? [s.spec.clusterIP] : [])) {
        const off = ipOffsetOf(ip)
        if (off >= 0) used.add(off)
      }
    let off: number
    if (requested) {
      off = ipOffsetOf(requested)
      if (off < 0) throw new AllocationError(errIPNotInRange(requested), true)
      if (used.has(off)) throw new AllocationError(ErrIPAllocated, true)
    } else {
      // NOTE: offset 0 (x.x.x.1) is left to the kubernetes Service even before it exists.
      off = scan(state.cidr.size - 2, state.ipOffset, at => at === 0 || used.has(at))
      if (off < 0) throw new AllocationError(ErrFull, false)
    }
    state.pendingIPs.set(off, state.now() + reservationTTL)
    return formatIPv4(state.cidr.base + 1 + off)
  })
}

/** Node ports held by a service (ports and the health-check port). */
export function nodePortsOf(s: Service): number[] {
  const ports = (s.spec?.ports ?? []).map(p => p.nodePort ?? 0)
  if (s.spec?.healthCheckNodePort) ports.push(s.spec.healthCheckNodePort)
  return ports.filter(p => p > 0)
}

/**
 * Allocates node ports in one critical section: each request is a specific port (must be in
 * range and free) or 0 for the next free one. Returns the ports in request order.
 */
export async function allocateNodePorts(ctx: AdmissionContext, requests: number[], self?: Service): Promise<number[]> {
  return withAllocationLock(async () => {
    const used = livePending(state.pendingPorts)
    for (const s of await liveServices(ctx, self)) for (const p of nodePortsOf(s)) used.add(p - state.ports.base)
    const out: number[] = []
    for (const [i, want] of requests.entries()) {
      let off: number
      if (want) {
        off = want - state.ports.base
        if (off < 0 || off >= state.ports.size) throw new AllocationError(errPortNotInRange(state.ports.text), true, i)
        if (used.has(off)) throw new AllocationError(ErrPortAllocated, true, i)
      } else {
        off = scan(state.ports.size, state.portOffset, at => used.has(at))
        if (off < 0) throw new AllocationError(ErrFull, false, i)
      }
      used.add(off)
      out.push(state.ports.base + off)
    }
    for (const p of out) state.pendingPorts.set(p - state.ports.base, state.now() + reservationTTL)
    return out
  })
}
