/**
 * NodeAgent: petset's kubelet. It registers its Node, renews its Lease, reports node status, and
 * runs the pods bound to it through its ContainerRuntimes, seeing the cluster only through the
 * API client like any other client (its own informers: its Node, its pods, Services, and the
 * ConfigMaps/Secrets its pods reference). With a node directory it materialises volumes; with a
 * streaming token it serves exec/attach/logs/port-forward and advertises the port on its Node.
 */
import type { Node } from '../api/core.js'
import type { Pod } from '../api/pod.js'
import { type Clock, realClock } from '../client/clock.js'
import { EventRecorder } from '../client/events.js'
import { Informer, type InformerOptions } from '../client/informer.js'
import { type Logger, silentLogger } from '../client/log.js'
import { NODES, PODS } from '../client/resources.js'
import type { RestClient } from '../client/rest-client.js'
import type { ClusterDNS } from './dns-config.js'
import { LeaseRenewer, NodeStatusReporter } from './heartbeat.js'
import { hostNodeInfo, primaryIPv4 } from './host-info.js'
import { createNodeServices } from './node-services.js'
import { type NodeFacts, podCIDRCapacity } from './node-status.js'
import { removeOrphanPodDirs } from './pod-volumes.js'
import { PodWorkers } from './pod-workers.js'
import { type Prober, probesPassAfterDelay } from './probes/prober.js'
import { registerNode } from './registration.js'
import type { ContainerConfig, ContainerRuntime } from './runtime/runtime.js'
import { type RuntimeEntry, RuntimeSet, secondaryCIDR } from './runtime-set.js'
import { StatusManager } from './status-manager.js'
import { startAgentStreamingServer } from './streaming/server.js'
import { AgentStreamingBackend } from './streaming-backend.js'
import { ticker } from './ticker.js'
import type { Mounter } from './volumes/mount.js'

/** Node capacity unless configured (the kubelet's maxPods default of 110). */
const defaultCapacity = { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' }

/** Options of a NodeAgent. */
export interface NodeAgentOptions {
  client: RestClient
  nodeName: string
  /** The node's own runtime (its name is the node's containerRuntimeVersion). */
  runtime: ContainerRuntime
  /** Readiness and startup answers for runtime's pods; default: probes pass after their initial delays. */
  prober?: Prober
  /** More runtimes pods can ask for with the `petset.dev/runtime` annotation. */
  extraRuntimes?: RuntimeEntry[]
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
  /** The kubelet port reported in daemonEndpoints when no streaming server runs. Default 10250. */
  kubeletPort?: number
  /** Record pod events (Pulled, Created, Started, BackOff). Default true. */
  podEvents?: boolean
  /** Informer tuning (tests use short backoffs). */
  informerOptions?: Pick<InformerOptions<Node>, 'backoff' | 'freeze'>
  /** `<data-dir>/nodes/<node>`: pod directories and volumes live under `pods/<uid>`. Without it volumes are skipped. */
  nodeDir?: string
  /** Mounts for tmpfs/NFS volumes. Default: the host's mount(8). */
  mounter?: Mounter
  /** Cluster DNS for ClusterFirst pods (kube-dns's ClusterIP, cluster.local). */
  dns?: ClusterDNS
  /** Re-project API-data volumes (tokens, missed updates) this often. Default 60 s. */
  volumeResyncMs?: number
  /** Serve exec/attach/logs/port-forward for the API server, which presents token. */
  streaming?: { token: string; host?: string; port?: number; tls?: { cert: string; key: string } }
  /** Sees every container config handed to a runtime (tests). */
  onContainerConfig?(pod: Pod, config: ContainerConfig): void
}

/** A node agent; structurally a controllers/runtime Runnable, so the composition root can run it. */
export class NodeAgent {
  readonly name: string
  private readonly clock: Clock
  private readonly log: Logger
  private readonly facts: NodeFacts
  private readonly runtimes: RuntimeSet
  private node: Node | undefined
  private podCIDR: string | undefined

  constructor(private readonly opts: NodeAgentOptions) {
    this.name = `nodeagent/${opts.nodeName}`
    this.clock = opts.clock ?? realClock
    this.log = (opts.log ?? silentLogger).child({ node: opts.nodeName })
    const address = opts.address ?? primaryIPv4()
    this.runtimes = new RuntimeSet(
      { runtime: opts.runtime, prober: opts.prober ?? probesPassAfterDelay },
      opts.extraRuntimes,
    )
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
    const hostIPs = () => [this.facts.addresses[0]!.address]
    const informerOpts = { clock: this.clock, log: this.log, ...this.opts.informerOptions }
    const pods = new Informer<Pod>(client, PODS, { ...informerOpts, fieldSelector: `spec.nodeName=${nodeName}` })
    let workers: PodWorkers | undefined
    const streaming = this.opts.streaming
      ? await startAgentStreamingServer({
          backend: new AgentStreamingBackend(
            async (ns, name) => workers?.find(pods.lister.get({ namespace: ns, name })),
            this.clock,
          ),
          token: this.opts.streaming.token,
          listen: { host: this.opts.streaming.host ?? hostIPs()[0]!, port: this.opts.streaming.port ?? 0 },
          tls: this.opts.streaming.tls,
          log: this.log,
        })
      : undefined
    if (streaming) this.facts.kubeletPort = streaming.port
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
    if (!this.node) {
      await streaming?.close()
      return
    }
    await this.onNode(this.node)

    const { services: node, serviceInformer } = createNodeServices({
      client,
      clock: this.clock,
      log: this.log,
      signal,
      nodeDir: this.opts.nodeDir,
      mounter: this.opts.mounter,
      dns: this.opts.dns,
      allocatable: () => ({ ...this.facts.capacity, ...this.node?.status?.allocatable }),
      hostIPs,
      onObjectChange: uids => workers?.refreshVolumes(uids),
      onConfig: this.opts.onContainerConfig,
      informerOptions: this.opts.informerOptions,
    })
    workers = new PodWorkers({
      runtimes: this.runtimes,
      node,
      statusManager: new StatusManager({ client, clock: this.clock, log: this.log }),
      client,
      events: this.opts.podEvents === false ? undefined : recorder,
      clock: this.clock,
      log: this.log,
      hostIPs,
    })
    const w = workers
    if (this.opts.podEvents !== false)
      for (const e of this.runtimes.entries)
        e.prober.recordEvents?.((pod, type, reason, message) =>
          recorder.event(pod.kind ? pod : { ...pod, apiVersion: 'v1', kind: 'Pod' }, { type, reason, message }),
        )
    await w.adoptExisting()
    const subscriptions = this.runtimes.entries.flatMap(e => [
      e.runtime.onEvent(ev => w.onRuntimeEvent(ev)),
      ...(e.prober.onChange ? [e.prober.onChange(uid => w.wake(uid))] : []),
    ])
    const nodes = new Informer<Node>(client, NODES, { ...informerOpts, fieldSelector: `metadata.name=${nodeName}` })
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
          w.wakeAll()
          statusTicker.wake()
        })
        .catch(err => this.log.error({ err }, 'Failed to apply the node network configuration'))
    nodes.addEventHandler({ onAdd: nodeChanged, onUpdate: (_, n) => nodeChanged(n) })
    pods.addEventHandler({ onAdd: p => w.upsert(p), onUpdate: (_, p) => w.upsert(p), onDelete: p => w.deleted(p) })
    const running = [nodes.run(signal), serviceInformer.run(signal)]
    // Service-link env vars need the Services before the first container starts.
    await serviceInformer.waitForSync(signal)
    running.push(pods.run(signal))
    const renewer = new LeaseRenewer({
      client,
      nodeName,
      leaseDurationSeconds: this.opts.leaseDurationSeconds ?? 40,
      clock: this.clock,
    })
    const tickers = [
      statusTicker,
      ticker(
        this.clock,
        every,
        signal,
        () => renewer.renew(this.node),
        err => this.log.warn({ err }, 'Failed to update lease'),
      ),
    ]
    if (node.volumes)
      tickers.push(
        ticker(
          this.clock,
          this.opts.volumeResyncMs ?? 60_000,
          signal,
          async () => w.refreshVolumes(),
          () => {},
        ),
      )
    if (await pods.waitForSync(signal)) {
      await w.removeUnclaimed()
      if (node.volumes) await removeOrphanPodDirs(node.volumes.podsDir, uid => w.has(uid), node.volumes.host, this.log)
    }
    this.log.info({ pods: w.size }, 'Node agent running')
    await Promise.all([...running, ...tickers.map(t => t.done)])
    for (const s of subscriptions) s.remove()
    w.stopAll()
    await streaming?.close()
    await recorder.flush()
    this.log.info('Node agent stopped')
  }

  /** Tracks the latest Node and hands a new podCIDR to the runtimes; true when the network changed. */
  private async onNode(node: Node): Promise<boolean> {
    this.node = node
    const cidr = node.spec?.podCIDR
    if (!cidr || cidr === this.podCIDR) return false
    this.podCIDR = cidr
    const [primary, ...others] = this.runtimes.entries
    await primary!.runtime.updateRuntimeConfig({ podCIDR: cidr })
    for (const e of others) await e.runtime.updateRuntimeConfig({ podCIDR: secondaryCIDR(cidr) })
    // NOTE: petset caps the pod capacity at the pod IPs the CIDR holds (the kubelet's 110 never
    // reaches a /24's 253), so the scheduler says "Too many pods" instead of sandboxes failing.
    const configured = Number(this.opts.capacity?.pods ?? defaultCapacity.pods)
    this.facts.capacity.pods = String(Math.min(configured, podCIDRCapacity(cidr) ?? configured))
    this.log.info({ podCIDR: cidr, pods: this.facts.capacity.pods }, 'Pod CIDR configured')
    return true
  }
}
