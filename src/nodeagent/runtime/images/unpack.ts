/**
 * Unpacks a checked layer tar with the host `tar` and converts OCI whiteouts to overlayfs form:
 * `.wh.<name>` becomes a 0/0 character device `<name>`, `.wh..wh..opq` becomes the
 * `trusted.overlay.opaque=y` xattr on its directory. Needs root (mknod, trusted.* xattrs).
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { lstat, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { checkEntries, listTar, type TarEntry } from './tar.js'

const run = promisify(execFile)

/** What the whiteout conversion did (for tests and logs). */
export interface WhiteoutReport {
  /** Layer-relative paths turned into 0/0 character devices. */
  whiteouts: string[]
  /** Layer-relative directories marked opaque. */
  opaque: string[]
}

/**
 * Checks the archive (UnsafeArchive on traversal) and extracts it into dest (which must exist).
 * Pass the entries when the caller already listed them.
 */
export async function extractChecked(file: string, dest: string, entries?: TarEntry[]): Promise<void> {
  checkEntries(entries ?? (await listTar(file)))
  const args = ['-x', '-p', '--numeric-owner', '-f', file, '-C', dest]
  try {
    await run('tar', args, { maxBuffer: 16 << 20 })
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? '').trim()
    throw new Error(`tar ${args.join(' ')}: ${stderr || (e as Error).message}`, { cause: e })
  }
}

/** Runs `sh -c script` over many path arguments in batches (argv stays far below ARG_MAX). */
async function forEachBatch(paths: string[], script: string): Promise<void> {
  for (let i = 0; i < paths.length; i += 500) {
    await run('sh', ['-c', script, 'sh', ...paths.slice(i, i + 500)])
  }
}

const pythonSetxattr = "import os,sys\nfor p in sys.argv[1:]: os.setxattr(p,'trusted.overlay.opaque',b'y')"

/** Marks directories opaque for overlayfs with the first tool the host has: setfattr, python3. */
export async function setOpaque(dirs: string[]): Promise<void> {
  if (!dirs.length) return
  const has = (p: string) => existsSync(p)
  const setfattr = ['/usr/bin/setfattr', '/bin/setfattr'].find(has)
  const python = ['/usr/bin/python3', '/bin/python3'].find(has)
  for (let i = 0; i < dirs.length; i += 500) {
    const batch = dirs.slice(i, i + 500)
    if (setfattr) await run(setfattr, ['-n', 'trusted.overlay.opaque', '-v', 'y', ...batch])
    else if (python) await run(python, ['-c', pythonSetxattr, ...batch])
    else throw new Error('marking an opaque directory needs setfattr (Debian package attr) or python3')
  }
}

/** Converts the whiteouts under a freshly unpacked layer directory in place. */
export async function convertWhiteouts(root: string): Promise<WhiteoutReport> {
  const report: WhiteoutReport = { whiteouts: [], opaque: [] }
  const walk = async (rel: string): Promise<void> => {
    const dir = join(root, rel)
    const entries = await readdir(dir, { withFileTypes: true })
    const names = new Set(entries.map(e => e.name))
    for (const e of entries) {
      const relPath = rel ? `${rel}/${e.name}` : e.name
      if (e.name === '.wh..wh..opq') {
        await rm(join(dir, e.name), { force: true })
        report.opaque.push(rel || '.')
      } else if (e.name.startsWith('.wh.')) {
        await rm(join(dir, e.name), { recursive: true, force: true })
        const target = e.name.slice(4)
        // A whiteout hides lower layers only; an entry of the same layer wins (OCI image spec).
        if (target && !names.has(target)) report.whiteouts.push(rel ? `${rel}/${target}` : target)
      } else if (e.isDirectory()) {
        await walk(relPath)
      }
    }
  }
  await walk('')
  await forEachBatch(
    report.whiteouts.map(p => join(root, p)),
    'for p; do mknod "$p" c 0 0 || exit 1; done',
  )
  await setOpaque(report.opaque.map(p => join(root, p)))
  return report
}

/** Apparent size of a tree in bytes (lstat sizes, hard links counted once). */
export async function treeSize(root: string): Promise<number> {
  const seen = new Set<string>()
  let total = 0
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      const st = await lstat(p)
      const key = `${st.dev}:${st.ino}`
      if (seen.has(key)) continue
      seen.add(key)
      total += e.isDirectory() ? 0 : st.size
      if (e.isDirectory()) await walk(p)
    }
  }
  await walk(root)
  return total
}
