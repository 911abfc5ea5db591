/**
 * What the proxy should serve, decided from Services and Endpoints: one rule per (address, port,
 * protocol) with the ready backends behind it. Pure: data in, data out (C6). ClusterIP rules for
 * every IPv4 ClusterIP of ClusterIP/NodePort/LoadBalancer Services; NodePort rules on the
 * configured node-port addresses. Headless and ExternalName Services, SCTP and IPv6 get nothing.
 */
import type { Endpoints, Service, ServicePort } from '../../api/core.js'

/** One backend: a ready endpoint address and its (resolved) target port. */
export interface Backend {
  ip: string
  port: number
}

/** The transport protocols the proxy serves. */
export type ProxyProtocol = 'TCP' | 'UDP'

/** One listener the proxy keeps open and the backends it forwards to. */
export interface ProxyRule {
  /** Listener identity: "TCP 10.96.0.5:80". */
  key: string
  kind: 'ClusterIP' | 'NodePort'
  protocol: ProxyProtocol
  host: string
  port: number
  /** "namespace/name:port-name" for logs. */
  service: string
  backends: Backend[]
  /** sessionAffinity ClientIP: how long a client sticks to its backend. */
  affinityTimeoutSeconds?: number
}

/** An address:port (protocol default: both) the proxy must leave alone, e.g. the cluster DNS. */
export interface ProxyExclusion {
  ip: string
  port: number
  protocol?: ProxyProtocol
}

/** Inputs besides the objects. */
export interface RuleOptions {
  /** Addresses NodePorts listen on (only the host's own: loopback and node addresses). */
  nodePortAddresses: string[]
  exclude?: ProxyExclusion[]
  /** Backends that replace a Service's Endpoints, by "namespace/name" (e.g. the API server on loopback). */
  overrides?: Record<string, Backend[]>
}

/** The key of a listener. */
export function ruleKey(protocol: ProxyProtocol, host: string, port: number): string {
  return `${protocol} ${host}:${port}`
}

/** The rules for services, reading each one's Endpoints through endpointsOf. Sorted by key. */
export function buildRules(
  services: readonly Service[],
  endpointsOf: (namespace: string, name: string) => Endpoints | undefined,
  opts: RuleOptions,
): ProxyRule[] {
  const excluded = (protocol: ProxyProtocol, host: string, port: number) =>
    opts.exclude?.some(x => x.ip === host && x.port === port && (!x.protocol || x.protocol === protocol)) ?? false
  const rules = new Map<string, ProxyRule>()
  for (const svc of services) {
    const ns = svc.metadata.namespace ?? 'default'
    const name = svc.metadata.name ?? ''
    const clusterIPs = clusterIPsOf(svc)
    if (!clusterIPs.length) continue
    const override = opts.overrides?.[`${ns}/${name}`]
    const endpoints = override ? undefined : endpointsOf(ns, name)
    const affinity = svc.spec?.sessionAffinity === 'ClientIP' ? affinitySeconds(svc) : undefined
    const nodePorts = svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer'
    for (const port of svc.spec?.ports ?? []) {
      const protocol = port.protocol ?? 'TCP'
      if (!isProxied(protocol)) continue
      const backends = override ?? readyBackends(endpoints, port, protocol)
      const base = { protocol, service: `${ns}/${name}:${port.name ?? ''}`, backends, affinityTimeoutSeconds: affinity }
      const listeners: [ProxyRule['kind'], string, number][] = clusterIPs.map(ip => ['ClusterIP', ip, port.port])
      if (nodePorts && port.nodePort)
        for (const host of opts.nodePortAddresses) listeners.push(['NodePort', host, port.nodePort])
      for (const [kind, host, p] of listeners) {
        const key = ruleKey(protocol, host, p)
        if (excluded(protocol, host, p) || rules.has(key)) continue
        rules.set(key, { key, kind, host, port: p, ...base })
      }
    }
  }
  return [...rules.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

const isProxied = (protocol: string): protocol is ProxyProtocol => protocol === 'TCP' || protocol === 'UDP'

/** The IPv4 ClusterIPs of a proxied Service; none for headless and ExternalName Services. */
export function clusterIPsOf(svc: Service): string[] {
  if (svc.spec?.type === 'ExternalName') return []
  const ips = svc.spec?.clusterIPs?.length ? svc.spec.clusterIPs : svc.spec?.clusterIP ? [svc.spec.clusterIP] : []
  return ips.filter(ip => ip !== 'None' && /^\d+\.\d+\.\d+\.\d+$/.test(ip))
}

/** The ready addresses of endpoints for one service port (matched by port name and protocol), deduplicated. */
export function readyBackends(endpoints: Endpoints | undefined, port: ServicePort, protocol: string): Backend[] {
  const out = new Map<string, Backend>()
  for (const subset of endpoints?.subsets ?? []) {
    const ep = subset.ports?.find(p => (p.name ?? '') === (port.name ?? '') && (p.protocol ?? 'TCP') === protocol)
    if (!ep) continue
    for (const a of subset.addresses ?? []) out.set(`${a.ip}:${ep.port}`, { ip: a.ip, port: ep.port })
  }
  return [...out.values()].sort((a, b) => (a.ip === b.ip ? a.port - b.port : a.ip < b.ip ? -1 : 1))
}

/** The affinity timeout of a ClientIP Service (default 10800 s, the API's). */
function affinitySeconds(svc: Service): number {
  return svc.spec?.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800
}

/** The ClusterIPs rules need bound on the host (NodePort addresses are the host's already). */
export function clusterAddresses(rules: readonly ProxyRule[]): Set<string> {
  return new Set(rules.filter(r => r.kind === 'ClusterIP').map(r => r.host))
}
