/**
 * LocalImageStore: the ImageStore over plain files in `<data-dir>/images` (no daemon, no
 * registry). Loaded images (`load`) win over the built-ins; anything else rejects
 * ImagePullError saying how to load it. Layout: images.json, layers/<hex>/, builtin/<key>-<id12>/.
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { ImagePullError } from '../runtime.js'
import { readArchive } from './archive.js'
import { builtinRows, findBuiltin } from './builtin/catalog.js'
import { builtinId, contentSize, materialize, missingRequirement, rootfsOf } from './builtin/define.js'
import {
  type ImageRecord,
  mergeRecord,
  type RecordsFile,
  readRecords,
  recordsVersion,
  updateRecords,
} from './records.js'
import { type ImageReference, imageRefOf, parseReference } from './reference.js'
import { digestFile, inspectTar, type TarEntry, UnsafeArchive } from './tar.js'
import type { ImageStore, ImageSummary, ResolvedImage } from './types.js'
import { convertWhiteouts, extractChecked, treeSize } from './unpack.js'

/** Options of LocalImageStore. */
export interface LocalImageStoreOptions {
  /** The store directory, `<data-dir>/images`; created on first write. */
  dir: string
}

/** The message of an image petset cannot find (kubelet's ErrImagePull shape). */
export function notFoundMessage(name: string): string {
  return `failed to pull and unpack image "${name}": no registry is reachable from petset; load the image with: petset image load <file> (an OCI layout or docker save archive)`
}

const idRe = /^sha256:[a-f0-9]{64}$/

/** The image store the runtimes resolve pod images through. */
export class LocalImageStore implements ImageStore {
  readonly dir: string
  private records: { version: number; file: RecordsFile } | undefined

  constructor(opts: LocalImageStoreOptions) {
    this.dir = opts.dir
  }

  /** Loaded image first (by name, or by id for "sha256:..." and "@sha256:..." references), then built-ins. */
  async resolve(image: string): Promise<ResolvedImage> {
    const records = await this.loaded()
    if (idRe.test(image)) {
      const rec = records.images.find(r => r.id === image)
      if (rec) return this.fromRecord(rec.names[0] ?? image, rec)
      throw new ImagePullError(image, notFoundMessage(image))
    }
    let ref: ImageReference
    try {
      ref = parseReference(image)
    } catch (e) {
      throw new ImagePullError(image, (e as Error).message)
    }
    const rec = records.images.find(
      r => r.names.includes(ref.name) || (ref.digest !== undefined && r.id === ref.digest),
    )
    if (rec) return this.fromRecord(ref.name, rec)
    const def = findBuiltin(ref)
    if (!def) throw new ImagePullError(image, notFoundMessage(ref.name))
    const missing = missingRequirement(def)
    if (missing) throw new ImagePullError(image, `failed to pull and unpack image "${ref.name}": ${missing}`)
    const genDir = await materialize(def, join(this.dir, 'builtin'))
    const id = builtinId(def)
    return {
      name: ref.name,
      id,
      ref: imageRefOf(ref.name, id),
      rootfs: rootfsOf(def, genDir),
      config: def.config,
      builtIn: true,
    }
  }

  /** Unpacks every image of the archive; resolves with the normalized names (or ids of untagged images). */
  async load(file: string): Promise<string[]> {
    if (!existsSync(file)) throw new Error(`open ${file}: no such file or directory`)
    const tmp = join(this.dir, 'tmp', `load-${randomBytes(6).toString('hex')}`)
    await mkdir(tmp, { recursive: true })
    try {
      await extractChecked(file, tmp)
      const images = await readArchive(tmp)
      const loaded: string[] = []
      for (const img of images) {
        const names = img.names.map(n => {
          try {
            return parseReference(n).name
          } catch (e) {
            throw new UnsafeArchive(`image archive tags an invalid name: ${(e as Error).message}`)
          }
        })
        const layers: string[] = []
        let size = 0
        for (const layer of img.layers) {
          if (layer.digest && (await digestFile(layer.file)) !== layer.digest) {
            throw new UnsafeArchive(`layer ${layer.digest} does not match its digest`)
          }
          const { entries, diffId } = await inspectTar(layer.file)
          const unpacked = await this.unpackLayer(layer.file, diffId, entries)
          layers.push(diffId)
          size += await treeSize(unpacked)
        }
        const rec: ImageRecord = {
          id: img.id,
          names,
          layers,
          config: img.config,
          size,
          loadedAt: new Date().toISOString(),
        }
        await updateRecords(this.dir, f => mergeRecord(f, rec))
        loaded.push(...(names.length ? names : [img.id]))
      }
      this.records = undefined
      return loaded
    } finally {
      await rm(tmp, { recursive: true, force: true })
    }
  }

  /** Loaded images (one row per name, untagged ones as "<none>") and the built-ins. */
  async list(): Promise<ImageSummary[]> {
    const rows: ImageSummary[] = []
    for (const r of (await this.loaded()).images) {
      for (const name of r.names.length ? r.names : ['<none>'])
        rows.push({ name, id: r.id, size: r.size, builtIn: false })
    }
    for (const { name, def } of builtinRows())
      rows.push({ name, id: builtinId(def), size: contentSize(def), builtIn: true })
    return rows
  }

  /** Directory of an unpacked layer by its diff id (the digest of the uncompressed tar). */
  layerDir(diffId: string): string {
    return join(this.dir, 'layers', diffId.replace(/^sha256:/, ''))
  }

  /** Unpacks a layer once: a layer already present (from any image) is reused. */
  private async unpackLayer(file: string, diffId: string, entries: TarEntry[]): Promise<string> {
    const dir = this.layerDir(diffId)
    if (existsSync(dir)) return dir
    const staging = join(this.dir, 'layers', `.tmp-${randomBytes(6).toString('hex')}`)
    await mkdir(staging, { recursive: true })
    try {
      await extractChecked(file, staging, entries)
      await convertWhiteouts(staging)
      await rename(staging, dir).catch(e => {
        if (!existsSync(dir)) throw e // else a concurrent load unpacked the same layer
      })
    } finally {
      await rm(staging, { recursive: true, force: true })
    }
    return dir
  }

  private fromRecord(name: string, rec: ImageRecord): ResolvedImage {
    const layers = rec.layers.map(d => this.layerDir(d))
    const lost = layers.find(l => !existsSync(l))
    if (lost) throw new ImagePullError(name, `${notFoundMessage(name)} (its layer ${lost} is missing)`)
    return {
      name,
      id: rec.id,
      ref: imageRefOf(name, rec.id),
      rootfs: { kind: 'layers', layers },
      config: rec.config,
      builtIn: false,
    }
  }

  /** images.json, re-read only when its mtime changed (another process may load images). */
  private async loaded(): Promise<RecordsFile> {
    const version = await recordsVersion(this.dir)
    if (this.records?.version !== version || version === 0) {
      this.records = { version, file: await readRecords(this.dir) }
    }
    return this.records.file
  }
}
