/**
 * A tiny DNS client: one question to one server over UDP or TCP, decoded answer back. Used by
 * tests, the benchmark and anything that wants to ask petset's DNS server directly. No retries,
 * no TC fallback: callers see exactly what the server sent.
 */
import * as packet from 'dns-packet'
import { type Clock, realClock } from '../client/clock.js'
import type { DecodedPacket, Packet, RecordType } from './message.js'
import { exchangeTcp, UdpExchanger } from './plugins/forward/exchange.js'
import type { Upstream } from './plugins/forward/resolv-conf.js'

/** How to ask. */
export interface AskOptions {
  transport?: 'udp' | 'tcp'
  /** Add an EDNS0 OPT record advertising this UDP payload size. */
  ednsUdpSize?: number
  /** Default 2 s. */
  timeoutMs?: number
  /** Recursion desired (default true). */
  recursionDesired?: boolean
}

/** A reusable client (one UDP socket for all its queries). */
export class DnsClient {
  private readonly udp: UdpExchanger

  constructor(
    private readonly server: Upstream,
    private readonly clock: Clock = realClock,
  ) {
    this.udp = new UdpExchanger(clock)
  }

  /** Asks one question; rejects on timeout. */
  async ask(name: string, type: RecordType | string, opts: AskOptions = {}): Promise<DecodedPacket> {
    const query: Packet = {
      type: 'query',
      id: Math.floor(Math.random() * 0x10000),
      flags: opts.recursionDesired === false ? 0 : packet.RECURSION_DESIRED,
      questions: [{ name, type: type as RecordType, class: 'IN' }],
      additionals: opts.ednsUdpSize
        ? [
            {
              type: 'OPT',
              name: '.',
              udpPayloadSize: opts.ednsUdpSize,
              extendedRcode: 0,
              ednsVersion: 0,
              flags: 0,
              flag_do: false,
              options: [],
            },
          ]
        : [],
    }
    return this.send(packet.encode(query), opts)
  }

  /** Sends raw bytes and decodes the answer (for malformed-query tests). */
  async send(raw: Buffer, opts: Pick<AskOptions, 'transport' | 'timeoutMs'> = {}): Promise<DecodedPacket> {
    const timeout = opts.timeoutMs ?? 2000
    const answer =
      opts.transport === 'tcp'
        ? await exchangeTcp(this.server, raw, timeout, this.clock)
        : await this.udp.exchange(this.server, raw, timeout)
    return packet.decode(answer)
  }

  /** Closes the UDP socket. */
  close(): void {
    this.udp.close()
  }
}
