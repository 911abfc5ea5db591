/**
 * The kubernetes plugin: authoritative answers for the cluster zone from the DnsIndex, and PTR
 * answers for cluster and endpoint IPs (CoreDNS's handler.go + kubernetes.go). Names outside the
 * zone, and reverse names it does not know, go to the next plugin. Before the index has synced,
 * every zone name answers SERVFAIL: DNS does not lie during start-up.
 * No I/O of its own; no logging (the server logs what a handler throws).
 */
import { ipFamily, ipFromReverseName, isReverseName } from '../../ip.js'
import { type Answer, type Packet, Rcode, replyTo, rr, soa, trimZone, txt } from '../../message.js'
import { type DnsContext, type DnsRequest, type Handler, type HandlerResult, NEXT } from '../../plugin.js'
import { addressRecords, cnameRecords, type Records, srvRecords } from './answers.js'
import { parseRequest } from './parse.js'
import type { DnsIndex } from './record-index.js'
import { findRecords, reverseTargets } from './records.js'

/** CoreDNS's default TTL for every cluster record. */
export const defaultTTL = 5
/** The DNS schema version CoreDNS reports at dns-version.<zone> (TXT). */
export const dnsSchemaVersion = '1.1.0'
/** The Service whose cluster IPs are the zone's name server (ns.dns.<zone>). */
const dnsService = { namespace: 'kube-system', name: 'kube-dns' }

/** Configuration of the kubernetes plugin. */
export interface KubernetesOptions {
  /** The cluster domain, e.g. "cluster.local" (any case, with or without the trailing dot). */
  zone: string
  /** TTL of every record (default 5 s). */
  ttl?: number
}

/** The kubernetes plugin over a DnsIndex. */
export class KubernetesPlugin implements Handler {
  readonly name = 'kubernetes'
  private readonly zone: string
  private readonly ttl: number

  constructor(
    private readonly index: DnsIndex,
    opts: KubernetesOptions,
  ) {
    this.zone = opts.zone.toLowerCase().replace(/\.$/, '')
    this.ttl = opts.ttl ?? defaultTTL
  }

  async serveDNS(ctx: DnsContext, req: DnsRequest): Promise<HandlerResult> {
    const base = trimZone(req.name, this.zone)
    if (base === undefined) return isReverseName(req.name) ? this.serveReverse(req) : NEXT
    if (!this.index.hasSynced()) return this.negative(req, Rcode.SERVFAIL)
    if (req.qtype === 'AXFR' || req.qtype === 'IXFR') return replyTo(req.msg, { rcode: Rcode.REFUSED })
    const special = this.serveSpecialName(req, base)
    if (special) return special
    const parsed = parseRequest(base)
    const entries = parsed ? findRecords(this.index, parsed, this.zone) : undefined
    if (!entries) return this.negative(req, Rcode.NXDOMAIN)
    const { answers, additionals } = await this.recordsFor(ctx, req, entries)
    if (!answers.length) return this.negative(req, Rcode.NOERROR)
    return replyTo(req.msg, { authoritative: true, answers, additionals })
  }

  private async recordsFor(
    ctx: DnsContext,
    req: DnsRequest,
    entries: Parameters<typeof srvRecords>[1],
  ): Promise<Records> {
    const none: Answer[] = []
    switch (req.qtype) {
      case 'A':
      case 'AAAA': {
        const family = req.qtype === 'A' ? 4 : 6
        const answers = await addressRecords(req.qname, entries, { family, ttl: this.ttl, lookup: ctx.lookup })
        return { answers, additionals: none }
      }
      case 'SRV':
        return srvRecords(req.qname, entries, this.ttl)
      case 'CNAME':
        return { answers: cnameRecords(req.qname, entries, this.ttl), additionals: none }
      default:
        // The name exists (entries were found); other types have no data here.
        return { answers: none, additionals: none }
    }
  }

  /** The zone apex (SOA, NS), dns-version.<zone> (TXT) and ns.dns.<zone> (the DNS Service's IPs). */
  private serveSpecialName(req: DnsRequest, base: string): Packet | undefined {
    const answer = (answers: Answer[], additionals: Answer[] = []) =>
      answers.length
        ? replyTo(req.msg, { authoritative: true, answers, additionals })
        : this.negative(req, Rcode.NOERROR)
    const nsName = `ns.dns.${this.zone}`
    switch (base) {
      case '':
        if (req.qtype === 'SOA') return answer([soa(this.zone, this.ttl, this.index.serial())])
        if (req.qtype === 'NS') return answer([rr(req.qname, 'NS', this.ttl, nsName)], this.nameServerAddresses(nsName))
        return answer([])
      case 'dns-version':
        return answer(req.qtype === 'TXT' ? [txt(req.qname, 28800, dnsSchemaVersion)] : [])
      case 'ns.dns': {
        const family = req.qtype === 'A' ? 4 : req.qtype === 'AAAA' ? 6 : 0
        const wanted = family === 4 ? 'A' : 'AAAA'
        return answer(family ? this.nameServerAddresses(req.qname).filter(a => a.type === wanted) : [])
      }
      default:
        return undefined
    }
  }

  private nameServerAddresses(owner: string): Answer[] {
    const svc = this.index.service(dnsService.namespace, dnsService.name)
    return (svc?.clusterIPs ?? []).map(ip => rr(owner, ipFamily(ip) === 6 ? 'AAAA' : 'A', this.ttl, ip))
  }

  /** PTR for cluster IPs and endpoint addresses; anything else in the reverse trees goes on. */
  private serveReverse(req: DnsRequest): HandlerResult {
    if (req.qtype !== 'PTR') return NEXT
    const ip = ipFromReverseName(req.name)
    if (!ip) return NEXT
    if (!this.index.hasSynced()) return replyTo(req.msg, { rcode: Rcode.SERVFAIL })
    const targets = reverseTargets(this.index, ip, this.zone)
    if (!targets.length) return NEXT
    return replyTo(req.msg, { authoritative: true, answers: targets.map(t => rr(req.qname, 'PTR', this.ttl, t)) })
  }

  /** NXDOMAIN, NODATA (NOERROR, no answers) or SERVFAIL, with the zone's SOA in authority. */
  private negative(req: DnsRequest, rcode: number): Packet {
    return replyTo(req.msg, {
      rcode,
      authoritative: rcode !== Rcode.SERVFAIL,
      authorities: [soa(this.zone, this.ttl, this.index.serial())],
    })
  }
}
