/**
 * BridgeNetwork: the pod network of one node, kubenet style. One Linux bridge per node
 * (`psbr-<node>`, the podCIDR's .1 as gateway), one network namespace per sandbox
 * (`ps-<node>_<id>`) joined to the bridge by a veth pair (`psv<hash>` on the host, `eth0` inside),
 * an IP from the file-backed IPAM, `lo` up and a default route via the gateway. Bridges of
 * several nodes on one host reach each other through host routing (see host-routing.ts). Every
 * object it creates carries a `ps` prefix and the node's tag, so `cleanupAll` finds leftovers.
 * Needs root and iproute2; touches the host only through the injected IpRunner.
 */
import { createHash } from 'node:crypto'
import { NetworkNotReady } from '../runtime.js'
import { gatewayOf, parseCIDRv4 } from './cidr.js'
import { ensureBridgeRouting, parseLinkNames, removeBridgeRouting, type SysctlWriter } from './host-routing.js'
import { type IpRunner, runIp, unlessExists, unlessMissing } from './ip-command.js'
import { FileIpam } from './ipam.js'
import { bridgeName, netnsName, netnsPath, netnsPrefixOf, vethName, vethPrefix } from './names.js'
import {
  cniNotInitialized,
  type SandboxNetwork,
  type SandboxNetworkRequest,
  type SandboxNetworkResult,
} from './types.js'

/** The cluster CIDR when none is given (architecture.md). */
export const defaultClusterCIDR = '10.244.0.0/16'

/** The few log methods the network uses (a pino logger fits). */
export interface NetworkLog {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
}

/** How to build a BridgeNetwork. */
export interface BridgeNetworkOptions {
  /** The node's name: names the bridge and prefixes every namespace of this node. */
  nodeName: string
  /** Directory for the IPAM files (e.g. `<runtime rootDir>/network`); survives restarts. */
  stateDir: string
  /** The whole pod range, routed between the node bridges of this host. Default 10.244.0.0/16. */
  clusterCIDR?: string
  /** Runs `ip`; tests inject a recorder. */
  run?: IpRunner
  /** Writes per-interface sysctls; tests inject a recorder. */
  sysctl?: SysctlWriter
  log?: NetworkLog
}

const quiet: NetworkLog = { info() {}, warn() {} }

/** The bridge pod network of one node; implements SandboxNetwork. */
export class BridgeNetwork implements SandboxNetwork {
  /** The node's bridge name. */
  readonly bridge: string
  private readonly run: IpRunner
  private readonly ipam: FileIpam
  private readonly clusterCIDR: string
  private readonly log: NetworkLog
  private podCIDR: string | undefined
  private bridgeReady: Promise<void> | undefined
  private ready = false

  constructor(private readonly opts: BridgeNetworkOptions) {
    this.bridge = bridgeName(opts.nodeName)
    this.run = opts.run ?? runIp
    this.ipam = new FileIpam(`${opts.stateDir}/ipam`)
    this.clusterCIDR = opts.clusterCIDR ?? defaultClusterCIDR
    this.log = opts.log ?? quiet
  }

  /** Sets the node's podCIDR (from the Node, via updateRuntimeConfig) and creates the bridge. */
  async configure(config: { podCIDR?: string }): Promise<void> {
    if (!config.podCIDR || config.podCIDR === this.podCIDR) return this.bridgeReady
    parseCIDRv4(config.podCIDR) // throws on garbage before anything changes
    this.podCIDR = config.podCIDR
    await this.ipam.setRange(config.podCIDR)
    this.bridgeReady = this.ensureBridge(config.podCIDR)
    this.bridgeReady.catch(() => {
      this.bridgeReady = undefined
      this.podCIDR = undefined // the next configure retries
    })
    return this.bridgeReady
  }

  /** Ready once a podCIDR is set and the bridge exists (the node's NetworkReady). */
  status(): { ready: boolean; message?: string } {
    return this.ready ? { ready: true } : { ready: false, message: cniNotInitialized }
  }

  /** The gateway pods route through (the bridge's address), once configured. */
  gateway(): string | undefined {
    return this.podCIDR ? gatewayOf(this.podCIDR) : undefined
  }

  /** Creates the sandbox's namespace, veth, address and routes; a failure leaves nothing behind. */
  async setup(sandbox: SandboxNetworkRequest): Promise<SandboxNetworkResult> {
    const cidr = this.podCIDR
    if (!cidr || !this.bridgeReady)
      throw new NetworkNotReady(`container runtime network not ready: ${cniNotInitialized}`)
    await this.bridgeReady
    const ns = netnsName(this.opts.nodeName, sandbox.id)
    const veth = vethName(this.opts.nodeName, sandbox.id)
    const ip = await this.ipam.allocate(sandbox.id)
    try {
      // Leftovers of an interrupted setup of this same sandbox.
      await this.run(['netns', 'del', ns]).catch(unlessMissing)
      await this.run(['link', 'del', veth]).catch(unlessMissing)
      await this.run(['netns', 'add', ns])
      await this.run(['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns])
      await this.run(['link', 'set', veth, 'master', this.bridge, 'up'])
      await this.run(['-n', ns], {
        batch: [
          `addr add ${ip}/${parseCIDRv4(cidr).prefix} dev eth0`,
          'link set eth0 up',
          'link set lo up',
          `route add default via ${gatewayOf(cidr)}`,
        ],
      })
    } catch (err) {
      await this.teardown(sandbox).catch(e => this.log.warn({ err: e, sandbox: sandbox.id }, 'Network cleanup failed'))
      throw err
    }
    this.log.info(
      { sandbox: sandbox.id, pod: `${sandbox.namespace}/${sandbox.name}`, ip, netns: ns },
      'Pod network set up',
    )
    return { ip, netnsPath: netnsPath(ns) }
  }

  /** Deletes the namespace (and with it eth0) and the host veth, then frees the IP; idempotent. */
  async teardown(sandbox: Pick<SandboxNetworkRequest, 'id'>, _result?: SandboxNetworkResult): Promise<void> {
    await this.run(['netns', 'del', netnsName(this.opts.nodeName, sandbox.id)]).catch(unlessMissing)
    await this.run(['link', 'del', vethName(this.opts.nodeName, sandbox.id)]).catch(unlessMissing)
    await this.ipam.release(sandbox.id)
  }

  /**
   * Keeps a surviving sandbox's IP taken. The IPAM files normally still say so; this restores
   * the record if they were lost. Fire and forget: IPAM calls are serialized, so a later
   * allocation sees it.
   */
  adopt(sandbox: SandboxNetworkRequest, result: SandboxNetworkResult): void {
    if (!result.ip) return
    this.ipam
      .reserve(result.ip, sandbox.id)
      .catch(err => this.log.warn({ err, sandbox: sandbox.id }, 'Could not adopt an IP'))
  }

  /**
   * Removes this node's namespaces, veths and IPs of sandboxes not in live (what a crash or an
   * agent restart left behind). Call with every sandbox the runtime still has.
   */
  async gc(live: Iterable<string>): Promise<{ removed: string[] }> {
    const keep = new Set(live)
    const keepNs = new Set([...keep].map(id => netnsName(this.opts.nodeName, id)))
    const keepVeth = new Set([...keep].map(id => vethName(this.opts.nodeName, id)))
    const removed: string[] = []
    for (const ns of await this.listNetns())
      if (!keepNs.has(ns)) {
        await this.run(['netns', 'del', ns]).catch(unlessMissing)
        removed.push(ns)
      }
    for (const link of await this.bridgePorts())
      if (!keepVeth.has(link)) {
        await this.run(['link', 'del', link]).catch(unlessMissing)
        removed.push(link)
      }
    await this.ipam.releaseExcept(keep)
    return { removed }
  }

  /** Removes everything of this node: namespaces, veths, the bridge, its rules, the IPAM state. */
  async cleanupAll(): Promise<void> {
    await this.gc([])
    await this.run(['link', 'del', this.bridge]).catch(unlessMissing)
    await removeBridgeRouting(this.run, { bridge: this.bridge, clusterCIDR: this.clusterCIDR })
    await this.ipam.wipe()
    this.podCIDR = undefined
    this.bridgeReady = undefined
    this.ready = false
    this.log.info({ bridge: this.bridge }, 'Pod network removed')
  }

  /** Creates (or adopts) the bridge with the gateway address, then its routing. */
  private async ensureBridge(cidr: string): Promise<void> {
    const { prefix } = parseCIDRv4(cidr)
    const address = `${gatewayOf(cidr)}/${prefix}`
    await this.run(['link', 'add', this.bridge, 'type', 'bridge']).catch(unlessExists)
    // A fixed MAC: otherwise the bridge takes its lowest port's, changing under pods' ARP caches.
    await this.run(['link', 'set', this.bridge, 'address', bridgeMac(this.bridge)])
    for (const old of await this.bridgeAddresses())
      if (old !== address) await this.run(['addr', 'del', old, 'dev', this.bridge]).catch(unlessMissing)
    await this.run(['addr', 'replace', address, 'dev', this.bridge])
    await this.run(['link', 'set', this.bridge, 'up'])
    await ensureBridgeRouting(this.run, {
      bridge: this.bridge,
      clusterCIDR: this.clusterCIDR,
      sysctl: this.opts.sysctl,
    })
    this.ready = true
    this.log.info({ bridge: this.bridge, address }, 'Pod network bridge ready')
  }

  private async bridgeAddresses(): Promise<string[]> {
    const out = await this.run(['-o', '-4', 'addr', 'show', 'dev', this.bridge])
    return [...out.matchAll(/\binet (\S+)/g)].map(m => m[1]!)
  }

  /** This node's namespaces (`ip netns list` lines start with the name). */
  private async listNetns(): Promise<string[]> {
    const prefix = netnsPrefixOf(this.opts.nodeName)
    const out = await this.run(['netns', 'list'])
    return out
      .split('\n')
      .map(l => l.split(/\s/)[0] ?? '')
      .filter(n => n.startsWith(prefix))
  }

  /** The veths attached to this node's bridge (none if the bridge is missing). */
  private async bridgePorts(): Promise<string[]> {
    const out = await this.run(['-o', 'link', 'show', 'master', this.bridge]).catch(err => {
      unlessMissing(err)
      return ''
    })
    return parseLinkNames(out).filter(n => n.startsWith(vethPrefix))
  }
}

/** A stable, locally administered unicast MAC for a bridge name. Pure. */
export function bridgeMac(bridge: string): string {
  const bytes = createHash('sha256').update(bridge).digest().subarray(0, 5)
  return ['02', ...[...bytes].map(b => b.toString(16).padStart(2, '0'))].join(':')
}

/** Removes every network object of a node (its pods' namespaces, veths, bridge, rules, IPAM state). */
export function cleanupNodeNetwork(nodeName: string, opts: Omit<BridgeNetworkOptions, 'nodeName'>): Promise<void> {
  return new BridgeNetwork({ ...opts, nodeName }).cleanupAll()
}
