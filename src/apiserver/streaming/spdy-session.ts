/**
 * The server end of a SPDY/3.1 connection, as kubectl's spdystream client expects it: the client
 * opens every stream, the server answers each SYN_STREAM with an empty SYN_REPLY, echoes PINGs,
 * and sends nothing it has not been asked for (no SETTINGS; no flow control, because spdystream
 * sends no WINDOW_UPDATEs and would stall). Streams are Duplexes: end() sends FIN, a peer FIN ends
 * the readable side, RST_STREAM destroys. Runs over any byte Duplex (a socket, or a WebSocket
 * stream for the port-forward tunnel).
 */
import { EventEmitter } from 'node:events'
import { Duplex } from 'node:stream'
import {
  encodeFrame,
  RstStatus,
  type SpdyFrame,
  SpdyFrameReader,
  SpdyProtocolError,
} from '../../machinery/streaming/spdy-frames.js'
import { HeaderCompressor, HeaderDecompressor, type SpdyHeaders } from '../../machinery/streaming/spdy-headers.js'
import type { StreamingLog } from './context.js'

/** Largest DATA frame we send; writes are split into frames of at most this size. */
const maxDataFrame = 32 * 1024

/** One client-initiated stream. */
export class SpdyStream extends Duplex {
  private localFin = false
  private remoteFin = false

  constructor(
    private readonly session: SpdySession,
    readonly id: number,
    readonly headers: SpdyHeaders,
  ) {
    super({ allowHalfOpen: true })
  }

  /** The stream's role header (`error`, `stdin`, `stdout`, `stderr`, `resize`, `data`). */
  get streamType(): string {
    return this.headers.streamtype ?? ''
  }

  /** Session use: bytes (or FIN) from the peer. */
  receive(data: Buffer, fin: boolean): void {
    if (this.remoteFin) return
    if (data.length) this.push(data)
    if (fin) {
      this.remoteFin = true
      this.push(null)
    }
  }

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.session.sendData(this.id, chunk, false).then(() => done(), done)
  }

  override _final(done: (e?: Error | null) => void): void {
    this.localFin = true
    this.session.sendData(this.id, Buffer.alloc(0), true).then(() => done(), done)
  }

  override _destroy(err: Error | null, done: (e: Error | null) => void): void {
    if (!(this.localFin && this.remoteFin)) this.session.reset(this.id)
    this.session.forget(this.id)
    done(err)
  }
}

/**
 * A SPDY/3.1 server session. Events: 'stream' (SpdyStream, already replied to), 'close' (the
 * connection is gone; every stream has been destroyed).
 */
export class SpdySession extends EventEmitter {
  private readonly reader = new SpdyFrameReader()
  private readonly inflater = new HeaderDecompressor()
  private readonly deflater = new HeaderCompressor()
  private readonly streams = new Map<number, SpdyStream>()
  private inbound: Promise<void> = Promise.resolve()
  private outbound: Promise<void> = Promise.resolve()
  private lastStreamId = 0
  private closed = false

  constructor(
    private readonly transport: Duplex,
    private readonly log?: StreamingLog,
  ) {
    super()
    transport.on('data', (chunk: Buffer) => this.receive(chunk))
    // Frames that arrived just before the end are still handled, then everything is torn down.
    const finish = () => void this.inbound.then(() => this.shutdown())
    transport.on('end', finish)
    transport.on('close', finish)
    transport.on('error', err => {
      log?.debug({ err }, 'SPDY connection failed')
      this.shutdown()
    })
  }

  /** Feeds bytes that arrived with the upgrade request (the 'upgrade' event's head). */
  receive(chunk: Buffer): void {
    let frames: SpdyFrame[]
    try {
      frames = this.reader.push(chunk)
    } catch (e) {
      this.fail(e)
      return
    }
    for (const f of frames) this.inbound = this.inbound.then(() => this.handle(f)).catch(e => this.fail(e))
  }

  /** Stops reading from the client (backpressure towards an uploading kubectl). */
  pause(): void {
    this.transport.pause()
  }

  resume(): void {
    this.transport.resume()
  }

  private async handle(f: SpdyFrame): Promise<void> {
    switch (f.type) {
      case 'syn_stream': {
        const headers = await this.inflater.decompress(f.headerBlock)
        if (this.streams.has(f.streamId) || f.streamId % 2 === 0 || f.streamId <= this.lastStreamId) {
          this.reset(f.streamId, RstStatus.protocolError)
          return
        }
        this.lastStreamId = f.streamId
        const stream = new SpdyStream(this, f.streamId, headers)
        this.streams.set(f.streamId, stream)
        void this.enqueue(async () =>
          encodeFrame({
            type: 'syn_reply',
            streamId: f.streamId,
            fin: false,
            headerBlock: await this.deflater.compress({}),
          }),
        )
        if (f.fin) stream.receive(Buffer.alloc(0), true)
        this.emit('stream', stream)
        return
      }
      case 'data':
        this.streams.get(f.streamId)?.receive(f.data, f.fin)
        return
      case 'syn_reply':
      case 'headers':
        // Decompressed only to keep the shared inflate context in step with the peer.
        await this.inflater.decompress(f.headerBlock)
        if (f.fin) this.streams.get(f.streamId)?.receive(Buffer.alloc(0), true)
        return
      case 'rst_stream': {
        const s = this.streams.get(f.streamId)
        this.streams.delete(f.streamId)
        s?.destroy()
        return
      }
      case 'ping':
        this.post(() => encodeFrame(f))
        return
      default:
        // GOAWAY: the client closes the socket itself once its streams are done. SETTINGS,
        // WINDOW_UPDATE and unknown frames need no answer.
        return
    }
  }

  /** Queues bytes behind everything queued before; header blocks compress in this order. */
  private enqueue(build: () => Buffer | Promise<Buffer>): Promise<void> {
    const step = async () => {
      if (this.closed) throw new Error('SPDY connection closed')
      const bytes = await build()
      if (this.transport.write(bytes)) return
      await new Promise<void>(resolve => {
        const done = () => {
          this.transport.off('drain', done)
          this.transport.off('close', done)
          resolve()
        }
        this.transport.on('drain', done)
        this.transport.on('close', done)
      })
    }
    const p = this.outbound.then(step)
    this.outbound = p.catch(() => undefined)
    return p
  }

  /** Queues a frame nobody waits for; failing to send it only means the connection is gone. */
  private post(build: () => Buffer | Promise<Buffer>): void {
    this.enqueue(build).catch(() => {})
  }

  /** Session use by SpdyStream: data frames (split), FIN on the last one. */
  sendData(streamId: number, data: Buffer, fin: boolean): Promise<void> {
    let last: Promise<void> = Promise.resolve()
    for (let at = 0; at < data.length || (fin && at === 0); at += maxDataFrame) {
      const part = data.subarray(at, at + maxDataFrame)
      const isLast = at + maxDataFrame >= data.length
      last = this.enqueue(() => encodeFrame({ type: 'data', streamId, fin: fin && isLast, data: part }))
      if (!data.length) break
    }
    return last
  }

  /** Session use: RST_STREAM (CANCEL unless told otherwise). */
  reset(streamId: number, status: number = RstStatus.cancel): void {
    if (!this.closed) this.post(() => encodeFrame({ type: 'rst_stream', streamId, status }))
  }

  /** Session use: a destroyed stream leaves the table. */
  forget(streamId: number): void {
    this.streams.delete(streamId)
  }

  /** Sends GOAWAY once everything queued is out, then ends the connection. */
  async close(): Promise<void> {
    if (this.closed) return
    await this.enqueue(() => encodeFrame({ type: 'goaway', lastGoodStreamId: this.lastStreamId, status: 0 })).catch(
      () => {},
    )
    this.transport.end()
    this.shutdown()
  }

  /** Tears down at once. */
  destroy(): void {
    this.transport.destroy()
    this.shutdown()
  }

  private fail(e: unknown): void {
    this.log?.debug({ err: e }, 'SPDY protocol error')
    if (!this.closed && e instanceof SpdyProtocolError)
      this.transport.write(encodeFrame({ type: 'goaway', lastGoodStreamId: this.lastStreamId, status: 1 }))
    this.destroy()
  }

  private shutdown(): void {
    if (this.closed) return
    this.closed = true
    for (const s of this.streams.values()) s.destroy()
    this.streams.clear()
    this.inflater.close()
    this.deflater.close()
    this.emit('close')
  }
}
