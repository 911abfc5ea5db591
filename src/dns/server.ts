/**
 * The cluster DNS server: the chain kubernetes → forward behind UDP and TCP listeners
 * (CoreDNS's default Corefile: `kubernetes cluster.local in-addr.arpa ip6.arpa` then
 * `forward . /etc/resolv.conf`). It reads the cluster only through informers (the dns room
 * imports client, machinery and api only). Lifecycle is logged at info; queries are not logged.
 */
import type { Clock } from '../client/clock.js'
import { InformerFactory } from '../client/informer-factory.js'
import { type Logger, silentLogger } from '../client/log.js'
import type { RestClient } from '../client/rest-client.js'
import { canonicalIP } from './ip.js'
import { type HostPort, listenDns } from './listener.js'
import { chain, type Handler } from './plugin.js'
import { ForwardPlugin } from './plugins/forward/forward.js'
import { parseUpstream, readResolvConf, type Upstream } from './plugins/forward/resolv-conf.js'
import { setupKubernetes } from './plugins/kubernetes/setup.js'
import { handleWire } from './respond.js'

/** The cluster domain when none is given. */
export const defaultClusterDomain = 'cluster.local'

/** How to start the DNS server. Give either client or informers. */
export interface DnsServerOptions {
  /** An API client: the server makes its own informers and runs them until close. */
  client?: RestClient
  /** A shared informer factory; its owner starts it (informers requested later start at once). */
  informers?: InformerFactory
  /** Where to answer, UDP and TCP on each; port 0 picks a free port. */
  listen: HostPort[]
  /** The zone served from the cluster. Default cluster.local. */
  clusterDomain?: string
  /** TTL of cluster records. Default 5 s. */
  ttl?: number
  /** Resolvers for other names ("1.1.1.1", "[::1]:5353"). Default: the nameservers of resolvConf; [] turns forwarding off. */
  upstreams?: (string | Upstream)[]
  /** The resolv.conf that upstreams default to. Default /etc/resolv.conf. */
  resolvConf?: string
  /** Time one upstream gets per forwarded query. Default 2 s. */
  forwardTimeoutMs?: number
  log?: Logger
  /** Closes the server when aborted. */
  signal?: AbortSignal
  clock?: Clock
}

/** A running DNS server. */
export interface DnsServer {
  /** The bound addresses, in the order of options.listen. */
  addresses: HostPort[]
  /** The port of the first address. */
  port: number
  /** True once the cluster informers have listed (until then cluster names answer SERVFAIL). */
  hasSynced(): boolean
  /** Resolves true once synced, false if signal aborts (or the server closes) first. */
  waitForSync(signal?: AbortSignal): Promise<boolean>
  /** Stops listening and watching; resolves when sockets are closed. Safe to call twice. */
  close(): Promise<void>
}

/** Starts the DNS server; resolves once every address is bound. */
export async function startDnsServer(opts: DnsServerOptions): Promise<DnsServer> {
  const log = (opts.log ?? silentLogger).child({ component: 'dns' })
  const zone = opts.clusterDomain ?? defaultClusterDomain
  const stop = new AbortController()
  const informers = opts.informers ?? ownFactory(opts, log)
  const k8s = setupKubernetes(informers, { zone, ttl: opts.ttl, clock: opts.clock })
  const handlers: Handler[] = [k8s.plugin]
  const upstreams = withoutSelf(upstreamsOf(opts), opts.listen)
  if (upstreams.length)
    handlers.push(new ForwardPlugin({ upstreams, except: [zone], timeoutMs: opts.forwardTimeoutMs, clock: opts.clock }))
  const run = chain(handlers)
  const listener = await listenDns(
    opts.listen,
    (raw, transport) => handleWire(raw, { transport, run, log, signal: stop.signal }),
    { log },
  ).catch(err => {
    k8s.stop()
    throw err
  })
  if (!opts.informers) informers.start(stop.signal)
  log.info({ addresses: listener.addresses, zone, upstreams }, 'DNS server listening')

  let closing: Promise<void> | undefined
  const close = () =>
    (closing ??= (async () => {
      stop.abort()
      k8s.stop()
      await listener.close()
      await Promise.all(handlers.map(h => h.close?.()))
      if (!opts.informers) await informers.stopped()
      log.info('DNS server stopped')
    })())
  opts.signal?.addEventListener('abort', () => void close(), { once: true })
  if (opts.signal?.aborted) await close()

  return {
    addresses: listener.addresses,
    port: listener.addresses[0]?.port ?? 0,
    hasSynced: k8s.hasSynced,
    async waitForSync(signal) {
      const both = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal
      const synced = await informers.waitForSync(both)
      if (synced) log.info('DNS caches synced')
      return synced && k8s.hasSynced()
    },
    close,
  }
}

function ownFactory(opts: DnsServerOptions, log: Logger): InformerFactory {
  if (!opts.client) throw new Error('startDnsServer needs a client or an informer factory')
  return new InformerFactory(opts.client, { log, clock: opts.clock })
}

function upstreamsOf(opts: DnsServerOptions): Upstream[] {
  if (!opts.upstreams) return readResolvConf(opts.resolvConf)
  return opts.upstreams.map(u => (typeof u === 'string' ? parseUpstream(u) : u))
}

/** Drops upstreams that are this server itself (a forwarding loop), e.g. 127.0.0.1:53 when we listen there. */
function withoutSelf(upstreams: Upstream[], listen: HostPort[]): Upstream[] {
  const wildcard = new Set(['0.0.0.0', '::'])
  return upstreams.filter(
    u =>
      !listen.some(
        l =>
          l.port === u.port &&
          (canonicalIP(l.host) === u.host || (wildcard.has(l.host) && (u.host.startsWith('127.') || u.host === '::1'))),
      ),
  )
}
