/**
 * ClusterIPs as local addresses of the host: a link `psvc0` holding each ClusterIP as a /32, so
 * the host owns them and listeners can bind them (kube-proxy IPVS mode's kube-ipvs0). The link
 * is a `dummy`; kernels without the dummy driver get a port-less bridge, which holds local
 * addresses just as well. An `unreachable <serviceCIDR>` route keeps traffic to an unallocated
 * ClusterIP on the host instead of following the default route out. Addresses are reference
 * counted, so the proxy and the cluster DNS (10.96.0.10) can share one. Needs root and iproute2.
 */
import { cidrContains } from '../runtime/network/cidr.js'
import { type IpRunner, isExists, runIp, unlessExists, unlessMissing } from '../runtime/network/ip-command.js'

/** The link that holds the ClusterIPs when no other is named. */
export const defaultServiceDevice = 'psvc0'
/** The service CIDR when none is given (architecture.md). */
export const defaultServiceCIDR = '10.96.0.0/12'

/** How to build ServiceAddresses. */
export interface ServiceAddressesOptions {
  /** The link holding the addresses. Default psvc0 (tests use their own). */
  device?: string
  /** The service range, routed unreachable while the link exists. Default 10.96.0.0/12. */
  serviceCIDR?: string
  run?: IpRunner
}

/** Reference-counted ClusterIP addresses on the service link. Calls are serialized. */
export class ServiceAddresses {
  /** The link's name. */
  readonly device: string
  private readonly serviceCIDR: string
  private readonly run: IpRunner
  private readonly refs = new Map<string, number>()
  /** Addresses this instance added (others' are never removed). */
  private readonly owned = new Set<string>()
  private deviceReady = false
  private queue: Promise<unknown> = Promise.resolve()

  constructor(opts: ServiceAddressesOptions = {}) {
    this.device = opts.device ?? defaultServiceDevice
    this.serviceCIDR = opts.serviceCIDR ?? defaultServiceCIDR
    this.run = opts.run ?? runIp
  }

  /** Puts ip on the link (creating the link first); resolves once it can be bound. */
  acquire(ip: string): Promise<void> {
    return this.serial(async () => {
      const n = this.refs.get(ip) ?? 0
      this.refs.set(ip, n + 1)
      if (n > 0) return
      try {
        await this.ensureDevice()
        await this.run(['addr', 'add', `${ip}/32`, 'dev', this.device])
        this.owned.add(ip)
      } catch (err) {
        if (!isExists(err)) {
          this.refs.delete(ip)
          throw err
        }
      }
    })
  }

  /** Drops one reference; the last one removes the address (if this instance added it). */
  release(ip: string): Promise<void> {
    return this.serial(async () => {
      const n = this.refs.get(ip) ?? 0
      if (n > 1) return void this.refs.set(ip, n - 1)
      this.refs.delete(ip)
      if (!this.owned.delete(ip)) return
      await this.run(['addr', 'del', `${ip}/32`, 'dev', this.device]).catch(unlessMissing)
    })
  }

  /** Addresses currently held (acquired and not released). */
  held(): string[] {
    return [...this.refs.keys()]
  }

  /** Removes addresses on the link that nobody holds (leftovers of a crashed run). */
  prune(): Promise<string[]> {
    return this.serial(async () => {
      const stale = (await this.listDevice()).filter(ip => !this.refs.has(ip))
      for (const ip of stale) await this.run(['addr', 'del', `${ip}/32`, 'dev', this.device]).catch(unlessMissing)
      return stale
    })
  }

  /** Removes every address this instance added, then the link and route once nothing is left on it. */
  close(): Promise<void> {
    return this.serial(async () => {
      for (const ip of this.owned) await this.run(['addr', 'del', `${ip}/32`, 'dev', this.device]).catch(unlessMissing)
      this.owned.clear()
      this.refs.clear()
      if ((await this.listDevice()).length === 0) await removeServiceDevice(this.run, this.device, this.serviceCIDR)
      this.deviceReady = false
    })
  }

  private async ensureDevice(): Promise<void> {
    if (this.deviceReady) return
    await this.run(['link', 'add', this.device, 'type', 'dummy']).catch(async err => {
      if (isExists(err)) return
      if (!/Unknown device type|not supported/i.test(String(err))) throw err
      await this.run(['link', 'add', this.device, 'type', 'bridge']).catch(unlessExists)
    })
    await this.run(['link', 'set', this.device, 'up'])
    await this.run(['route', 'add', 'unreachable', this.serviceCIDR]).catch(unlessExists)
    this.deviceReady = true
  }

  private async listDevice(): Promise<string[]> {
    const out = await this.run(['-o', '-4', 'addr', 'show', 'dev', this.device]).catch(err => {
      unlessMissing(err)
      return ''
    })
    return [...out.matchAll(/\binet (\d+\.\d+\.\d+\.\d+)\/32/g)].map(m => m[1]!)
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn)
    this.queue = run.catch(() => {})
    return run
  }
}

/**
 * Deletes the service link (and its addresses), then the unreachable service route unless some
 * other link still holds a service address; idempotent. Also for leftovers after a crash.
 */
export async function removeServiceDevice(
  run: IpRunner = runIp,
  device = defaultServiceDevice,
  serviceCIDR = defaultServiceCIDR,
): Promise<void> {
  await run(['link', 'del', device]).catch(unlessMissing)
  const all = await run(['-o', '-4', 'addr', 'show'])
  if ([...all.matchAll(/\binet (\d+\.\d+\.\d+\.\d+)\//g)].some(m => cidrContains(serviceCIDR, m[1]!))) return
  await run(['route', 'del', 'unreachable', serviceCIDR]).catch(unlessMissing)
}
