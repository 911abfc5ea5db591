/**
 * The index the kubernetes plugin answers from: lean Services, Endpoints, Pods and Namespaces,
 * keyed by namespace/name and by IP (reverse lookups, verified pod records). `DnsIndex` is the
 * read side the handler sees (CoreDNS's dnsController); `RecordIndex` is the in-memory
 * implementation that informer events write into, and that handler tests feed directly.
 * No I/O; time comes from the injected `now` (the SOA serial is the last change, in seconds).
 */
import type { LeanEndpoints, LeanPod, LeanService } from './object.js'

/** Read access to what the cluster looks like, as the handler needs it. */
export interface DnsIndex {
  /** False until every informer has listed once: cluster names answer SERVFAIL until then. */
  hasSynced(): boolean
  /** SOA serial: Unix seconds of the last change applied. */
  serial(): number
  /** The Service namespace/name (lower case), if any. */
  service(namespace: string, name: string): LeanService | undefined
  /** The Endpoints of Service namespace/name, if any. */
  endpoints(namespace: string, name: string): LeanEndpoints | undefined
  /** Services whose cluster IPs include ip (canonical form). */
  servicesByClusterIP(ip: string): LeanService[]
  /** Endpoints with a ready address ip. */
  endpointsByIP(ip: string): LeanEndpoints[]
  /** Pods with IP ip. */
  podsByIP(ip: string): LeanPod[]
  /** True when the namespace exists. */
  hasNamespace(name: string): boolean
}

/** A multimap from a string to keyed values. */
class MultiIndex<T> {
  private readonly map = new Map<string, Map<string, T>>()

  add(k: string, id: string, v: T): void {
    let m = this.map.get(k)
    if (!m) this.map.set(k, (m = new Map()))
    m.set(id, v)
  }

  remove(k: string, id: string): void {
    const m = this.map.get(k)
    if (!m) return
    m.delete(id)
    if (!m.size) this.map.delete(k)
  }

  get(k: string): T[] {
    const m = this.map.get(k)
    return m ? [...m.values()] : []
  }
}

const keyOf = (o: { namespace: string; name: string }): string => `${o.namespace}/${o.name}`
const endpointIPs = (ep: LeanEndpoints): string[] => ep.subsets.flatMap(s => s.addresses.map(a => a.ip))

/** The in-memory DnsIndex. Writers replace whole lean objects; readers never see partial updates. */
export class RecordIndex implements DnsIndex {
  private readonly services = new Map<string, LeanService>()
  private readonly endpointsByKey = new Map<string, LeanEndpoints>()
  private readonly pods = new Map<string, LeanPod>()
  private readonly namespaces = new Set<string>()
  private readonly svcByIP = new MultiIndex<LeanService>()
  private readonly epByIP = new MultiIndex<LeanEndpoints>()
  private readonly podByIP = new MultiIndex<LeanPod>()
  private readonly now: () => number
  private lastChange: number
  private synced: () => boolean

  /** now: milliseconds since the epoch (a Clock's now); synced: whether the sources have synced. */
  constructor(opts: { now?: () => number; synced?: () => boolean } = {}) {
    this.now = opts.now ?? (() => 0)
    this.synced = opts.synced ?? (() => true)
    this.lastChange = this.now()
  }

  /** Replaces what decides hasSynced (the informers, once they exist). */
  setSynced(synced: () => boolean): void {
    this.synced = synced
  }

  hasSynced(): boolean {
    return this.synced()
  }

  serial(): number {
    return Math.floor(this.lastChange / 1000)
  }

  service(namespace: string, name: string): LeanService | undefined {
    return this.services.get(`${namespace}/${name}`)
  }

  endpoints(namespace: string, name: string): LeanEndpoints | undefined {
    return this.endpointsByKey.get(`${namespace}/${name}`)
  }

  servicesByClusterIP(ip: string): LeanService[] {
    return this.svcByIP.get(ip)
  }

  endpointsByIP(ip: string): LeanEndpoints[] {
    return this.epByIP.get(ip)
  }

  podsByIP(ip: string): LeanPod[] {
    return this.podByIP.get(ip)
  }

  hasNamespace(name: string): boolean {
    return this.namespaces.has(name)
  }

  /** Adds or replaces a Service. */
  putService(svc: LeanService): void {
    this.deleteService(svc.namespace, svc.name)
    const k = keyOf(svc)
    this.services.set(k, svc)
    for (const ip of svc.clusterIPs) this.svcByIP.add(ip, k, svc)
    this.touch()
  }

  /** Removes a Service (no-op when absent). */
  deleteService(namespace: string, name: string): void {
    const k = `${namespace}/${name}`
    const old = this.services.get(k)
    if (!old) return
    for (const ip of old.clusterIPs) this.svcByIP.remove(ip, k)
    this.services.delete(k)
    this.touch()
  }

  /** Adds or replaces an Endpoints object. */
  putEndpoints(ep: LeanEndpoints): void {
    this.deleteEndpoints(ep.namespace, ep.name)
    const k = keyOf(ep)
    this.endpointsByKey.set(k, ep)
    for (const ip of endpointIPs(ep)) this.epByIP.add(ip, k, ep)
    this.touch()
  }

  /** Removes an Endpoints object. */
  deleteEndpoints(namespace: string, name: string): void {
    const k = `${namespace}/${name}`
    const old = this.endpointsByKey.get(k)
    if (!old) return
    for (const ip of endpointIPs(old)) this.epByIP.remove(ip, k)
    this.endpointsByKey.delete(k)
    this.touch()
  }

  /** Adds or replaces a Pod. */
  putPod(pod: LeanPod): void {
    this.deletePod(pod.namespace, pod.name)
    const k = keyOf(pod)
    this.pods.set(k, pod)
    for (const ip of pod.ips) this.podByIP.add(ip, k, pod)
    this.touch()
  }

  /** Removes a Pod. */
  deletePod(namespace: string, name: string): void {
    const k = `${namespace}/${name}`
    const old = this.pods.get(k)
    if (!old) return
    for (const ip of old.ips) this.podByIP.remove(ip, k)
    this.pods.delete(k)
    this.touch()
  }

  /** Adds a Namespace. */
  putNamespace(name: string): void {
    if (!this.namespaces.has(name)) this.touch()
    this.namespaces.add(name)
  }

  /** Removes a Namespace. */
  deleteNamespace(name: string): void {
    if (this.namespaces.delete(name)) this.touch()
  }

  /** How many objects of each kind are indexed (for logs and benchmarks). */
  counts(): { services: number; endpoints: number; pods: number; namespaces: number } {
    return {
      services: this.services.size,
      endpoints: this.endpointsByKey.size,
      pods: this.pods.size,
      namespaces: this.namespaces.size,
    }
  }

  private touch(): void {
    this.lastChange = this.now()
  }
}
