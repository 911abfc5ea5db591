/**
 * The composition root: the start order of the all-in-one cluster, written in one place
 * (k3s's Server()): data dir → store → API server → kubeconfig → controllers → node agents.
 * Every component after the API server reaches it only as an API client.
 */
import { setMaxListeners } from 'node:events'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import pino, { type Logger } from 'pino'
import { loadOrCreateToken } from '../apiserver/pki.js'
import { type ApiServer, startApiServer } from '../apiserver/server.js'
import type { UpOptions } from '../cli/args.js'
import { writeKubeconfig } from '../cli/kubeconfig.js'
import { RestClient } from '../client/rest-client.js'
import { startDnsServer } from '../dns/server.js'
import { openStore } from '../storage/registry.js'
import type { Store } from '../storage/store.js'
import { startControllers } from './controllers.js'
import { chooseRuntime, prepareNodeNetwork, startNodeSide } from './nodes.js'

export interface Cluster {
  api: ApiServer
  /** The runtime the node agents use. */
  runtime: string
  /** Where the cluster DNS answers on loopback ("127.0.0.1:PORT"), for dig from the host. */
  dnsAddress: string
  kubeconfig: string
  store: Store
  stop(): Promise<void>
}

/** Brings the all-in-one cluster up; resolves once the API answers and controllers run. */
export async function startCluster(opts: UpOptions, logger: Logger = pino({ level: opts.logLevel })): Promise<Cluster> {
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 })
  const store = await openStore(opts.store ?? `sqlite:${join(opts.dataDir, 'state.db')}`)
  // The API server presents this token to node agents (exec, logs, port-forward, proxy).
  const nodeAgentToken = loadOrCreateToken(join(opts.dataDir, 'pki'), 'node-agent.token')
  const api = await startApiServer({
    store,
    listen: opts.listen,
    tls: !opts.insecureHttp,
    dataDir: opts.dataDir,
    logger,
    nodeAgentToken,
    nodeAgentScheme: 'http',
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
  const network = await prepareNodeNetwork(chooseRuntime(opts))
  const dns = await startDnsServer({
    client: new RestClient({ server: api.url, token: api.token, ca: api.ca, userAgent: 'petset-dns' }),
    listen: [{ host: '127.0.0.1', port: 0 }, ...(network ? [network.dns.listen] : [])],
    clusterDomain: 'cluster.local',
    log: logger.child({ component: 'dns' }),
    signal: abort.signal,
  })
  const nodes = await startNodeSide({ ...opts, nodeAgentToken }, api, network, logger, abort.signal)
  return {
    api,
    runtime: nodes.runtime,
    dnsAddress: `127.0.0.1:${dns.port}`,
    kubeconfig,
    store,
    async stop() {
      abort.abort()
      await controllers.catch(() => {})
      await nodes.done.catch(() => {})
      await dns.close()
      await nodes.release().catch(() => {})
      await api.close()
      await store.close()
    },
  }
}
