/**
 * The forward plugin: queries for names outside the zones it must not forward go to upstream
 * resolvers (by default the host's, from /etc/resolv.conf), tried in order, each within a
 * timeout; a truncated UDP answer is fetched again over TCP. When no upstream answers, the
 * reply is SERVFAIL. Cluster-domain names are never forwarded (they go to the next plugin).
 */
import * as packet from 'dns-packet'
import { type Clock, realClock } from '../../../client/clock.js'
import { isSubdomain, lowerName, type Packet, Rcode, replyTo } from '../../message.js'
import { type DnsContext, type DnsRequest, type Handler, type HandlerResult, NEXT } from '../../plugin.js'
import { exchangeTcp, UdpExchanger } from './exchange.js'
import type { Upstream } from './resolv-conf.js'

/** Default time one upstream gets to answer one attempt. */
export const defaultForwardTimeoutMs = 2000

/** Configuration of the forward plugin. */
export interface ForwardOptions {
  /** Resolvers to ask, in order. */
  upstreams: Upstream[]
  /** Zones never forwarded (the cluster domain): queries below them go to the next plugin. */
  except?: string[]
  /** Time one upstream gets per attempt (default 2 s). */
  timeoutMs?: number
  clock?: Clock
}

/** Forwards queries to upstream resolvers. */
export class ForwardPlugin implements Handler {
  readonly name = 'forward'
  private readonly upstreams: Upstream[]
  private readonly except: string[]
  private readonly timeoutMs: number
  private readonly clock: Clock
  private readonly udp: UdpExchanger

  constructor(opts: ForwardOptions) {
    this.upstreams = [...opts.upstreams]
    this.except = (opts.except ?? []).map(lowerName)
    this.timeoutMs = opts.timeoutMs ?? defaultForwardTimeoutMs
    this.clock = opts.clock ?? realClock
    this.udp = new UdpExchanger(this.clock)
  }

  async serveDNS(_ctx: DnsContext, req: DnsRequest): Promise<HandlerResult> {
    if (this.except.some(zone => isSubdomain(req.name, zone))) return NEXT
    const query = packet.encode({ ...req.msg, type: 'query' })
    for (const upstream of this.upstreams) {
      const answer = await this.ask(upstream, query).catch(() => undefined)
      // A garbled answer, or one to another question, counts as no answer: try the next upstream.
      if (answer && sameQuestion(answer, req.msg)) return { ...answer, id: req.msg.id }
    }
    return replyTo(req.msg, { rcode: Rcode.SERVFAIL })
  }

  close(): void {
    this.udp.close()
  }

  private async ask(upstream: Upstream, query: Buffer): Promise<Packet> {
    const answer = packet.decode(await this.udp.exchange(upstream, query, this.timeoutMs))
    if (!answer.flag_tc) return answer
    return packet.decode(await exchangeTcp(upstream, query, this.timeoutMs, this.clock))
  }
}

function sameQuestion(answer: Packet, query: Packet): boolean {
  const a = answer.questions?.[0]
  const q = query.questions?.[0]
  return !!a && !!q && a.type === q.type && lowerName(a.name) === lowerName(q.name)
}
