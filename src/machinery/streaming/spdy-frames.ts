/**
 * SPDY/3.1 framing: an incremental frame reader and a frame encoder (draft 3.1, section 2.2 and
 * 2.6). Header blocks stay compressed here; `spdy-headers.ts` owns the zlib contexts. Pure: bytes
 * in, frames out; no sockets, no timers.
 */

/** SPDY control frame type codes. */
export const SpdyType = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goaway: 7,
  headers: 8,
  windowUpdate: 9,
} as const

/** RST_STREAM status codes. */
export const RstStatus = {
  protocolError: 1,
  invalidStream: 2,
  refusedStream: 3,
  unsupportedVersion: 4,
  cancel: 5,
  internalError: 6,
  flowControlError: 7,
  streamInUse: 8,
  streamAlreadyClosed: 9,
  frameTooLarge: 11,
} as const

/** FLAG_FIN on data, SYN_STREAM, SYN_REPLY and HEADERS frames. */
export const flagFin = 0x01
/** FLAG_UNIDIRECTIONAL on SYN_STREAM. */
export const flagUnidirectional = 0x02
/** The largest payload a frame's 24-bit length can carry. */
export const maxFramePayload = 0xffffff

/** A DATA frame; FIN half-closes the stream. */
export interface DataFrame {
  type: 'data'
  streamId: number
  fin: boolean
  data: Buffer
}
/** SYN_STREAM: the client opens a stream. */
export interface SynStreamFrame {
  type: 'syn_stream'
  streamId: number
  assocId: number
  priority: number
  slot: number
  fin: boolean
  unidirectional: boolean
  /** zlib-compressed header block. */
  headerBlock: Buffer
}
/** SYN_REPLY: the answer to a SYN_STREAM. */
export interface SynReplyFrame {
  type: 'syn_reply'
  streamId: number
  fin: boolean
  headerBlock: Buffer
}
/** HEADERS: more headers on an open stream. */
export interface HeadersFrame extends Omit<SynReplyFrame, 'type'> {
  type: 'headers'
}
/** RST_STREAM: abort a stream. */
export interface RstStreamFrame {
  type: 'rst_stream'
  streamId: number
  status: number
}
/** SETTINGS (ignored by spdystream and by us, but parsed). */
export interface SettingsFrame {
  type: 'settings'
  clear: boolean
  settings: { id: number; flags: number; value: number }[]
}
/** PING: echoed by the receiver. */
export interface PingFrame {
  type: 'ping'
  id: number
}
/** GOAWAY: no new streams; the connection is closing. */
export interface GoawayFrame {
  type: 'goaway'
  lastGoodStreamId: number
  status: number
}
/** WINDOW_UPDATE: flow-control credit (spdystream never sends one). */
export interface WindowUpdateFrame {
  type: 'window_update'
  streamId: number
  delta: number
}
/** A control frame of a type this codec does not interpret (CREDENTIAL, or a newer version). */
export interface UnknownFrame {
  type: 'unknown'
  version: number
  controlType: number
  flags: number
  payload: Buffer
}

/** Any decoded frame. */
export type SpdyFrame =
  | DataFrame
  | SynStreamFrame
  | SynReplyFrame
  | HeadersFrame
  | RstStreamFrame
  | SettingsFrame
  | PingFrame
  | GoawayFrame
  | WindowUpdateFrame
  | UnknownFrame

/** A malformed frame: the connection cannot continue (answer with GOAWAY and close). */
export class SpdyProtocolError extends Error {
  override name = 'SpdyProtocolError'
}

const id31 = (b: Buffer, at: number) => b.readUInt32BE(at) & 0x7fffffff

function need(payload: Buffer, min: number, what: string): void {
  if (payload.length < min) throw new SpdyProtocolError(`${what} frame too short: ${payload.length} bytes`)
}

function decodeControl(version: number, type: number, flags: number, p: Buffer): SpdyFrame {
  if (version !== 3) return { type: 'unknown', version, controlType: type, flags, payload: p }
  const fin = (flags & flagFin) !== 0
  switch (type) {
    case SpdyType.synStream:
      need(p, 10, 'SYN_STREAM')
      return {
        type: 'syn_stream',
        streamId: id31(p, 0),
        assocId: id31(p, 4),
        priority: p[8]! >> 5,
        slot: p[9]!,
        fin,
        unidirectional: (flags & flagUnidirectional) !== 0,
        headerBlock: p.subarray(10),
      }
    case SpdyType.synReply:
    case SpdyType.headers:
      need(p, 4, type === SpdyType.synReply ? 'SYN_REPLY' : 'HEADERS')
      return {
        type: type === SpdyType.synReply ? 'syn_reply' : 'headers',
        streamId: id31(p, 0),
        fin,
        headerBlock: p.subarray(4),
      }
    case SpdyType.rstStream:
      need(p, 8, 'RST_STREAM')
      return { type: 'rst_stream', streamId: id31(p, 0), status: p.readUInt32BE(4) }
    case SpdyType.settings: {
      need(p, 4, 'SETTINGS')
      const count = p.readUInt32BE(0)
      need(p, 4 + count * 8, 'SETTINGS')
      const settings = []
      for (let i = 0; i < count; i++) {
        const at = 4 + i * 8
        settings.push({ flags: p[at]!, id: p.readUIntBE(at + 1, 3), value: p.readUInt32BE(at + 4) })
      }
      return { type: 'settings', clear: (flags & 0x01) !== 0, settings }
    }
    case SpdyType.ping:
      need(p, 4, 'PING')
      return { type: 'ping', id: p.readUInt32BE(0) }
    case SpdyType.goaway:
      need(p, 4, 'GOAWAY')
      // SPDY/3 added the status word; tolerate its absence.
      return { type: 'goaway', lastGoodStreamId: id31(p, 0), status: p.length >= 8 ? p.readUInt32BE(4) : 0 }
    case SpdyType.windowUpdate:
      need(p, 8, 'WINDOW_UPDATE')
      return { type: 'window_update', streamId: id31(p, 0), delta: id31(p, 4) }
    default:
      return { type: 'unknown', version, controlType: type, flags, payload: p }
  }
}

/**
 * Turns a byte stream into frames. Feed every chunk in order to `push`; it returns the frames
 * completed so far and keeps any partial frame for the next call. Throws SpdyProtocolError on
 * malformed input, after which the reader must not be used again.
 */
export class SpdyFrameReader {
  private buffered: Buffer[] = []
  private size = 0

  /** Adds bytes; returns each frame they complete, in order. */
  push(chunk: Buffer): SpdyFrame[] {
    if (chunk.length) {
      this.buffered.push(chunk)
      this.size += chunk.length
    }
    const frames: SpdyFrame[] = []
    if (this.size < 8) return frames
    let buf = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered)
    let at = 0
    while (buf.length - at >= 8) {
      const length = buf.readUIntBE(at + 5, 3)
      if (buf.length - at < 8 + length) break
      const flags = buf[at + 4]!
      const payload = buf.subarray(at + 8, at + 8 + length)
      const first = buf.readUInt32BE(at)
      if (first & 0x80000000) {
        const version = (first >>> 16) & 0x7fff
        frames.push(decodeControl(version, first & 0xffff, flags, payload))
      } else {
        frames.push({ type: 'data', streamId: first, fin: (flags & flagFin) !== 0, data: payload })
      }
      at += 8 + length
    }
    buf = buf.subarray(at)
    this.buffered = buf.length ? [buf] : []
    this.size = buf.length
    return frames
  }

  /** Bytes held back as an incomplete frame. */
  get pending(): number {
    return this.size
  }
}

function control(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > maxFramePayload) throw new RangeError('SPDY frame payload too large')
  const head = Buffer.alloc(8)
  head.writeUInt16BE(0x8003, 0)
  head.writeUInt16BE(type, 2)
  head[4] = flags
  head.writeUIntBE(payload.length, 5, 3)
  return Buffer.concat([head, payload])
}

function words(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4)
  values.forEach((v, i) => {
    b.writeUInt32BE(v >>> 0, i * 4)
  })
  return b
}

/** Encodes one frame; header blocks must already be compressed. Data over 16 MiB must be split. */
export function encodeFrame(f: SpdyFrame): Buffer {
  const fin = 'fin' in f && f.fin ? flagFin : 0
  switch (f.type) {
    case 'data': {
      if (f.data.length > maxFramePayload) throw new RangeError('SPDY data frame too large')
      const head = Buffer.alloc(8)
      head.writeUInt32BE(f.streamId & 0x7fffffff, 0)
      head[4] = fin
      head.writeUIntBE(f.data.length, 5, 3)
      return Buffer.concat([head, f.data])
    }
    case 'syn_stream': {
      const fixed = Buffer.alloc(10)
      fixed.writeUInt32BE(f.streamId & 0x7fffffff, 0)
      fixed.writeUInt32BE(f.assocId & 0x7fffffff, 4)
      fixed[8] = (f.priority & 0x07) << 5
      fixed[9] = f.slot
      const flags = fin | (f.unidirectional ? flagUnidirectional : 0)
      return control(SpdyType.synStream, flags, Buffer.concat([fixed, f.headerBlock]))
    }
    case 'syn_reply':
    case 'headers': {
      const type = f.type === 'syn_reply' ? SpdyType.synReply : SpdyType.headers
      return control(type, fin, Buffer.concat([words(f.streamId & 0x7fffffff), f.headerBlock]))
    }
    case 'rst_stream':
      return control(SpdyType.rstStream, 0, words(f.streamId & 0x7fffffff, f.status))
    case 'settings': {
      const body = Buffer.alloc(4 + f.settings.length * 8)
      body.writeUInt32BE(f.settings.length, 0)
      f.settings.forEach((s, i) => {
        body[4 + i * 8] = s.flags
        body.writeUIntBE(s.id, 5 + i * 8, 3)
        body.writeUInt32BE(s.value >>> 0, 8 + i * 8)
      })
      return control(SpdyType.settings, f.clear ? 0x01 : 0, body)
    }
    case 'ping':
      return control(SpdyType.ping, 0, words(f.id))
    case 'goaway':
      return control(SpdyType.goaway, 0, words(f.lastGoodStreamId & 0x7fffffff, f.status))
    case 'window_update':
      return control(SpdyType.windowUpdate, 0, words(f.streamId & 0x7fffffff, f.delta & 0x7fffffff))
    case 'unknown': {
      const b = control(f.controlType, f.flags, f.payload)
      b.writeUInt16BE(0x8000 | f.version, 0)
      return b
    }
  }
}
