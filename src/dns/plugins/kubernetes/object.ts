/**
 * Lean copies of the API objects DNS answers from (CoreDNS's object/ package): only the fields
 * records are made of, names lower-cased and IPs canonical, so the index stays small and every
 * comparison is exact. Pure converters; they never keep a reference to the cached object.
 */
import type { Endpoints, Namespace, Service } from '../../../api/core.js'
import type { Pod } from '../../../api/pod.js'
import { canonicalIP } from '../../ip.js'

/** A service or endpoint port. Port -1 marks a subset that declares no ports (no SRV records). */
export interface LeanPort {
  /** "" for an unnamed port. */
  name: string
  /** Lower case: "tcp", "udp", "sctp". */
  protocol: string
  port: number
}

/** What DNS needs of a Service. */
export interface LeanService {
  namespace: string
  name: string
  /** ClusterIP, NodePort, LoadBalancer or ExternalName. */
  type: string
  /** Canonical cluster IPs; empty for headless and ExternalName services. */
  clusterIPs: string[]
  headless: boolean
  /** spec.externalName without trailing dot ("" unless type ExternalName). */
  externalName: string
  ports: LeanPort[]
}

/** One ready endpoint address. */
export interface LeanAddress {
  ip: string
  /** The address's hostname field ("" when unset). */
  hostname: string
}

/** What DNS needs of an EndpointSubset: ready addresses only. */
export interface LeanSubset {
  addresses: LeanAddress[]
  ports: LeanPort[]
}

/** What DNS needs of an Endpoints object (named like its Service). */
export interface LeanEndpoints {
  namespace: string
  name: string
  subsets: LeanSubset[]
}

/** What DNS needs of a Pod: where it is and its IPs. */
export interface LeanPod {
  namespace: string
  name: string
  ips: string[]
}

const portOf = (p: { name?: string; protocol?: string; port: number }): LeanPort => ({
  name: (p.name ?? '').toLowerCase(),
  protocol: (p.protocol ?? 'TCP').toLowerCase(),
  port: p.port,
})

const canonicalIPs = (ips: (string | undefined)[]): string[] =>
  ips.map(ip => (ip ? canonicalIP(ip) : undefined)).filter((ip): ip is string => ip !== undefined)

/** The lean form of a Service. */
export function toLeanService(svc: Service): LeanService {
  const spec = svc.spec ?? {}
  const type = spec.type ?? 'ClusterIP'
  const ips = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : []
  const headless = type !== 'ExternalName' && ips[0] === 'None'
  return {
    namespace: (svc.metadata.namespace ?? '').toLowerCase(),
    name: (svc.metadata.name ?? '').toLowerCase(),
    type,
    clusterIPs: headless || type === 'ExternalName' ? [] : canonicalIPs(ips),
    headless,
    externalName: type === 'ExternalName' ? (spec.externalName ?? '').replace(/\.$/, '').toLowerCase() : '',
    ports: (spec.ports ?? []).map(portOf),
  }
}

/**
 * The lean form of an Endpoints object. Only `addresses` count: the endpoints controller already
 * moves not-ready pods there when the Service sets publishNotReadyAddresses (as CoreDNS reads it).
 */
export function toLeanEndpoints(ep: Endpoints): LeanEndpoints {
  return {
    namespace: (ep.metadata.namespace ?? '').toLowerCase(),
    name: (ep.metadata.name ?? '').toLowerCase(),
    subsets: (ep.subsets ?? []).map(s => ({
      addresses: (s.addresses ?? []).flatMap(a => {
        const ip = canonicalIP(a.ip)
        return ip ? [{ ip, hostname: (a.hostname ?? '').toLowerCase() }] : []
      }),
      // CoreDNS's sentinel: a subset without ports still yields address records, but no SRV.
      ports: s.ports?.length ? s.ports.map(portOf) : [{ name: '', protocol: '', port: -1 }],
    })),
  }
}

/** The lean form of a Pod: status.podIPs, or status.podIP when only that is set. */
export function toLeanPod(pod: Pod): LeanPod {
  const listed = (pod.status?.podIPs ?? []).map(p => p.ip)
  return {
    namespace: (pod.metadata.namespace ?? '').toLowerCase(),
    name: (pod.metadata.name ?? '').toLowerCase(),
    ips: [...new Set(canonicalIPs(listed.length ? listed : [pod.status?.podIP]))],
  }
}

/** The lean form of a Namespace: its name. */
export function toLeanNamespace(ns: Namespace): string {
  return (ns.metadata.name ?? '').toLowerCase()
}
