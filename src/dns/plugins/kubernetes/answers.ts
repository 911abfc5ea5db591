/**
 * Turns entries into resource records per query type (CoreDNS's plugin.A/AAAA/SRV/CNAME in
 * backend_lookup.go): duplicate addresses collapse, SRV weights split 100 evenly, SRV additional
 * records carry the targets' addresses, aliases become CNAMEs completed through ctx.lookup.
 * No state; the only I/O is the lookup a caller hands in.
 */
import { ipFamily } from '../../ip.js'
import { type Answer, lowerName, type Packet, Rcode, type RecordType, rcodeOf, rr, srv } from '../../message.js'
import type { Entry } from './records.js'

/** Resolves a name through the whole chain (DnsContext.lookup). */
export type Lookup = (name: string, type: RecordType) => Promise<Packet>

/** Records of an answer section and its additional section. */
export interface Records {
  answers: Answer[]
  additionals: Answer[]
}

/**
 * A or AAAA records (family 4 or 6) for qname from entries. Aliases become a CNAME followed by
 * whatever the target resolves to; a CNAME pointing back at qname is dropped (a direct loop).
 */
export async function addressRecords(
  qname: string,
  entries: Entry[],
  opts: { family: 4 | 6; ttl: number; lookup: Lookup },
): Promise<Answer[]> {
  const type = opts.family === 4 ? 'A' : 'AAAA'
  const out: Answer[] = []
  const seen = new Set<string>()
  for (const e of entries) {
    if (e.kind === 'ip') {
      if (ipFamily(e.host) !== opts.family || seen.has(e.host)) continue
      seen.add(e.host)
      out.push(rr(qname, type, opts.ttl, e.host))
      continue
    }
    if (lowerName(e.host) === lowerName(qname)) continue
    out.push(rr(qname, 'CNAME', opts.ttl, e.host))
    const res = await opts.lookup(e.host, type)
    // NOTE: when the target does not resolve (SERVFAIL, timeout) the CNAME alone is still the
    // truth about this name; the client's resolver may chase it itself.
    if (rcodeOf(res) === Rcode.NOERROR) out.push(...(res.answers ?? []))
  }
  return out
}

/**
 * SRV records for qname: one per distinct (target, port), priority 0, weight 100/n as CoreDNS
 * (n counts every address entry, so weights match CoreDNS exactly), additional A/AAAA records for
 * each target. Entries without a port (-1) and aliases yield nothing.
 */
export function srvRecords(qname: string, entries: Entry[], ttl: number): Records {
  const addresses = entries.filter(e => e.kind === 'ip')
  const weight = Math.max(1, Math.floor(100 / Math.max(1, addresses.length)))
  const answers: Answer[] = []
  const additionals: Answer[] = []
  const seenSrv = new Set<string>()
  const seenAddr = new Set<string>()
  for (const e of addresses) {
    if (e.port < 0) continue
    const srvKey = `${e.target} ${e.port}`
    if (!seenSrv.has(srvKey)) {
      seenSrv.add(srvKey)
      answers.push(srv(qname, ttl, { priority: 0, weight, port: e.port, target: e.target }))
    }
    const addrKey = `${e.target} ${e.host}`
    if (!seenAddr.has(addrKey)) {
      seenAddr.add(addrKey)
      additionals.push(rr(e.target, ipFamily(e.host) === 6 ? 'AAAA' : 'A', ttl, e.host))
    }
  }
  return { answers, additionals }
}

/** The CNAME record of an alias name (ExternalName); none for address names. */
export function cnameRecords(qname: string, entries: Entry[], ttl: number): Answer[] {
  const alias = entries.find(e => e.kind === 'alias')
  return alias ? [rr(qname, 'CNAME', ttl, alias.host)] : []
}
