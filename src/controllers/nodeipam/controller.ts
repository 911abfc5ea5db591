/**
 * The node IPAM controller (kube-controller-manager's node-ipam, range allocator): gives every
 * Node without one a spec.podCIDR / spec.podCIDRs — the lowest /24 (by default) of the cluster
 * CIDR that no other node holds. Occupancy is recomputed from the node cache on every pass
 * (level-based), plus the subnets this controller assigned that the cache has not shown yet.
 */
import type { Node } from '../../api/core.js'
import type { Clock } from '../../client/clock.js'
import { EventRecorder } from '../../client/events.js'
import type { Informer } from '../../client/informer.js'
import type { InformerFactory } from '../../client/informer-factory.js'
import { type Logger, silentLogger } from '../../client/log.js'
import { NODES } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { isNotFound } from '../../machinery/status-error.js'
import { Controller, type ReconcileContext } from '../runtime/controller.js'
import type { Runnable } from '../runtime/manager.js'
import { done, type Result, requeueAfter } from '../runtime/result.js'
import { allocateSubnet, parseCIDR } from './cidr.js'

/** Options of the NodeIpamController. */
export interface NodeIpamOptions {
  client: RestClient
  informers: InformerFactory
  /** --cluster-cidr. Default 10.244.0.0/16 (kind's and flannel's default). */
  clusterCIDR?: string
  /** --node-cidr-mask-size. Default 24. */
  nodeMaskSize?: number
  /** Look again this long after the range ran out. Default 30 s. */
  retryWhenFullMs?: number
  clock?: Clock
  log?: Logger
}

/** Assigns pod CIDRs to nodes. */
export class NodeIpamController implements Runnable {
  readonly name = 'node-ipam'
  private readonly controller: Controller
  private readonly nodes: Informer<Node>
  private readonly recorder: EventRecorder
  private readonly clusterCIDR: string
  private readonly maskSize: number
  /** node name → subnet we assigned and the cache may not show yet. */
  private readonly assigned = new Map<string, string>()

  constructor(private readonly opts: NodeIpamOptions) {
    const log = opts.log ?? silentLogger
    this.clusterCIDR = opts.clusterCIDR ?? '10.244.0.0/16'
    this.maskSize = opts.nodeMaskSize ?? 24
    const net = parseCIDR(this.clusterCIDR)
    if (this.maskSize < net.prefix || this.maskSize > 30)
      throw new Error(`node CIDR mask size ${this.maskSize} does not fit cluster CIDR ${this.clusterCIDR}`)
    this.nodes = opts.informers.forResource<Node>(NODES)
    this.recorder = new EventRecorder(opts.client, { component: 'cidrAllocator', clock: opts.clock, log })
    // One worker: allocations must see each other.
    this.controller = new Controller({
      name: 'node-ipam',
      workers: 1,
      log,
      clock: opts.clock,
      reconcile: (k, c) => this.reconcile(k, c),
    })
    this.controller.for(this.nodes)
  }

  /** Runs until signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    this.opts.informers.start(signal)
    await this.controller.run(signal)
  }

  private used(): string[] {
    const out: string[] = []
    const cached = new Map<string, string[]>()
    for (const n of this.nodes.lister.list()) {
      const cidrs = n.spec?.podCIDRs?.length ? n.spec.podCIDRs : n.spec?.podCIDR ? [n.spec.podCIDR] : []
      cached.set(n.metadata.name!, cidrs)
      out.push(...cidrs)
    }
    for (const [name, cidr] of this.assigned) {
      const seen = cached.get(name)
      // Seen in the cache (or the node is gone): the cache is the truth again.
      if (!seen || seen.includes(cidr)) this.assigned.delete(name)
      else out.push(cidr)
    }
    return out
  }

  private async reconcile(name: string, ctx: ReconcileContext): Promise<Result> {
    const node = this.nodes.lister.get(name)
    if (!node || node.spec?.podCIDR || node.spec?.podCIDRs?.length || this.assigned.has(name)) return done
    const cidr = allocateSubnet(this.clusterCIDR, this.maskSize, this.used())
    if (!cidr) {
      ctx.log.error({ clusterCIDR: this.clusterCIDR }, 'Cluster CIDR is full; cannot allocate a pod CIDR')
      this.recorder.event(node, {
        type: 'Normal',
        reason: 'CIDRNotAvailable',
        message: `Node ${name} status is now: CIDRNotAvailable`,
      })
      return requeueAfter(this.opts.retryWhenFullMs ?? 30_000)
    }
    try {
      await this.opts.client.patch<Node>(NODES, name, {
        type: 'merge',
        body: { spec: { podCIDR: cidr, podCIDRs: [cidr] } },
        signal: ctx.signal,
      })
    } catch (err) {
      if (isNotFound(err)) return done
      throw err
    }
    this.assigned.set(name, cidr)
    ctx.log.info({ podCIDR: cidr }, 'Set node PodCIDR')
    return done
  }
}
