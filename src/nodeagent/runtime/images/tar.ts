/**
 * Reads tar archives (plain or gzip) entry by entry without extracting, to check them before the
 * host `tar` extracts them: no absolute names, no ".." components, no entry written through a
 * symlink the same archive created, no hard link leaving the archive. Knows ustar, GNU long names
 * and pax headers; content is skipped, never buffered.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { createGunzip } from 'node:zlib'

/** One archive member, names as stored (pax/GNU long names applied). */
export interface TarEntry {
  name: string
  /** '0' file, '1' hard link, '2' symlink, '3' char device, '4' block device, '5' directory, '6' fifo. */
  type: string
  size: number
  linkName: string
}

/** The archive is malformed or unsafe to extract; the message names the entry. */
export class UnsafeArchive extends Error {
  readonly code = 'UnsafeArchive'
  constructor(message: string) {
    super(message)
    this.name = 'UnsafeArchive'
  }
}

const BLOCK = 512

/** Pulls exact byte counts out of a stream of chunks. */
class ByteReader {
  private buf: Buffer = Buffer.alloc(0)
  private readonly it: AsyncIterator<Buffer>
  constructor(source: AsyncIterable<Buffer>) {
    this.it = source[Symbol.asyncIterator]()
  }
  /** n bytes, or fewer at the end of the stream. */
  async read(n: number): Promise<Buffer> {
    while (this.buf.length < n) {
      const next = await this.it.next()
      if (next.done) break
      this.buf = this.buf.length ? Buffer.concat([this.buf, next.value]) : next.value
    }
    const out = this.buf.subarray(0, n)
    this.buf = this.buf.subarray(out.length)
    return out
  }
  async skip(n: number): Promise<void> {
    while (n > 0) {
      const chunk = await this.read(Math.min(n, 1 << 20))
      if (!chunk.length) throw new UnsafeArchive('truncated tar archive')
      n -= chunk.length
    }
  }
}

const str = (b: Buffer, start: number, len: number) => {
  const s = b.subarray(start, start + len)
  const nul = s.indexOf(0)
  return s.subarray(0, nul < 0 ? s.length : nul).toString('utf8')
}

/** Octal, or GNU base-256 when the high bit of the first byte is set. */
function num(b: Buffer, start: number, len: number): number {
  if (b[start]! & 0x80) {
    let v = b[start]! & 0x7f
    for (let i = start + 1; i < start + len; i++) v = v * 256 + b[i]!
    return v
  }
  const s = str(b, start, len).trim()
  return s ? Number.parseInt(s, 8) : 0
}

function checksumOk(h: Buffer): boolean {
  let sum = 0
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!
  return sum === num(h, 148, 8)
}

/** pax records: "<len> key=value\n". */
function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {}
  let pos = 0
  while (pos < data.length) {
    const sp = data.indexOf(32, pos)
    if (sp < 0) break
    const len = Number.parseInt(data.subarray(pos, sp).toString('ascii'), 10)
    if (!(len > 0)) break
    const rec = data.subarray(sp + 1, pos + len - 1).toString('utf8')
    const eq = rec.indexOf('=')
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1)
    pos += len
  }
  return out
}

/** True when the file starts with the gzip magic. */
export async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r')
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(4), 0, 4, 0)
    if (bytesRead >= 4 && buffer.readUInt32LE(0) === 0xfd2fb528) {
      throw new UnsafeArchive('zstd-compressed layers are not supported; re-save the image with gzip or no compression')
    }
    return bytesRead >= 2 && buffer[0] === 0x1f && buffer[1] === 0x8b
  } finally {
    await fh.close()
  }
}

/** Every entry of a tar file (gzip detected by magic); rejects UnsafeArchive on malformed input. */
export async function listTar(file: string): Promise<TarEntry[]> {
  return (await inspectTar(file)).entries
}

/**
 * The entries and the digest of the uncompressed tar stream (an OCI layer's diff id, the same
 * whether the blob is gzip or not); rejects UnsafeArchive on malformed input.
 */
export async function inspectTar(file: string): Promise<{ entries: TarEntry[]; diffId: string }> {
  const raw = createReadStream(file)
  const source = ((await isGzip(file)) ? raw.pipe(createGunzip()) : raw) as AsyncIterable<Buffer>
  const hash = createHash('sha256')
  const reader = new ByteReader(
    (async function* () {
      for await (const chunk of source) {
        hash.update(chunk)
        yield chunk
      }
    })(),
  )
  const entries: TarEntry[] = []
  let longName: string | undefined
  let longLink: string | undefined
  let pax: Record<string, string> = {}
  try {
    for (;;) {
      const h = await reader.read(BLOCK)
      if (h.length < BLOCK || h.every(b => b === 0)) break
      if (!checksumOk(h))
        throw new UnsafeArchive(`not a tar archive (bad header checksum at entry ${entries.length + 1})`)
      const type = String.fromCharCode(h[156]!) === '\0' ? '0' : String.fromCharCode(h[156]!)
      let size = num(h, 124, 12)
      const padded = Math.ceil(size / BLOCK) * BLOCK
      if (type === 'L' || type === 'K' || type === 'x' || type === 'g') {
        if (size > 1 << 20) throw new UnsafeArchive('tar metadata header too large')
        const data = (await reader.read(padded)).subarray(0, size)
        if (type === 'L') longName = str(data, 0, data.length)
        else if (type === 'K') longLink = str(data, 0, data.length)
        else if (type === 'x') pax = parsePax(data)
        continue
      }
      const ustar = h.subarray(257, 263).toString('latin1') === 'ustar\0'
      const prefix = ustar ? str(h, 345, 155) : ''
      let name = longName ?? (prefix ? `${prefix}/${str(h, 0, 100)}` : str(h, 0, 100))
      let linkName = longLink ?? str(h, 157, 100)
      if (pax.path !== undefined) name = pax.path
      if (pax.linkpath !== undefined) linkName = pax.linkpath
      if (pax.size !== undefined) size = Number(pax.size)
      entries.push({ name, type, size, linkName })
      longName = longLink = undefined
      pax = {}
      await reader.skip(type === '1' || type === '2' || type === '5' ? 0 : Math.ceil(size / BLOCK) * BLOCK)
    }
    // Hash the rest (tar's zero padding to the record size) so the digest covers the whole stream.
    while ((await reader.read(1 << 20)).length > 0) {}
  } catch (e) {
    if (e instanceof UnsafeArchive) throw e
    throw new UnsafeArchive(`cannot read archive ${file}: ${(e as Error).message}`)
  } finally {
    raw.destroy()
  }
  return { entries, diffId: `sha256:${hash.digest('hex')}` }
}

/** Path components of a member name ("./a//b/" → ["a", "b"]); throws on absolute names and "..". */
export function safeComponents(name: string, what = 'entry'): string[] {
  if (name.startsWith('/')) throw new UnsafeArchive(`${what} "${name}" has an absolute path`)
  const parts = name.split('/').filter(p => p !== '' && p !== '.')
  if (parts.includes('..')) throw new UnsafeArchive(`${what} "${name}" escapes the extraction directory ("..")`)
  return parts
}

const allowedTypes = new Set(['0', '7', '1', '2', '3', '4', '5', '6'])

/** Throws UnsafeArchive when extracting the entries could write outside the target directory. */
export function checkEntries(entries: TarEntry[]): void {
  const symlinks = new Set<string>()
  for (const e of entries) {
    if (!allowedTypes.has(e.type)) throw new UnsafeArchive(`entry "${e.name}" has unsupported tar type "${e.type}"`)
    const parts = safeComponents(e.name)
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/')
      if (symlinks.has(dir)) throw new UnsafeArchive(`entry "${e.name}" is written through the symlink "${dir}"`)
    }
    const path = parts.join('/')
    if (e.type === '1') safeComponents(e.linkName, `hard link "${e.name}" →`)
    // NOTE: once a symlink, always suspect: tar keeps a symlink to a directory when a later
    // directory entry has the same name, so nothing may go below that path afterwards.
    if (e.type === '2') symlinks.add(path)
  }
}

/** sha256 of a file's bytes, "sha256:<hex>". */
export async function digestFile(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return `sha256:${hash.digest('hex')}`
}
