/**
 * Looks a parsed cluster name up in the index (CoreDNS's findServices, findPods and
 * serviceRecordForIP). Returns entries, the raw material of records, or `undefined` for a name
 * that does not exist (NXDOMAIN). An empty list is a name that exists with nothing to return
 * (NODATA). Pure over DnsIndex.
 */
import { dashedIP, ipFamily, undashIP } from '../../ip.js'
import type { LeanAddress } from './object.js'
import type { RecordRequest } from './parse.js'
import type { DnsIndex } from './record-index.js'

/** One thing a name resolves to. */
export interface Entry {
  /** An IP address, or an alias target name (ExternalName). */
  kind: 'ip' | 'alias'
  host: string
  /** The port for SRV records; -1 when none applies. */
  port: number
  /** The name an SRV record points at and the owner of its additional address record. */
  target: string
}

/** The hostname of an endpoint: its hostname field, else its dashed IP (CoreDNS's endpointHostname). */
export function endpointHostname(addr: LeanAddress): string {
  return addr.hostname || dashedIP(addr.ip)
}

/** Entries for a name in the svc or pod sub-tree; undefined when it does not exist. */
export function findRecords(index: DnsIndex, r: RecordRequest, zone: string): Entry[] | undefined {
  if (r.podOrSvc === '' || r.namespace === '') return []
  if (!index.hasNamespace(r.namespace)) return undefined
  if (r.service === '') return []
  return r.podOrSvc === 'pod' ? findPods(index, r, zone) : findServices(index, r, zone)
}

function findServices(index: DnsIndex, r: RecordRequest, zone: string): Entry[] | undefined {
  const svc = index.service(r.namespace, r.service)
  if (!svc) return undefined
  const base = `${svc.name}.${svc.namespace}.svc.${zone}`
  if (svc.type === 'ExternalName') {
    // NOTE: an ExternalName has no endpoints and no SRV records; an IP is not a valid CNAME target.
    if (r.endpoint || r.port || r.protocol || !svc.externalName || ipFamily(svc.externalName)) return undefined
    return [{ kind: 'alias', host: svc.externalName, port: -1, target: base }]
  }
  const entries: Entry[] = []
  if (svc.headless || r.endpoint) {
    // CoreDNS answers endpoint names for ClusterIP services too, so PTR targets always resolve.
    for (const subset of index.endpoints(r.namespace, r.service)?.subsets ?? []) {
      for (const addr of subset.addresses) {
        const hostname = endpointHostname(addr)
        if (r.endpoint && r.endpoint !== hostname) continue
        for (const p of subset.ports) {
          if (!matchesPort(r, p)) continue
          entries.push({ kind: 'ip', host: addr.ip, port: p.port, target: `${hostname}.${base}` })
        }
      }
    }
    // The spec: a headless Service without ready endpoints is NXDOMAIN.
    return entries.length ? entries : undefined
  }
  let matched = false
  for (const p of svc.ports) {
    if (!matchesPort(r, p)) continue
    matched = true
    for (const ip of svc.clusterIPs) entries.push({ kind: 'ip', host: ip, port: p.port, target: base })
  }
  return matched ? entries : undefined
}

function findPods(index: DnsIndex, r: RecordRequest, zone: string): Entry[] | undefined {
  if (r.endpoint || r.port || r.protocol) return undefined
  const ip = undashIP(r.service)
  if (!ip) return undefined
  // Verified mode: the record exists only while a pod with that IP exists in that namespace.
  if (!index.podsByIP(ip).some(p => p.namespace === r.namespace)) return undefined
  return [{ kind: 'ip', host: ip, port: -1, target: `${r.service}.${r.namespace}.pod.${zone}` }]
}

/** Port and protocol match, an empty request part matching anything (CoreDNS's matchPortAndProtocol). */
function matchesPort(r: RecordRequest, p: { name: string; protocol: string }): boolean {
  return (r.port === '' || r.port === p.name) && (r.protocol === '' || r.protocol === p.protocol)
}

/**
 * The names an IP reverse-resolves to: the Service owning it as a cluster IP, else every
 * endpoint with that address as <hostname>.<service>.<ns>.svc.<zone>. Empty when unknown.
 */
export function reverseTargets(index: DnsIndex, ip: string, zone: string): string[] {
  const svc = index.servicesByClusterIP(ip)[0]
  if (svc) return [`${svc.name}.${svc.namespace}.svc.${zone}`]
  const names = new Set<string>()
  for (const ep of index.endpointsByIP(ip)) {
    for (const subset of ep.subsets) {
      for (const addr of subset.addresses) {
        if (addr.ip === ip) names.add(`${endpointHostname(addr)}.${ep.name}.${ep.namespace}.svc.${zone}`)
      }
    }
  }
  return [...names]
}
