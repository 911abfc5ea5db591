/**
 * The DNS Handler seam (CoreDNS's plugin.Handler) and the chain that runs handlers in order.
 * A handler either answers (returns a Packet) or passes the query on (returns NEXT); it "must not
 * care what plugins above it are doing". Handlers do not log per query and do not throw for
 * expected conditions: an unexpected throw becomes SERVFAIL, logged once by the server (C5).
 */
import { type DecodedPacket, lowerName, type Packet, Rcode, type RecordType, replyTo } from './message.js'

/** Returned by a handler that does not answer this query. */
export const NEXT: unique symbol = Symbol('next')

/** What a handler returns: a complete response, or NEXT. */
export type HandlerResult = Packet | typeof NEXT

/** One query as the handlers see it. */
export interface DnsRequest {
  /** The decoded query message (one question). */
  readonly msg: DecodedPacket
  /** The question name as asked (case kept, no trailing dot). */
  readonly qname: string
  /** The question name for comparisons: lower case, no trailing dot ("" is the root). */
  readonly name: string
  /** The question type ("A", "SRV", or "UNKNOWN_65" for types dns-packet has no name for). */
  readonly qtype: RecordType | string
  /** How the query arrived; "internal" for lookups a plugin makes through the chain. */
  readonly transport: 'udp' | 'tcp' | 'internal'
}

/** Per-query services the chain offers its handlers. */
export interface DnsContext {
  /** Aborted when the server closes. */
  readonly signal?: AbortSignal
  /**
   * Resolves name through the whole chain, as a client of this server would (CoreDNS's
   * upstream lookup, used to complete CNAMEs). Resolves with SERVFAIL past a small depth.
   */
  lookup(name: string, type: RecordType): Promise<Packet>
}

/** A DNS plugin. */
export interface Handler {
  /** Short name for logs and errors ("kubernetes", "forward"). */
  readonly name: string
  /** Answers req or returns NEXT. Throws only for unexpected failures (answered SERVFAIL). */
  serveDNS(ctx: DnsContext, req: DnsRequest): HandlerResult | Promise<HandlerResult>
  /** Releases sockets and timers; called once when the server closes. */
  close?(): void | Promise<void>
}

/** A runnable chain: answers every request (REFUSED when no handler takes it). */
export type Chain = (req: DnsRequest, signal?: AbortSignal) => Promise<Packet>

/** How deep ctx.lookup may nest (a CNAME chain resolved through the chain). */
const maxLookupDepth = 8

/** Builds a DnsRequest from a decoded query with exactly one question. */
export function requestOf(msg: DecodedPacket, transport: DnsRequest['transport']): DnsRequest {
  const q = msg.questions![0]!
  const qname = q.name === '.' ? '' : q.name.replace(/\.$/, '')
  return { msg, qname, name: lowerName(qname), qtype: q.type, transport }
}

/** A query message for name and type, as ctx.lookup sends through the chain. */
export function queryFor(name: string, type: RecordType, id = 0): DecodedPacket {
  return {
    type: 'query',
    id,
    flags: 1 << 8,
    questions: [{ name, type, class: 'IN' }],
    answers: [],
    authorities: [],
    additionals: [],
  } as unknown as DecodedPacket
}

/**
 * Runs handlers in order until one answers. When none does, the reply is REFUSED: the query is
 * for a name this server neither serves nor forwards.
 */
export function chain(handlers: readonly Handler[]): Chain {
  const run = async (req: DnsRequest, signal: AbortSignal | undefined, depth: number): Promise<Packet> => {
    const ctx: DnsContext = {
      signal,
      lookup: (name, type) => {
        const sub = requestOf(queryFor(name, type), 'internal')
        if (depth >= maxLookupDepth) return Promise.resolve(replyTo(sub.msg, { rcode: Rcode.SERVFAIL }))
        return run(sub, signal, depth + 1)
      },
    }
    for (const h of handlers) {
      const res = await h.serveDNS(ctx, req)
      if (res !== NEXT) return res
    }
    return replyTo(req.msg, { rcode: Rcode.REFUSED })
  }
  return (req, signal) => run(req, signal, 0)
}
