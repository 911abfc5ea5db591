/**
 * What a built-in image is (config, generated content, how it maps onto the host rootfs) and how
 * its content is generated into the store: content-addressed directories written once
 * (`<dir>/builtin/<key>-<id12>/`), so running containers never see a file change under them.
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { HostDir, HostFile, ImageConfig, RootfsSource } from '../types.js'

/** A generated file or symlink, relative to the image's generated directory. */
export interface GeneratedEntry {
  path: string
  data?: string
  symlink?: string
  mode?: number
}

/** A built-in image: generated content plus how it lies over the host userland. */
export interface BuiltinImage {
  /** Directory stem and identity ("nginx", "myapp-v1"). */
  key: string
  config: ImageConfig
  content: GeneratedEntry[]
  /** `from` is relative to the generated directory. */
  files: (Omit<HostFile, 'hostPath'> & { from: string })[]
  /** `from` is relative to the generated directory, or an absolute host path. */
  dirs: (Omit<HostDir, 'hostPath'> & { from: string })[]
  writableDirs: string[]
  /** Host paths the image cannot run without, with the message when one is missing. */
  requires: { path: string; message: string }[]
}

/** The standard PATH of Debian-based images. */
export const defaultPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/** "sha256:<hex>" over the definition: stable across runs, changes when the content does. */
export function builtinId(def: BuiltinImage): string {
  const { requires: _, ...rest } = def
  return `sha256:${createHash('sha256').update(JSON.stringify(rest)).digest('hex')}`
}

/** Bytes of the generated content (what `petset image ls` shows for a built-in). */
export function contentSize(def: BuiltinImage): number {
  return def.content.reduce((n, e) => n + Buffer.byteLength(e.data ?? ''), 0)
}

/** The first requirement the host does not meet, if any. */
export function missingRequirement(def: BuiltinImage): string | undefined {
  return def.requires.find(r => !existsSync(r.path))?.message
}

/** Writes the content once into `<base>/<key>-<id12>` (temp dir + rename); returns that directory. */
export async function materialize(def: BuiltinImage, base: string): Promise<string> {
  const dir = join(base, `${def.key}-${builtinId(def).slice(7, 19)}`)
  if (existsSync(dir)) return dir
  const tmp = join(base, `.tmp-${def.key}-${randomBytes(6).toString('hex')}`)
  await mkdir(tmp, { recursive: true })
  try {
    for (const e of def.content) {
      const p = join(tmp, e.path)
      await mkdir(dirname(p), { recursive: true })
      if (e.symlink !== undefined) await symlink(e.symlink, p)
      else {
        await writeFile(p, e.data ?? '')
        await chmod(p, e.mode ?? 0o644)
      }
    }
    // Directories the content names stay readable by non-root workers (nginx runs as www-data).
    await chmod(tmp, 0o755)
    await rename(tmp, dir).catch(async e => {
      if (!existsSync(dir)) throw e // else another process generated the same content first
    })
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
  return dir
}

/** The RootfsSource of a built-in whose content lives in genDir. */
export function rootfsOf(def: BuiltinImage, genDir: string): RootfsSource {
  const at = (from: string) => (from.startsWith('/') ? from : join(genDir, from))
  return {
    kind: 'host',
    files: def.files.map(({ from, ...f }) => ({ ...f, hostPath: at(from) })),
    dirs: def.dirs.map(({ from, ...d }) => ({ ...d, hostPath: at(from) })),
    writableDirs: [...def.writableDirs],
  }
}
