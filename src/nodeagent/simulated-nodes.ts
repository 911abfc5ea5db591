/**
 * startSimulatedNodes: N node agents on simulated runtimes in one process, for `petset up
 * --nodes N --runtime simulated`, demos and benchmarks. Node i is named `<prefix><i>` (from 1)
 * and gets the synthetic InternalIP 172.18.0.<i+1>, as kind numbers its nodes. Pod IPs come from
 * each node's podCIDR, so run the node IPAM controller too (nodes stay NotReady without one).
 * Given a data directory, pods' volumes are written to disk as on real nodes (nothing runs).
 */
import { join } from 'node:path'
import type { Clock } from '../client/clock.js'
import { type Logger, silentLogger } from '../client/log.js'
import type { RestClient } from '../client/rest-client.js'
import { NodeAgent, type NodeAgentOptions } from './agent.js'
import { simulatedProber } from './probes/simulated.js'
import { SimulatedRuntime, type SimulatedRuntimeOptions } from './runtime/simulated/runtime.js'

/** Options of startSimulatedNodes. */
export interface SimulatedNodesOptions {
  client: RestClient
  count: number
  /** Default "node-". */
  namePrefix?: string
  clock?: Clock
  log?: Logger
  /** Stops every agent. */
  signal: AbortSignal
  /** The cluster's data directory: with it, node i materialises volumes under `<data-dir>/nodes/<node>/pods`. */
  dataDir?: string
  /** Per-node capacity. Default cpu 32, memory 128Gi, pods 2500 (a 1000-replica set fits on one node). NOTE: not "2000": the API server's node validation rejects canonical "2k" (reported). */
  capacity?: NodeAgentOptions['capacity']
  /** Runtime tuning (start delays). */
  runtime?: Omit<SimulatedRuntimeOptions, 'clock'>
  /** Extra options for every agent (heartbeats, labels, informer tuning). */
  agent?: Partial<Omit<NodeAgentOptions, 'client' | 'nodeName' | 'runtime' | 'clock' | 'log'>>
}

/** The running simulated nodes. */
export interface SimulatedNodes {
  agents: NodeAgent[]
  runtimes: SimulatedRuntime[]
  /** Resolves once every agent has stopped (after signal aborts) and the runtimes are closed. */
  done: Promise<void>
}

/** Starts count node agents backed by simulated runtimes; they run until signal aborts. */
export function startSimulatedNodes(opts: SimulatedNodesOptions): SimulatedNodes {
  const log = opts.log ?? silentLogger
  const prefix = opts.namePrefix ?? 'node-'
  const agents: NodeAgent[] = []
  const runtimes: SimulatedRuntime[] = []
  for (let i = 1; i <= opts.count; i++) {
    const runtime = new SimulatedRuntime({ ...opts.runtime, clock: opts.clock })
    runtimes.push(runtime)
    agents.push(
      new NodeAgent({
        prober: simulatedProber,
        capacity: { cpu: '32', memory: '128Gi', pods: '2500', 'ephemeral-storage': '500Gi', ...opts.capacity },
        address: `172.18.0.${(i % 253) + 1}`,
        ...opts.agent,
        ...(opts.dataDir ? { nodeDir: join(opts.dataDir, 'nodes', `${prefix}${i}`) } : {}),
        client: opts.client,
        nodeName: `${prefix}${i}`,
        runtime,
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
    await Promise.all(runtimes.map(r => r.close()))
  })
  return { agents, runtimes, done }
}
