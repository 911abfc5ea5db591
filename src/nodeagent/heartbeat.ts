/**
 * The node's two heartbeats (the kubelet's nodelease controller and node status updates): the
 * Lease kube-node-lease/<node> renewed every interval, and the Node status posted when it changes
 * or when the report interval has passed. One attempt per call; the agent's loops repeat them.
 */

import { type Lease, NamespaceNodeLease } from '../api/coordination.js'
import type { Node } from '../api/core.js'
import type { ObjectMeta } from '../api/meta.js'
import type { Clock } from '../client/clock.js'
import { type Logger, silentLogger } from '../client/log.js'
import { LEASES, NODES } from '../client/resources.js'
import type { RestClient } from '../client/rest-client.js'
import { withRetryOnConflict } from '../client/retry.js'
import { isConflict, isNotFound } from '../machinery/status-error.js'
import { computeNodeStatus, isNodeStatusChanged, type NodeFacts } from './node-status.js'
import type { RuntimeHealth } from './runtime/runtime.js'
import { formatMicroTime } from './time.js'

/** Renews the node's Lease. */
export class LeaseRenewer {
  private lease: Lease | undefined

  constructor(
    private readonly opts: { client: RestClient; nodeName: string; leaseDurationSeconds: number; clock: Clock },
  ) {}

  /** One renewal: creates the lease when missing; a conflict drops the cached copy for the next try. */
  async renew(node: Node | undefined): Promise<void> {
    const { client, nodeName } = this.opts
    const now = formatMicroTime(this.opts.clock.now())
    if (!this.lease) {
      try {
        this.lease = await client.get<Lease>(LEASES, nodeName, { namespace: NamespaceNodeLease })
      } catch (err) {
        if (!isNotFound(err)) throw err
        this.lease = await client.create<Lease>(LEASES, this.desired(undefined, node, now))
        return
      }
    }
    try {
      this.lease = await client.update<Lease>(LEASES, this.desired(this.lease, node, now))
    } catch (err) {
      this.lease = undefined
      if (!isConflict(err) && !isNotFound(err)) throw err
    }
  }

  private desired(current: Lease | undefined, node: Node | undefined, renewTime: string): Lease {
    const metadata: ObjectMeta = current
      ? { ...current.metadata, managedFields: undefined }
      : { name: this.opts.nodeName, namespace: NamespaceNodeLease }
    // The Node owns its Lease, so the garbage collector removes the lease with the node.
    if (node?.metadata.uid && !metadata.ownerReferences?.length)
      metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: this.opts.nodeName, uid: node.metadata.uid }]
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata,
      spec: {
        ...current?.spec,
        holderIdentity: this.opts.nodeName,
        leaseDurationSeconds: this.opts.leaseDurationSeconds,
        renewTime,
      },
    }
  }
}

/** Options of a NodeStatusReporter. */
export interface NodeStatusReporterOptions {
  client: RestClient
  facts: NodeFacts
  health: () => RuntimeHealth
  clock: Clock
  /** Post an unchanged status at least this often (kubelet nodeStatusReportFrequency, 5 min). */
  reportIntervalMs: number
  /** Called with the condition events of each posted status (NodeReady, NodeHasSufficientMemory, ...). */
  onEvents?: (node: Node, events: string[]) => void
  log?: Logger
}

/** Posts the node status when it changed or is due. */
export class NodeStatusReporter {
  private lastReport = Number.NEGATIVE_INFINITY
  private readonly log: Logger

  constructor(private readonly opts: NodeStatusReporterOptions) {
    this.log = (opts.log ?? silentLogger).child({ component: 'node-status' })
  }

  /** One report from `cached` (the latest Node seen); re-reads the Node on conflict. Returns the saved Node. */
  async report(cached: Node): Promise<Node> {
    const { client, clock } = this.opts
    let node = cached
    let first = true
    return withRetryOnConflict(
      async () => {
        if (!first) node = await client.get<Node>(NODES, cached.metadata.name!)
        first = false
        const now = clock.now()
        const { status, events } = computeNodeStatus({ node, facts: this.opts.facts, health: this.opts.health(), now })
        if (!isNodeStatusChanged(node, status) && now - this.lastReport < this.opts.reportIntervalMs) return node
        const { managedFields: _, ...metadata } = node.metadata
        const saved = await client.updateStatus<Node>(NODES, { ...node, metadata, status })
        this.lastReport = now
        if (events.length) {
          this.log.info({ events }, 'Node conditions changed')
          this.opts.onEvents?.(saved, events)
        }
        return saved
      },
      { clock },
    )
  }
}
