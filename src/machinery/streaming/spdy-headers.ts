/**
 * SPDY/3 header blocks: the name/value layout, and the two zlib contexts of a connection. A
 * connection has exactly one deflate context (our blocks) and one inflate context (the peer's),
 * each primed with the SPDY/3 dictionary and flushed with Z_SYNC_FLUSH after every block, so
 * block N can refer back to text of block N-1: never create a context per block. No I/O: zlib
 * runs on Node's thread pool, so the contexts are promise based and process blocks strictly in
 * call order.
 */
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib'
import { spdy3Dictionary } from './spdy-dictionary.js'

/** Header names (lowercase) to values; several values of one name are joined with NUL. */
export type SpdyHeaders = Record<string, string>

/** Upper bound on an inflated header block; a peer sending more is broken or hostile. */
export const maxHeaderBlockBytes = 256 * 1024

/** Lays out headers as SPDY/3 wants them, uncompressed: count, then (len, name, len, value)*. */
export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const parts: Buffer[] = []
  const count = Buffer.alloc(4)
  const entries = Object.entries(headers)
  count.writeUInt32BE(entries.length)
  parts.push(count)
  for (const [name, value] of entries) {
    for (const text of [name.toLowerCase(), value]) {
      const bytes = Buffer.from(text, 'utf8')
      const len = Buffer.alloc(4)
      len.writeUInt32BE(bytes.length)
      parts.push(len, bytes)
    }
  }
  return Buffer.concat(parts)
}

/** Parses an uncompressed header block. Throws on truncation. Repeated names are NUL-joined. */
export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  const headers: SpdyHeaders = {}
  if (block.length < 4) throw new Error('SPDY header block truncated')
  const count = block.readUInt32BE(0)
  let at = 4
  const next = (): string => {
    if (block.length - at < 4) throw new Error('SPDY header block truncated')
    const len = block.readUInt32BE(at)
    at += 4
    if (block.length - at < len) throw new Error('SPDY header block truncated')
    const text = block.toString('utf8', at, at + len)
    at += len
    return text
  }
  for (let i = 0; i < count; i++) {
    const name = next().toLowerCase()
    const value = next()
    headers[name] = name in headers ? `${headers[name]}\0${value}` : value
  }
  return headers
}

/** One zlib stream used block by block; calls run strictly one after another. */
class ZlibContext {
  private chain: Promise<unknown> = Promise.resolve()
  private out: Buffer[] = []
  private outBytes = 0
  private failed: Error | undefined

  constructor(private readonly z: Deflate | Inflate) {
    // One permanent listener: every byte produced for a block is emitted before that block's
    // flush callback runs, so the collector always belongs to the block in flight.
    z.on('data', (chunk: Buffer) => {
      this.out.push(chunk)
      this.outBytes += chunk.length
      if (this.outBytes > maxHeaderBlockBytes) z.destroy(new Error('SPDY header block too large'))
    })
    z.on('error', (e: Error) => {
      this.failed ??= e
    })
  }

  run(input: Buffer): Promise<Buffer> {
    const step = () =>
      new Promise<Buffer>((resolve, reject) => {
        if (this.failed) return reject(this.failed)
        if (this.z.destroyed) return reject(new Error('SPDY header context closed'))
        this.out = []
        this.outBytes = 0
        const onError = (e: Error) => reject(e)
        this.z.once('error', onError)
        this.z.write(input)
        this.z.flush(constants.Z_SYNC_FLUSH, (err?: Error | null) => {
          this.z.removeListener('error', onError)
          if (err || this.failed) return reject(this.failed ?? err)
          resolve(Buffer.concat(this.out))
        })
      })
    const result = this.chain.then(step)
    this.chain = result.catch(() => undefined)
    return result
  }

  close(): void {
    this.z.destroy()
  }
}

/** Our side's compression context: one per connection. */
export class HeaderCompressor {
  private readonly ctx = new ZlibContext(createDeflate({ dictionary: spdy3Dictionary }))

  /** Compresses one header block; blocks come out in call order and must be sent in that order. */
  compress(headers: SpdyHeaders): Promise<Buffer> {
    return this.ctx.run(encodeHeaderBlock(headers))
  }

  /** Frees the zlib state. */
  close(): void {
    this.ctx.close()
  }
}

/** The peer's decompression context: one per connection. */
export class HeaderDecompressor {
  private readonly ctx = new ZlibContext(createInflate({ dictionary: spdy3Dictionary }))

  /** Decompresses and parses one header block; blocks must be given in the order received. */
  async decompress(block: Buffer): Promise<SpdyHeaders> {
    return decodeHeaderBlock(await this.ctx.run(block))
  }

  /** Frees the zlib state. */
  close(): void {
    this.ctx.close()
  }
}
