/**
 * `<dir>/images.json`: the loaded images (names, id, layer digests, config, size). Written
 * whole (temp file + rename) under a lock directory, so `petset image load` may run while
 * `petset up` reads it. Files only: no caching beyond one mtime check.
 */
import { mkdir, readFile, rename, rmdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ImageConfig } from './types.js'

/** One loaded image. */
export interface ImageRecord {
  /** "sha256:<hex>" of its config. */
  id: string
  /** Normalized names tagging it; empty when untagged. */
  names: string[]
  /** Layer diff ids ("sha256:<hex>" of the uncompressed tar), lowest first; unpacked at `<dir>/layers/<hex>`. */
  layers: string[]
  config: ImageConfig
  /** Bytes of its unpacked layers. */
  size: number
  /** RFC 3339 time of the load. */
  loadedAt: string
}

/** The whole file. */
export interface RecordsFile {
  version: 1
  images: ImageRecord[]
}

const empty = (): RecordsFile => ({ version: 1, images: [] })

/** Reads `<dir>/images.json` (an absent file is an empty store). */
export async function readRecords(dir: string): Promise<RecordsFile> {
  try {
    const parsed = JSON.parse(await readFile(join(dir, 'images.json'), 'utf8')) as RecordsFile
    return { version: 1, images: Array.isArray(parsed.images) ? parsed.images : [] }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return empty()
    throw new Error(`cannot read ${join(dir, 'images.json')}: ${(e as Error).message}`, { cause: e })
  }
}

/** mtime of images.json in ms (0 when absent): lets readers skip re-parsing an unchanged file. */
export async function recordsVersion(dir: string): Promise<number> {
  try {
    return (await stat(join(dir, 'images.json'))).mtimeMs
  } catch {
    return 0
  }
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

/** Holds `<dir>/images.lock` while fn runs; a lock older than 60 s is taken to be stale. */
async function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(dir, 'images.lock')
  for (let i = 0; ; i++) {
    try {
      await mkdir(lock)
      break
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const age = await stat(lock).then(
        s => Date.now() - s.mtimeMs,
        () => 0,
      )
      if (age > 60_000) await rmdir(lock).catch(() => {})
      else if (i > 600) throw new Error(`images.json is locked by another petset process (${lock})`)
      else await sleep(50)
    }
  }
  try {
    return await fn()
  } finally {
    await rmdir(lock).catch(() => {})
  }
}

/** Adds or merges an image: its names move off any other image (a re-tag), as `docker load` does. */
export function mergeRecord(file: RecordsFile, rec: ImageRecord): RecordsFile {
  // An image that loses its last name stays, untagged (docker's dangling image).
  const images = file.images.map(i =>
    i.id === rec.id ? i : { ...i, names: i.names.filter(n => !rec.names.includes(n)) },
  )
  const old = images.find(i => i.id === rec.id)
  const merged = old ? { ...rec, names: [...new Set([...old.names, ...rec.names])] } : rec
  return { version: 1, images: [...images.filter(i => i.id !== rec.id), merged] }
}

/** Read-modify-write of images.json under the lock. */
export async function updateRecords(dir: string, fn: (file: RecordsFile) => RecordsFile): Promise<RecordsFile> {
  await mkdir(dir, { recursive: true })
  return withLock(dir, async () => {
    const next = fn(await readRecords(dir))
    const tmp = join(dir, `.images.json.${process.pid}.${Date.now()}`)
    await writeFile(tmp, `${JSON.stringify(next, null, 2)}\n`)
    await rename(tmp, join(dir, 'images.json'))
    return next
  })
}
