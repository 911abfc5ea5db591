/**
 * The node side of the all-in-one: node agents on the chosen runtime and, for runc nodes, the
 * host services pods need (ClusterIPs on the service link, the service proxy, cluster DNS at
 * 10.96.0.10:53). Picks runc when it can (root and runc present), plain processes otherwise.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import type { Logger } from 'pino'
import type { ApiServer } from '../apiserver/server.js'
import type { UpOptions } from '../cli/args.js'
import { RestClient } from '../client/rest-client.js'
import { prepareClusterDns } from '../nodeagent/proxy/cluster-dns.js'
import { startServiceProxy } from '../nodeagent/proxy/proxy.js'
import { removeServiceDevice, ServiceAddresses } from '../nodeagent/proxy/service-addresses.js'
import { startNodes } from '../nodeagent/real-nodes.js'
import { cleanupNodeNetwork } from '../nodeagent/runtime/network/bridge.js'
import type { ContainerRuntime } from '../nodeagent/runtime/runtime.js'
import { startSimulatedNodes } from '../nodeagent/simulated-nodes.js'

export interface NodeSide {
  runtime: 'runc' | 'process' | 'simulated' | 'none'
  /** Where pods and the host reach cluster DNS on port 53, when the host serves it. */
  dnsListen?: { host: string; port: number }
  /** Resolves once agents (and host services) have stopped after signal aborted. */
  done: Promise<void>
  /** Hook for the DNS server's start: when set, DNS must also listen here. */
  release(): Promise<void>
}

const canRunc = () => process.getuid?.() === 0 && spawnSync('runc', ['--version']).status === 0

/** The runtime `petset up` uses: the flag, else runc when possible, else process. */
export function chooseRuntime(opts: UpOptions): NodeSide['runtime'] {
  if (opts.nodes === 0) return 'none'
  return opts.runtime ?? (canRunc() ? 'runc' : 'process')
}

/** Prepares host networking (runc only) before DNS starts: 10.96.0.10 on the service link. */
export async function prepareNodeNetwork(runtime: NodeSide['runtime']) {
  if (runtime !== 'runc') return undefined
  const addresses = new ServiceAddresses()
  const dns = await prepareClusterDns(addresses)
  return { addresses, dns }
}

/** Starts the agents (and, for runc, the service proxy); stops them when signal aborts. */
export async function startNodeSide(
  opts: UpOptions & { nodeAgentToken: string },
  api: ApiServer,
  network: Awaited<ReturnType<typeof prepareNodeNetwork>>,
  logger: Logger,
  signal: AbortSignal,
): Promise<NodeSide> {
  const runtime = chooseRuntime(opts)
  const client = new RestClient({ server: api.url, token: api.token, ca: api.ca, userAgent: 'petset-node' })
  const log = logger.child({ component: 'node' })
  if (runtime === 'none') return { runtime, done: Promise.resolve(), release: async () => {} }
  if (runtime === 'simulated') {
    const nodes = startSimulatedNodes({ client, count: opts.nodes, namePrefix: 'node-', log, signal })
    return { runtime, done: nodes.done.then(() => {}), release: async () => {} }
  }
  const nodes = startNodes({
    client,
    count: opts.nodes,
    runtime,
    dataDir: opts.dataDir,
    streamingToken: opts.nodeAgentToken,
    log,
    signal,
  })
  let proxy: Awaited<ReturnType<typeof startServiceProxy>> | undefined
  if (network) {
    // Pods reach the API server through the kubernetes Service, proxied to wherever it listens.
    const apiHost = opts.listen.host === '0.0.0.0' || opts.listen.host === '::' ? '127.0.0.1' : opts.listen.host
    proxy = await startServiceProxy({
      client: new RestClient({ server: api.url, token: api.token, ca: api.ca, userAgent: 'petset-proxy' }),
      addresses: network.addresses,
      exclude: [network.dns.exclude],
      overrides: { 'default/kubernetes': [{ ip: apiHost, port: api.port }] },
      log: logger.child({ component: 'proxy' }),
      signal,
    })
  }
  return {
    runtime,
    dnsListen: network?.dns.listen,
    done: nodes.done,
    async release() {
      await proxy?.close()
      // `petset up` stopping stops its pods and removes their network (a crash leaves them for
      // the next start to re-adopt). The API objects stay: the next start runs the pods again.
      await stopAllPods(nodes.runtimes, log)
      if (runtime === 'runc')
        for (let i = 1; i <= opts.nodes; i++)
          await cleanupNodeNetwork(`node-${i}`, {
            stateDir: join(opts.dataDir, 'nodes', `node-${i}`, 'network'),
          }).catch(err => log.warn({ err }, 'Could not clean up the node network'))
      await network?.dns.release()
      await network?.addresses.close()
      if (network) await removeServiceDevice().catch(() => {})
    },
  }
}

/** Stops and removes every sandbox of every runtime (their containers get a short grace period). */
async function stopAllPods(runtimes: ContainerRuntime[], log: Logger): Promise<void> {
  await Promise.all(
    runtimes.map(async rt => {
      for (const sb of await rt.listPodSandboxes().catch(() => [])) {
        try {
          for (const c of await rt.listContainers({ sandboxId: sb.id }))
            if (c.state === 'running') await rt.stopContainer(c.id, { graceSeconds: 2 })
          await rt.stopPodSandbox(sb.id)
          await rt.removePodSandbox(sb.id)
        } catch (err) {
          log.warn({ err, sandbox: sb.id }, 'Could not stop a pod sandbox')
        }
      }
      await rt.close().catch(() => {})
    }),
  )
}
