/**
 * NodeAgent: petset's kubelet. It registers its Node, renews its Lease, reports node status, and
 * runs the pods bound to it through a ContainerRuntime, seeing the cluster only through the API
 * client like any other client (its own informers: its Node, and pods with
 * spec.nodeName=<node>). Runtime-agnostic: the simulated runtime and real ones plug in alike.
 */
import type { Node } from '../api/core.js'
import type { Pod } from '../api/pod.js'
import { type Clock, realClock } from '../client/clock.js'
import { EventRecorder } from '../client/events.js'
import { Informer, type InformerOptions } from '../client/informer.js'
import { type Logger, silentLogger } from '../client/log.js'
import { NODES, PODS } from '../client/resources.js'
import type { RestClient } from '../client/rest-client.js'
import type { Runnable } from '../controllers/runtime/manager.js'
import { LeaseRenewer, NodeStatusReporter } from './heartbeat.js'
import { hostNodeInfo, primaryIPv4 } from './host-info.js'
import { type NodeFacts, podCIDRCapacity } from './node-status.js'
import { PodWorkers } from './pod-workers.js'
import { type Prober, probesPassAfterDelay } from './probes/prober.js'
import { registerNode } from './registration.js'
import type { ContainerRuntime } from './runtime/runtime.js'
import { StatusManager } from './status-manager.js'

/** Node capacity unless configured (the kubelet's maxPods default of 110). */
const defaultCapacity = { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' }

/** Options of a NodeAgent. */
export interface NodeAgentOptions {
  client: RestClient
  nodeName: string
  runtime: ContainerRuntime
  /** Readiness and startup answers; default: probes pass after their initial delays. */
  prober?: Prober
  clock?: Clock
  log?: Logger
  /** Node capacity. Default cpu 4, memory 8Gi, pods 110, ephemeral-storage 100Gi; pods is capped by the podCIDR. */
  capacity?: { cpu?: string; memory?: string; pods?: string; 'ephemeral-storage'?: string }
  /** Extra node labels (on top of hostname, os and arch). */
  labels?: Record<string, string>
  /** The InternalIP address. Default: this machine's first non-loopback IPv4. */
  address?: string
  /** Lease renewal and node status check period. Default 10 s. */
  heartbeatIntervalMs?: number
  /** Lease duration. Default 40 s. */
  leaseDurationSeconds?: number
  /** Post an unchanged node status at least this often. Default 5 min (kubelet). */
  statusReportIntervalMs?: number
  /** The kubelet port reported in daemonEndpoints. Default 10250. */
  kubeletPort?: number
  /** Record pod events (Pulled, Created, Started, BackOff). Default true. */
  podEvents?: boolean
  /** Informer tuning (tests use short backoffs). */
  informerOptions?: Pick<InformerOptions<Node>, 'backoff' | 'freeze'>
}

/** One node. Add it to a Manager, or run it on its own with run(signal). */
export class NodeAgent implements Runnable {
  readonly name: string
  private readonly clock: Clock
  private readonly log: Logger
  private readonly facts: NodeFacts
  private node: Node | undefined
  private podCIDR: string | undefined

  constructor(private readonly opts: NodeAgentOptions) {
    this.name = `nodeagent/${opts.nodeName}`
    this.clock = opts.clock ?? realClock
    this.log = (opts.log ?? silentLogger).child({ node: opts.nodeName })
    const address = opts.address ?? primaryIPv4()
    this.facts = {
      name: opts.nodeName,
      capacity: { ...defaultCapacity, ...opts.capacity },
      addresses: [
        { type: 'InternalIP', address },
        { type: 'Hostname', address: opts.nodeName },
      ],
      nodeInfo: hostNodeInfo(opts.nodeName, opts.runtime.name),
      kubeletPort: opts.kubeletPort ?? 10250,
    }
  }

  /** Registers the node, then runs heartbeats and pods until signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { client, runtime, nodeName } = this.opts
    const recorder = new EventRecorder(client, {
      component: 'kubelet',
      host: nodeName,
      clock: this.clock,
      log: this.log,
    })
    // The kubelet's nodeRef: uid is the node name, so events can be recorded before registration.
    const nodeRef: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName, uid: nodeName } }
    const onEvents = (_: Node, events: string[]) => {
      for (const e of events)
        recorder.event(nodeRef, { type: 'Normal', reason: e, message: `Node ${nodeName} status is now: ${e}` })
    }
    const reporter = new NodeStatusReporter({
      client,
      facts: this.facts,
      health: () => runtime.health(),
      clock: this.clock,
      reportIntervalMs: this.opts.statusReportIntervalMs ?? 300_000,
      log: this.log,
      onEvents,
    })
    this.log.info('Starting node agent')
    recorder.event(nodeRef, { type: 'Normal', reason: 'Starting', message: 'Starting kubelet.' })
    this.node = await registerNode({
      client,
      facts: this.facts,
      labels: this.opts.labels,
      health: runtime.health(),
      onEvents,
      clock: this.clock,
      log: this.log,
      signal,
    })
    if (!this.node) return
    await this.onNode(this.node)

    const workers = new PodWorkers({
      runtime,
      prober: this.opts.prober ?? probesPassAfterDelay,
      statusManager: new StatusManager({ client, clock: this.clock, log: this.log }),
      client,
      events: this.opts.podEvents === false ? undefined : recorder,
      clock: this.clock,
      log: this.log,
      hostIPs: () => [this.facts.addresses[0]!.address],
    })
    await workers.adoptExisting()
    const subscription = runtime.onEvent(e => workers.onRuntimeEvent(e))
    const informerOpts = { clock: this.clock, log: this.log, ...this.opts.informerOptions }
    const nodes = new Informer<Node>(client, NODES, { ...informerOpts, fieldSelector: `metadata.name=${nodeName}` })
    const pods = new Informer<Pod>(client, PODS, { ...informerOpts, fieldSelector: `spec.nodeName=${nodeName}` })
    const every = this.opts.heartbeatIntervalMs ?? 10_000
    const statusTicker = ticker(
      this.clock,
      every,
      signal,
      async () => {
        if (this.node) this.node = await reporter.report(this.node)
      },
      err => this.log.warn({ err }, 'Unable to update node status'),
    )
    const nodeChanged = (n: Node) =>
      this.onNode(n)
        .then(changed => {
          if (!changed) return
          workers.wakeAll()
          statusTicker.wake()
        })
        .catch(err => this.log.error({ err }, 'Failed to apply the node network configuration'))
    nodes.addEventHandler({ onAdd: nodeChanged, onUpdate: (_, n) => nodeChanged(n) })
    pods.addEventHandler({
      onAdd: p => workers.upsert(p),
      onUpdate: (_, p) => workers.upsert(p),
      onDelete: p => workers.deleted(p),
    })
    const running = [nodes.run(signal), pods.run(signal)]
    const renewer = new LeaseRenewer({
      client,
      nodeName,
      leaseDurationSeconds: this.opts.leaseDurationSeconds ?? 40,
      clock: this.clock,
    })
    const leaseTicker = ticker(
      this.clock,
      every,
      signal,
      () => renewer.renew(this.node),
      err => this.log.warn({ err }, 'Failed to update lease'),
    )
    if (await pods.waitForSync(signal)) await workers.removeUnclaimed()
    this.log.info({ pods: workers.size }, 'Node agent running')
    await Promise.all([...running, statusTicker.done, leaseTicker.done])
    subscription.remove()
    workers.stopAll()
    await recorder.flush()
    this.log.info('Node agent stopped')
  }

  /** Tracks the latest Node and hands a new podCIDR to the runtime; true when the network changed. */
  private async onNode(node: Node): Promise<boolean> {
    this.node = node
    const cidr = node.spec?.podCIDR
    if (!cidr || cidr === this.podCIDR) return false
    this.podCIDR = cidr
    await this.opts.runtime.updateRuntimeConfig({ podCIDR: cidr })
    // NOTE: petset caps the pod capacity at the pod IPs the CIDR holds (the kubelet's 110 never
    // reaches a /24's 253), so the scheduler says "Too many pods" instead of sandboxes failing.
    const configured = Number(this.opts.capacity?.pods ?? defaultCapacity.pods)
    this.facts.capacity.pods = String(Math.min(configured, podCIDRCapacity(cidr) ?? configured))
    this.log.info({ podCIDR: cidr, pods: this.facts.capacity.pods }, 'Pod CIDR configured')
    return true
  }
}

/** Runs fn now and then every ms until signal aborts; wake() runs it again early; failures go to onError. */
function ticker(
  clock: Clock,
  ms: number,
  signal: AbortSignal,
  fn: () => Promise<unknown>,
  onError: (err: unknown) => void,
) {
  let wakeUp: (() => void) | undefined
  const done = (async () => {
    while (!signal.aborted) {
      await fn().catch(err => signal.aborted || onError(err))
      const early = new Promise<void>(r => (wakeUp = r))
      await Promise.race([clock.sleep(ms, signal), early])
      wakeUp = undefined
    }
  })()
  return { done, wake: () => wakeUp?.() }
}
