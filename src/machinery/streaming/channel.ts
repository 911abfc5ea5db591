/**
 * The WebSocket channel protocol of exec and attach (`v4.channel.k8s.io`, `v5.channel.k8s.io`):
 * every binary message starts with a channel byte. v5 adds channel 255, by which the client
 * half-closes one of its channels (`[255, 0]`: stdin reached EOF). Pure: buffers only.
 */

/** Subprotocol names, newest first: the order in which a server prefers them. */
export const ChannelProtocol = { v5: 'v5.channel.k8s.io', v4: 'v4.channel.k8s.io' } as const
/** One of the channel subprotocol names. */
export type ChannelProtocolName = (typeof ChannelProtocol)[keyof typeof ChannelProtocol]

/** Channel ids. */
export const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const

/** One decoded message: which channel, and the bytes after the channel byte. */
export interface ChannelMessage {
  channel: number
  data: Buffer
}

/** Builds a message for a channel. */
export function encodeChannelMessage(channel: number, data: Uint8Array | string = Buffer.alloc(0)): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  const out = Buffer.allocUnsafe(1 + body.length)
  out[0] = channel
  out.set(body, 1)
  return out
}

/** Splits a message; an empty message (which clients may send at start) yields undefined. */
export function decodeChannelMessage(message: Buffer): ChannelMessage | undefined {
  if (!message.length) return undefined
  return { channel: message[0]!, data: message.subarray(1) }
}

/** The v5 message that half-closes `channel` (sent by the client for stdin). */
export function encodeCloseChannel(channel: number): Buffer {
  return Buffer.from([Channel.close, channel])
}

/** Splits a Sec-WebSocket-Protocol (or X-Stream-Protocol-Version) header into its tokens. */
export function parseProtocolList(header: string | string[] | undefined): string[] {
  const joined = Array.isArray(header) ? header.join(',') : (header ?? '')
  return joined
    .split(',')
    .map(p => p.trim())
    .filter(Boolean)
}

/** The first of `supported` (in the server's order of preference) that the client offered. */
export function negotiateProtocol<T extends string>(
  offered: readonly string[],
  supported: readonly T[],
): T | undefined {
  return supported.find(p => offered.includes(p))
}
