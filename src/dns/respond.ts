/**
 * One query on the wire: decode and validate it, run the chain, then shape the response for its
 * transport: EDNS0 OPT echoed (RFC 6891), BADVERS for EDNS versions above 0, and on UDP a
 * response cut to the client's size (512 bytes without EDNS) with TC set when answers had to go,
 * so the client retries over TCP. Malformed queries get FORMERR, responses are never answered.
 */
import * as packet from 'dns-packet'
import type { Logger } from '../client/log.js'
import { type Answer, type DecodedPacket, Flag, opcodeOf, type Packet, Rcode, replyTo } from './message.js'
import { type Chain, requestOf } from './plugin.js'

/** The smallest and largest UDP payloads we answer with (RFC 1035 floor; a common 4096 ceiling). */
const minUdpSize = 512
const maxUdpSize = 4096
/** The payload size our own OPT record advertises (the DNS flag day 2020 value). */
const advertisedUdpSize = 1232

/** What handleWire needs besides the bytes. */
export interface WireContext {
  transport: 'udp' | 'tcp'
  run: Chain
  log: Logger
  signal?: AbortSignal
}

/** Answers one raw query; resolves with the raw response, or undefined to send nothing. */
export async function handleWire(raw: Buffer, ctx: WireContext): Promise<Buffer | undefined> {
  if (raw.length < 12) return undefined
  let query: DecodedPacket
  try {
    query = packet.decode(raw)
  } catch {
    return formErrFromHeader(raw)
  }
  if (query.flag_qr) return undefined
  const opts = (query.additionals ?? []).filter(a => a.type === 'OPT')
  const opt = opts[0] as OptRecord | undefined
  let resp: Packet
  if (opcodeOf(query) !== 0) resp = replyTo(query, { rcode: Rcode.NOTIMP })
  else if ((query.questions ?? []).length !== 1 || opts.length > 1) resp = replyTo(query, { rcode: Rcode.FORMERR })
  else if (opt && opt.ednsVersion > 0) resp = replyTo(query, { rcode: Rcode.NOERROR })
  else resp = await runChain(query, ctx)
  const limit = ctx.transport === 'tcp' ? 65535 : sizeLimit(opt)
  return encodeWithin(finish(resp, query, opt), limit)
}

interface OptRecord {
  type: 'OPT'
  name: string
  udpPayloadSize: number
  ednsVersion: number
  extendedRcode: number
  flags: number
}

async function runChain(query: DecodedPacket, ctx: WireContext): Promise<Packet> {
  try {
    return await ctx.run(requestOf(query, ctx.transport), ctx.signal)
  } catch (err) {
    const q = query.questions?.[0]
    ctx.log.error({ err, name: q?.name, type: q?.type }, 'DNS handler failed; answering SERVFAIL')
    return replyTo(query, { rcode: Rcode.SERVFAIL })
  }
}

/** The UDP size the client accepts: 512 without EDNS, its advertised size within [512, 4096] with. */
export function sizeLimit(opt: { udpPayloadSize: number } | undefined): number {
  if (!opt) return minUdpSize
  return Math.min(maxUdpSize, Math.max(minUdpSize, opt.udpPayloadSize))
}

/** Sets the query's id and replaces any OPT in resp with ours when (and only when) the query had one. */
function finish(resp: Packet, query: DecodedPacket, opt: OptRecord | undefined): Packet {
  const additionals: Answer[] = (resp.additionals ?? []).filter(a => a.type !== 'OPT')
  if (opt) {
    const badVersion = opt.ednsVersion > 0
    additionals.push({
      type: 'OPT',
      name: '.',
      udpPayloadSize: advertisedUdpSize,
      // BADVERS (16) = extended rcode 1 with header rcode 0.
      extendedRcode: badVersion ? Rcode.BADVERS >> 4 : 0,
      ednsVersion: 0,
      flags: 0,
      flag_do: false,
      options: [],
    } as Answer)
  }
  return { ...resp, type: 'response', id: query.id, additionals }
}

/** dns-packet's per-record codec (exported by the library, missing from its type declarations). */
const recordCodec = (packet as unknown as { answer: { encodingLength(a: Answer): number } }).answer

/**
 * Encodes resp within limit bytes. Extra records go first (they are optional); if the answer
 * still does not fit, TC is set and as many whole answer records are kept as fit. Sizes are
 * computed before encoding, so a 1000-record answer is encoded once, already cut.
 */
export function encodeWithin(resp: Packet, limit: number): Buffer {
  if (packet.encodingLength(resp) <= limit) return packet.encode(resp)
  const lean: Packet = { ...resp, additionals: (resp.additionals ?? []).filter(a => a.type === 'OPT') }
  if (packet.encodingLength(lean) <= limit) return packet.encode(lean)
  const answers = resp.answers ?? []
  const truncated: Packet = { ...lean, flags: (resp.flags ?? 0) | Flag.TC, answers: [], authorities: [] }
  let size = packet.encodingLength(truncated)
  let kept = 0
  while (kept < answers.length && (size += recordCodec.encodingLength(answers[kept]!)) <= limit) kept++
  return packet.encode({ ...truncated, answers: answers.slice(0, kept) })
}

/** A FORMERR header for a query we could not decode (RFC 1035 4.1.1), echoing id, opcode and RD. */
function formErrFromHeader(raw: Buffer): Buffer | undefined {
  const flags = raw.readUInt16BE(2)
  if (flags & 0x8000) return undefined
  const out = Buffer.alloc(12)
  out.writeUInt16BE(raw.readUInt16BE(0), 0)
  out.writeUInt16BE(0x8000 | (flags & 0x7800) | (flags & Flag.RD) | Rcode.FORMERR, 2)
  return out
}
