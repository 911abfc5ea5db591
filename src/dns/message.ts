/**
 * DNS message helpers shared by the server and every plugin: rcodes, reply skeletons, record
 * constructors and name handling over dns-packet's Packet. Pure: no I/O, no clock.
 *
 * Names inside petset's DNS code are kept without the trailing dot; `fqdn` adds it only where
 * text for humans is produced. Comparisons use `lowerName` (DNS names are case-insensitive).
 */
import type { Answer, DecodedPacket, Packet, Question, RecordType } from 'dns-packet'

/** The decoded packet type (dns-packet's), re-exported so plugins import one module. */
export type { Answer, DecodedPacket, Packet, Question, RecordType }

/** Response codes (RFC 1035, 6891). BADVERS lives in the OPT record's extended rcode. */
export const Rcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  BADVERS: 16,
} as const

/** Header flag bits as dns-packet keeps them in Packet.flags (rcode in the low 4 bits, opcode in 11–14). */
export const Flag = {
  AA: 1 << 10,
  TC: 1 << 9,
  RD: 1 << 8,
  RA: 1 << 7,
  AD: 1 << 5,
  CD: 1 << 4,
} as const

/** The rcode of a message (header part only). */
export function rcodeOf(msg: Packet): number {
  return (msg.flags ?? 0) & 0xf
}

/** The opcode of a message (0 = QUERY). */
export function opcodeOf(msg: Packet): number {
  return ((msg.flags ?? 0) >> 11) & 0xf
}

/** Returns msg with its rcode replaced (the header part; BADVERS is set on the OPT record). */
export function withRcode(msg: Packet, rcode: number): Packet {
  return { ...msg, flags: ((msg.flags ?? 0) & ~0xf) | (rcode & 0xf) }
}

/** True when flag is set on msg. */
export function hasFlag(msg: Packet, flag: number): boolean {
  return ((msg.flags ?? 0) & flag) !== 0
}

/** What a reply is built from. */
export interface ReplyParts {
  rcode?: number
  /** Authoritative answer (set for names inside a zone we serve). */
  authoritative?: boolean
  answers?: Answer[]
  authorities?: Answer[]
  additionals?: Answer[]
}

/**
 * A response to query: same id and question, RD copied, RA set (petset's DNS recurses through
 * the forward plugin, as CoreDNS advertises), opcode copied. EDNS is added later by the server.
 */
export function replyTo(query: Packet, parts: ReplyParts = {}): Packet {
  const qflags = query.flags ?? 0
  let flags = (qflags & (Flag.RD | (0xf << 11))) | Flag.RA | ((parts.rcode ?? Rcode.NOERROR) & 0xf)
  if (parts.authoritative) flags |= Flag.AA
  return {
    type: 'response',
    id: query.id ?? 0,
    flags,
    questions: query.questions ?? [],
    answers: parts.answers ?? [],
    authorities: parts.authorities ?? [],
    additionals: parts.additionals ?? [],
  }
}

/** Lower case and no trailing dot: the form names are compared and indexed in. */
export function lowerName(name: string): string {
  const n = name.endsWith('.') && name.length > 1 ? name.slice(0, -1) : name
  return n === '.' ? '' : n.toLowerCase()
}

/** The name with exactly one trailing dot, for zone-file text. */
export function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`
}

/** True when name equals zone or lies below it (both in lowerName form; "" is the root). */
export function isSubdomain(name: string, zone: string): boolean {
  if (zone === '') return true
  return name === zone || name.endsWith(`.${zone}`)
}

/** name without the zone suffix ("" for the apex); undefined when name is outside zone. */
export function trimZone(name: string, zone: string): string | undefined {
  if (!isSubdomain(name, zone)) return undefined
  if (name === zone) return ''
  return zone === '' ? name : name.slice(0, -(zone.length + 1))
}

/** An A, AAAA, CNAME, PTR or NS record. */
export function rr(name: string, type: 'A' | 'AAAA' | 'CNAME' | 'PTR' | 'NS', ttl: number, data: string): Answer {
  return { name, type, class: 'IN', ttl, data }
}

/** An SRV record. */
export function srv(
  name: string,
  ttl: number,
  data: { priority: number; weight: number; port: number; target: string },
): Answer {
  return { name, type: 'SRV', class: 'IN', ttl, data }
}

/** A TXT record with one string. */
export function txt(name: string, ttl: number, text: string): Answer {
  return { name, type: 'TXT', class: 'IN', ttl, data: [text] }
}

/** The SOA record of a zone, CoreDNS's shape: ns.dns.<zone>, hostmaster.<zone>, 7200/1800/86400. */
export function soa(zone: string, ttl: number, serial: number): Answer {
  return {
    name: zone,
    type: 'SOA',
    class: 'IN',
    // CoreDNS: the SOA's own TTL is min(ttl, 300); its minimum (negative-caching TTL) is ttl.
    ttl: Math.min(ttl, 300),
    data: {
      mname: `ns.dns.${zone}`,
      rname: `hostmaster.${zone}`,
      serial: serial >>> 0,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: ttl,
    },
  }
}
