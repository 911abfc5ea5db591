/**
 * The composition root: the start order of the all-in-one cluster, written in one place
 * (k3s's Server()): data dir → store → API server → kubeconfig → controllers → node agents.
 * Every component after the API server reaches it only as an API client.
 */
import { setMaxListeners } from 'node:events'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import pino, { type Logger } from 'pino'
import { type ApiServer, startApiServer } from '../apiserver/server.js'
import type { UpOptions } from '../cli/args.js'
import { writeKubeconfig } from '../cli/kubeconfig.js'
import { RestClient } from '../client/rest-client.js'
import { startDnsServer } from '../dns/server.js'
import { startSimulatedNodes } from '../nodeagent/simulated-nodes.js'
import { openStore } from '../storage/registry.js'
import type { Store } from '../storage/store.js'
import { startControllers } from './controllers.js'

export interface Cluster {
  api: ApiServer
  /** Where the cluster DNS answers on loopback ("127.0.0.1:PORT"), for dig from the host. */
  dnsAddress: string
  kubeconfig: string
  store: Store
  stop(): Promise<void>
}

/**
 * Starts the node agents of the all-in-one: `--nodes N` agents named node-1..node-N.
 * TODO(#4): the runc and process runtimes; until then every node runs the simulated runtime.
 */
function startNodes(opts: UpOptions, api: ApiServer, logger: Logger, signal: AbortSignal): { done: Promise<unknown> } {
  if (opts.nodes === 0) return { done: Promise.resolve() }
  if (opts.runtime && opts.runtime !== 'simulated')
    throw new Error(`--runtime ${opts.runtime} is not available yet; use --runtime simulated`)
  const agentClient = new RestClient({ server: api.url, token: api.token, ca: api.ca, userAgent: 'petset-node' })
  return startSimulatedNodes({
    client: agentClient,
    count: opts.nodes,
    namePrefix: 'node-',
    log: logger.child({ component: 'node' }),
    signal,
  })
}

/** Brings the all-in-one cluster up; resolves once the API answers and controllers run. */
export async function startCluster(opts: UpOptions, logger: Logger = pino({ level: opts.logLevel })): Promise<Cluster> {
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 })
  const store = await openStore(opts.store ?? `sqlite:${join(opts.dataDir, 'state.db')}`)
  const api = await startApiServer({
    store,
    listen: opts.listen,
    tls: !opts.insecureHttp,
    dataDir: opts.dataDir,
    logger,
  })
  const kubeconfig = writeKubeconfig(join(opts.dataDir, 'kubeconfig'), {
    server: api.url,
    token: api.token,
    ca: api.ca,
  })
  const client = new RestClient({
    server: api.url,
    token: api.token,
    ca: api.ca,
    userAgent: 'petset-controller-manager',
  })
  const abort = new AbortController()
  // Every informer, worker and watch listens on this one signal.
  setMaxListeners(0, abort.signal)
  const controllers = startControllers(client, { logger, signal: abort.signal, caCert: api.ca, dataDir: opts.dataDir })
  const dns = await startDnsServer({
    client: new RestClient({ server: api.url, token: api.token, ca: api.ca, userAgent: 'petset-dns' }),
    listen: [{ host: '127.0.0.1', port: 0 }],
    clusterDomain: 'cluster.local',
    log: logger.child({ component: 'dns' }),
    signal: abort.signal,
  })
  const nodes = startNodes(opts, api, logger, abort.signal)
  return {
    api,
    dnsAddress: `127.0.0.1:${dns.port}`,
    kubeconfig,
    store,
    async stop() {
      abort.abort()
      await controllers.catch(() => {})
      await nodes.done.catch(() => {})
      await dns.close()
      await api.close()
      await store.close()
    },
  }
}
