/**
 * The service proxy (kube-proxy's userspace mode, without iptables): watches Services and
 * Endpoints, puts every ClusterIP on the host's service link, and keeps one TCP or UDP listener
 * per (address, port) forwarding to ready endpoints. Level-based: every event recomputes the whole
 * table (service-table.ts) and converges the listeners to it; failed binds are retried. One per
 * host, whatever the number of nodes on it: the ClusterIPs and NodePorts belong to the host.
 */
import type { Endpoints, Service } from '../../api/core.js'
import { InformerFactory } from '../../client/informer-factory.js'
import { type Logger, silentLogger } from '../../client/log.js'
import { ENDPOINTS, SERVICES } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { type Clock, realClock, type Timer } from '../../machinery/clock.js'
import { defaultClusterCIDR } from '../runtime/network/bridge.js'
import { Balancer } from './balancer.js'
import { localPeerFilter, type PeerFilter } from './peer-filter.js'
import { defaultServiceCIDR, ServiceAddresses } from './service-addresses.js'
import { type Backend, buildRules, clusterAddresses, type ProxyExclusion, type ProxyRule } from './service-table.js'
import { TcpForwarder } from './tcp-forwarder.js'
import { UdpForwarder } from './udp-forwarder.js'

/** How to start the proxy. Give either client or informers. */
export interface ServiceProxyOptions {
  /** An API client: the proxy makes its own informers and runs them until close. */
  client?: RestClient
  /** A shared informer factory; its owner starts it. */
  informers?: InformerFactory
  /** The ClusterIP link, shared with whoever else binds ClusterIPs (the cluster DNS). Default: its own psvc0. */
  addresses?: ServiceAddresses
  /** Where NodePorts listen: only the host's own addresses. Default ["127.0.0.1"]. */
  nodePortAddresses?: string[]
  /** Address:ports served by someone else (the cluster DNS on 10.96.0.10:53). */
  exclude?: ProxyExclusion[]
  /** Backends replacing a Service's Endpoints, by "namespace/name" ("default/kubernetes" → the API on loopback). */
  overrides?: Record<string, Backend[]>
  /** Pod range (peers from it are served). Default 10.244.0.0/16. */
  clusterCIDR?: string
  /** Service range. Default 10.96.0.0/12. */
  serviceCIDR?: string
  /** Who is served. Default: loopback, pods, the service range and the host's addresses. */
  allowPeer?: PeerFilter
  /** UDP session idle timeout. Default 30 s. */
  udpIdleMs?: number
  /** Backend connect timeout per attempt. Default 3 s. */
  connectTimeoutMs?: number
  /** Delay before retrying listeners that failed to bind. Default 5 s. */
  retryMs?: number
  log?: Logger
  /** Closes the proxy when aborted. */
  signal?: AbortSignal
  clock?: Clock
}

/** A running proxy. */
export interface ServiceProxy {
  /** The rules with an open listener, sorted by key. */
  rules(): ProxyRule[]
  /** True once the informers listed and the first table was applied. */
  hasSynced(): boolean
  /** Resolves true once synced, false if signal aborts (or the proxy closes) first. */
  waitForSync(signal?: AbortSignal): Promise<boolean>
  /** Resolves once the table reflects the informers' current content (tests). */
  flush(): Promise<void>
  /** Closes listeners and connections, removes the ClusterIPs it added. Safe to call twice. */
  close(): Promise<void>
}

interface Listener {
  rule: ProxyRule
  balancer: Balancer
  forwarder: TcpForwarder | UdpForwarder
}

/** Starts the proxy; resolves at once (listeners follow the first sync). */
export async function startServiceProxy(opts: ServiceProxyOptions): Promise<ServiceProxy> {
  const log = (opts.log ?? silentLogger).child({ component: 'proxy' })
  const clock = opts.clock ?? realClock
  const stop = new AbortController()
  if (!opts.informers && !opts.client) throw new Error('startServiceProxy needs a client or an informer factory')
  const informers = opts.informers ?? new InformerFactory(opts.client!, { log, clock })
  const services = informers.forResource<Service>(SERVICES)
  const endpoints = informers.forResource<Endpoints>(ENDPOINTS)
  const addresses = opts.addresses ?? new ServiceAddresses({ serviceCIDR: opts.serviceCIDR })
  const allowPeer =
    opts.allowPeer ??
    localPeerFilter({
      clusterCIDR: opts.clusterCIDR ?? defaultClusterCIDR,
      serviceCIDR: opts.serviceCIDR ?? defaultServiceCIDR,
    })
  const listeners = new Map<string, Listener>()
  const held = new Set<string>()
  const reported = new Set<string>()
  let synced = false
  let pruned = false
  let retry: Timer | undefined
  let running: Promise<void> | undefined
  let dirty = false

  const apply = async (): Promise<void> => {
    if (!services.hasSynced() || !endpoints.hasSynced()) return
    const rules = buildRules(services.lister.list(), (namespace, name) => endpoints.lister.get({ namespace, name }), {
      nodePortAddresses: opts.nodePortAddresses ?? ['127.0.0.1'],
      exclude: opts.exclude,
      overrides: opts.overrides,
    })
    const desired = new Map(rules.map(r => [r.key, r]))
    for (const [key, l] of listeners)
      if (!desired.has(key)) {
        listeners.delete(key)
        await l.forwarder.close()
        log.info({ listener: key, service: l.rule.service }, 'Stopped proxying')
      }
    const wanted = clusterAddresses(rules)
    for (const ip of held)
      if (!wanted.has(ip)) {
        held.delete(ip)
        await addresses.release(ip).catch(err => log.warn({ err, ip }, 'Could not remove a ClusterIP'))
      }
    for (const ip of wanted)
      if (!held.has(ip))
        await addresses.acquire(ip).then(
          () => held.add(ip),
          err => report(`addr ${ip}`, { err, ip }, 'Could not add a ClusterIP'),
        )
    if (!pruned && !stop.signal.aborted) {
      pruned = true
      const stale = await addresses.prune().catch(() => [])
      if (stale.length) log.info({ addresses: stale }, 'Removed stale ClusterIPs')
    }
    let failures = false
    for (const rule of rules) {
      const current = listeners.get(rule.key)
      if (current) {
        current.rule = rule
        current.balancer.update(rule.backends, rule.affinityTimeoutSeconds)
        if (current.forwarder instanceof UdpForwarder) current.forwarder.backendsChanged()
        continue
      }
      if (stop.signal.aborted) return
      if (rule.kind === 'ClusterIP' && !held.has(rule.host)) {
        failures = true
        continue
      }
      const opened = await open(rule).catch(err => {
        failures = true
        report(rule.key, { err, listener: rule.key, service: rule.service }, 'Could not listen for a service port')
        return undefined
      })
      if (!opened) continue
      if (stop.signal.aborted) return void (await opened.forwarder.close())
      listeners.set(rule.key, opened)
      reported.delete(rule.key)
      log.info({ listener: rule.key, service: rule.service, backends: rule.backends.length }, 'Proxying')
    }
    if (failures && !retry && !stop.signal.aborted)
      retry = clock.setTimer(() => {
        retry = undefined
        requestSync()
      }, opts.retryMs ?? 5000)
  }

  /** Logs a failure once per key until it succeeds. */
  const report = (key: string, fields: object, msg: string) => {
    if (reported.has(key)) return
    reported.add(key)
    log.warn(fields, msg)
  }

  const open = async (rule: ProxyRule): Promise<Listener> => {
    const balancer = new Balancer(() => clock.now())
    balancer.update(rule.backends, rule.affinityTimeoutSeconds)
    const common = { balancer, allowPeer, log }
    const forwarder =
      rule.protocol === 'TCP'
        ? new TcpForwarder(rule.host, rule.port, { ...common, connectTimeoutMs: opts.connectTimeoutMs })
        : new UdpForwarder(rule.host, rule.port, { ...common, clock, idleMs: opts.udpIdleMs })
    await forwarder.listen()
    return { rule, balancer, forwarder }
  }

  /** Runs apply until no event arrived meanwhile; concurrent requests coalesce. */
  const requestSync = (): Promise<void> => {
    dirty = true
    running ??= (async () => {
      try {
        while (dirty && !stop.signal.aborted) {
          dirty = false
          await apply().catch(err => log.error({ err }, 'Service proxy sync failed'))
        }
        if (!synced && services.hasSynced() && endpoints.hasSynced() && !stop.signal.aborted) {
          synced = true
          log.info({ listeners: listeners.size }, 'Service proxy synced')
        }
      } finally {
        running = undefined
      }
    })()
    return running
  }

  const handler = { onAdd: requestSync, onUpdate: requestSync, onDelete: requestSync }
  const registrations = [services.addEventHandler(handler), endpoints.addEventHandler(handler)]
  if (!opts.informers) informers.start(stop.signal)
  void informers.waitForSync(stop.signal).then(ok => {
    if (ok) void requestSync()
  })

  let closing: Promise<void> | undefined
  const close = () =>
    (closing ??= (async () => {
      stop.abort()
      retry?.cancel()
      for (const r of registrations) r.remove()
      await running
      for (const l of listeners.values()) await l.forwarder.close()
      listeners.clear()
      for (const ip of held) await addresses.release(ip).catch(() => {})
      held.clear()
      if (!opts.addresses) await addresses.close().catch(err => log.warn({ err }, 'Could not remove the service link'))
      if (!opts.informers) await informers.stopped()
      log.info('Service proxy stopped')
    })())
  opts.signal?.addEventListener('abort', () => void close(), { once: true })
  if (opts.signal?.aborted) await close()

  return {
    rules: () => [...listeners.values()].map(l => l.rule).sort((a, b) => (a.key < b.key ? -1 : 1)),
    hasSynced: () => synced,
    async waitForSync(signal) {
      const both = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal
      if (!(await informers.waitForSync(both))) return false
      while (!synced && !both.aborted) await (running ?? requestSync())
      return synced
    },
    async flush() {
      await requestSync()
    },
    close,
  }
}
