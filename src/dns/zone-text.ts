/**
 * Resource records as zone-file text ("web-0.nginx.default.svc.cluster.local. 5 IN A 10.244.0.10"):
 * how tests write expected answers (CoreDNS's test.Case style) and how records appear in logs.
 * Pure.
 */
import { type Answer, fqdn } from './message.js'

/** One record as a zone-file line: owner, TTL, class, type, rdata; names end with a dot. */
export function formatRecord(a: Answer): string {
  if (a.type === 'OPT') return `. OPT udp=${a.udpPayloadSize}`
  return `${fqdn(a.name)} ${a.ttl ?? 0} ${a.class ?? 'IN'} ${a.type} ${formatData(a)}`
}

function formatData(a: Exclude<Answer, { type: 'OPT' }>): string {
  switch (a.type) {
    case 'A':
    case 'AAAA':
      return a.data
    case 'CNAME':
    case 'PTR':
    case 'NS':
    case 'DNAME':
      return fqdn(a.data)
    case 'SRV':
      return `${a.data.priority ?? 0} ${a.data.weight ?? 0} ${a.data.port} ${fqdn(a.data.target)}`
    case 'SOA': {
      const d = a.data
      return `${fqdn(d.mname)} ${fqdn(d.rname)} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`
    }
    case 'TXT': {
      const parts = Array.isArray(a.data) ? a.data : [a.data]
      return parts.map(p => JSON.stringify(p.toString())).join(' ')
    }
    default:
      return JSON.stringify(a.data)
  }
}

/** Normalizes hand-written zone-file text for comparison: single spaces, owner and targets as written. */
export function normalizeRecordText(line: string): string {
  return line.trim().split(/\s+/).join(' ')
}
