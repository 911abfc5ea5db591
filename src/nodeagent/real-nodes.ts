/**
 * startNodes: N node agents on a real runtime (runc or process) in one process, for `petset up
 * --runtime runc|process`. Node i is `<prefix><i>` (from 1) with its state under
 * `<data-dir>/nodes/<node>` (runtime records, pod dirs and volumes), images from the shared
 * `<data-dir>/images` store, real probes, and its streaming server on an ephemeral port of its
 * InternalIP (advertised in daemonEndpoints). Every node can also run single pods on the other
 * runtimes through the `petset.dev/runtime` annotation: `simulated` always, `process` on runc
 * nodes. Run the node IPAM controller too (nodes stay NotReady without a podCIDR).
 */
import { join } from 'node:path'
import { type Clock, realClock } from '../client/clock.js'
import { type Logger, silentLogger } from '../client/log.js'
import type { RestClient } from '../client/rest-client.js'
import { NodeAgent, type NodeAgentOptions } from './agent.js'
import { primaryIPv4 } from './host-info.js'
import { RealProber } from './probes/real.js'
import { simulatedProber } from './probes/simulated.js'
import { LocalImageStore } from './runtime/images/store.js'
import type { ImageStore } from './runtime/images/types.js'
import { BridgeNetwork } from './runtime/network/bridge.js'
import { ProcessRuntime } from './runtime/process/runtime.js'
import { RuncRuntime } from './runtime/runc/runtime.js'
import type { ContainerRuntime } from './runtime/runtime.js'
import { SimulatedRuntime } from './runtime/simulated/runtime.js'
import type { RuntimeEntry } from './runtime-set.js'

/** The real runtimes a node can be built on. */
export type RealRuntimeKind = 'runc' | 'process'

/** What a runtime factory gets for one node. */
export interface RuntimeFactoryContext {
  nodeName: string
  /** Where the runtime keeps its state. */
  rootDir: string
  images: ImageStore
  log: Logger
}

/** Builds a node's runtime of the given kind. */
export type RuntimeFactory = (kind: RealRuntimeKind, ctx: RuntimeFactoryContext) => ContainerRuntime

/** The default factory: RuncRuntime on a bridge pod network, or ProcessRuntime on loopback addresses. */
export const defaultRuntimeFactory: RuntimeFactory = (kind, ctx) =>
  kind === 'runc'
    ? new RuncRuntime({
        rootDir: ctx.rootDir,
        images: ctx.images,
        nodeName: ctx.nodeName,
        network: new BridgeNetwork({
          nodeName: ctx.nodeName,
          stateDir: join(ctx.rootDir, 'network'),
          log: ctx.log.child({ component: 'network' }),
        }),
      })
    : new ProcessRuntime({ rootDir: ctx.rootDir, images: ctx.images })

/** Options of startNodes. */
export interface RealNodesOptions {
  client: RestClient
  count: number
  runtime: RealRuntimeKind
  /** The cluster's data directory (`~/.petset`): nodes/<node>/ and images/ live there. */
  dataDir: string
  /** The token the API server presents to the agents' streaming servers (its nodeAgentToken). */
  streamingToken: string
  /** Serve streaming over TLS (the API server's default nodeAgentScheme is https); plain HTTP without. */
  streamingTls?: { cert: string; key: string }
  log?: Logger
  /** Stops every agent. */
  signal: AbortSignal
  /** Default "node-". */
  namePrefix?: string
  /** The nodes' InternalIP (and streaming listen address). Default: this machine's first IPv4. */
  address?: string
  /** The kube-dns Service IP for ClusterFirst pods. Default 10.96.0.10. */
  clusterDNS?: string
  clock?: Clock
  /** Builds runtimes (tests, or runtimes with special options). Default defaultRuntimeFactory. */
  runtimeFactory?: RuntimeFactory
  /** The image store. Default LocalImageStore at `<data-dir>/images`. */
  images?: ImageStore
  /** Extra options for every agent (capacity, heartbeats, labels). */
  agent?: Partial<Omit<NodeAgentOptions, 'client' | 'nodeName' | 'runtime' | 'clock' | 'log'>>
}

/** The running nodes. */
export interface RealNodes {
  agents: NodeAgent[]
  /** Every runtime of every node (primary first per node). */
  runtimes: ContainerRuntime[]
  /** Resolves once every agent has stopped (after signal aborts) and the runtimes are closed. */
  done: Promise<void>
}

/** A runtime with a real prober whose exec probes run through it. */
function realEntry(runtime: ContainerRuntime, clock: Clock | undefined): { entry: RuntimeEntry; prober: RealProber } {
  const prober = new RealProber({ clock: clock ?? realClock, runtimeFor: () => runtime })
  return { entry: { runtime, prober }, prober }
}

/** Starts count node agents on real runtimes; they run until signal aborts. */
export function startNodes(opts: RealNodesOptions): RealNodes {
  const log = opts.log ?? silentLogger
  const prefix = opts.namePrefix ?? 'node-'
  const images = opts.images ?? new LocalImageStore({ dir: join(opts.dataDir, 'images') })
  const factory = opts.runtimeFactory ?? defaultRuntimeFactory
  const address = opts.address ?? primaryIPv4()
  const agents: NodeAgent[] = []
  const runtimes: ContainerRuntime[] = []
  const probers: RealProber[] = []
  for (let i = 1; i <= opts.count; i++) {
    const nodeName = `${prefix}${i}`
    const nodeDir = join(opts.dataDir, 'nodes', nodeName)
    const nodeLog = log.child({ node: nodeName })
    const primary = realEntry(factory(opts.runtime, { nodeName, rootDir: nodeDir, images, log: nodeLog }), opts.clock)
    const extras: RuntimeEntry[] = [{ runtime: new SimulatedRuntime({ clock: opts.clock }), prober: simulatedProber }]
    if (opts.runtime === 'runc') {
      const rootDir = join(nodeDir, 'runtimes', 'process')
      const process = realEntry(factory('process', { nodeName, rootDir, images, log: nodeLog }), opts.clock)
      extras.push(process.entry)
      probers.push(process.prober)
    }
    probers.push(primary.prober)
    runtimes.push(primary.entry.runtime, ...extras.map(e => e.runtime))
    agents.push(
      new NodeAgent({
        address,
        dns: { servers: [opts.clusterDNS ?? '10.96.0.10'] },
        ...opts.agent,
        client: opts.client,
        nodeName,
        runtime: primary.entry.runtime,
        prober: primary.entry.prober,
        extraRuntimes: extras,
        nodeDir,
        streaming: { token: opts.streamingToken, host: address, port: 0, tls: opts.streamingTls },
        clock: opts.clock,
        log,
      }),
    )
  }
  const done = Promise.all(
    agents.map(a =>
      a.run(opts.signal).catch(err => log.error({ err, node: a.name }, 'Node agent exited with an error')),
    ),
  ).then(async () => {
    for (const p of probers) p.close()
    await Promise.all(runtimes.map(r => r.close()))
  })
  return { agents, runtimes, done }
}
