/**
 * The kubelet's AtomicWriter: writes a set of files into a volume directory so that a reader
 * never sees a mix of old and new content. Files live in a timestamped hidden directory
 * (`..2025_01_02_15_04_05.123456789`); `..data` is a symlink to the current one and every
 * user-visible top-level name is a symlink through `..data`. An update writes a new timestamped
 * directory, swaps `..data` with a rename (atomic), then fixes the visible links and removes the
 * old directory. Content unchanged: nothing is written.
 */
import { randomBytes } from 'node:crypto'
import {
  chmod,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises'
import { dirname, join, normalize } from 'node:path'

/** One file to project: its bytes and mode. */
export interface FileProjection {
  data: Buffer
  mode: number
}

/** Relative path → file. */
export type Payload = Map<string, FileProjection>

const dataDirName = '..data'
const newDataDirName = '..data_tmp'

/** Why a payload path is refused (upstream's validatePath), or undefined when it is fine. */
export function invalidPathReason(path: string): string | undefined {
  if (!path) return 'must not be empty'
  if (path.startsWith('/')) return 'must be a relative path'
  const parts = path.split('/')
  if (parts.includes('..')) return "must not contain '..'"
  if (path.startsWith('..')) return "must not start with '..'"
  return undefined
}

/** Throws for the first invalid path. */
function validatePayload(payload: Payload): Map<string, FileProjection> {
  const clean = new Map<string, FileProjection>()
  for (const [path, file] of payload) {
    const why = invalidPathReason(path)
    if (why) throw new Error(`invalid path "${path}": ${why}`)
    clean.set(normalize(path).replace(/\/+$/, ''), file)
  }
  return clean
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** `..2006_01_02_15_04_05.` plus random digits: the timestamped directory name. */
function timestampedName(now: number): string {
  const d = new Date(now)
  const stamp = `${d.getUTCFullYear()}_${pad(d.getUTCMonth() + 1)}_${pad(d.getUTCDate())}_${pad(d.getUTCHours())}_${pad(d.getUTCMinutes())}_${pad(d.getUTCSeconds())}`
  return `..${stamp}.${randomBytes(5).readUInt32BE(0)}`
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  )
}

/** Every file beneath dir, as relative paths. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(join(dir, prefix), { withFileTypes: true }).catch(() => [])) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)))
    else out.push(rel)
  }
  return out
}

/** Whether the files under oldDir are exactly the payload (paths, bytes and modes). */
async function sameContent(oldDir: string, payload: Map<string, FileProjection>): Promise<boolean> {
  const old = await listFiles(oldDir)
  if (old.length !== payload.size || old.some(p => !payload.has(p))) return false
  for (const [path, file] of payload) {
    const full = join(oldDir, path)
    const st = await stat(full).catch(() => undefined)
    if (!st?.isFile() || (st.mode & 0o7777) !== file.mode) return false
    if (!(await readFile(full)).equals(file.data)) return false
  }
  return true
}

const topLevel = (path: string) => path.split('/')[0]!

/**
 * Writes payload into targetDir atomically; resolves true when anything changed. Paths must be
 * relative, without `..` elements, and not start with `..` (they would clash with the
 * bookkeeping names).
 */
export async function writeAtomic(targetDir: string, payload: Payload, opts: { now?: number } = {}): Promise<boolean> {
  const files = validatePayload(payload)
  await mkdir(targetDir, { recursive: true })
  const oldName = await readlink(join(targetDir, dataDirName)).catch(() => undefined)
  const previous = new Set(oldName ? await readdir(join(targetDir, oldName)).catch(() => []) : [])
  if (oldName && (await sameContent(join(targetDir, oldName), files))) {
    // Content is current; make sure the visible links exist (a crash between steps).
    await linkVisible(targetDir, files)
    return false
  }
  const newName = timestampedName(opts.now ?? Date.now())
  const newDir = join(targetDir, newName)
  await mkdir(newDir)
  await chmod(newDir, 0o755)
  for (const [path, file] of files) {
    const full = join(newDir, path)
    await mkdir(dirname(full), { recursive: true, mode: 0o755 })
    await writeFile(full, file.data)
    await chmod(full, file.mode) // writeFile's mode is narrowed by the umask
  }
  const tmpLink = join(targetDir, newDataDirName)
  await rm(tmpLink, { force: true })
  await symlink(newName, tmpLink)
  await rename(tmpLink, join(targetDir, dataDirName))
  await linkVisible(targetDir, files)
  const wanted = new Set([...files.keys()].map(topLevel))
  for (const name of previous) if (!wanted.has(name)) await rm(join(targetDir, name), { recursive: true, force: true })
  if (oldName && oldName !== newName) await rm(join(targetDir, oldName), { recursive: true, force: true })
  return true
}

/** Creates `<name> → ..data/<name>` for every top-level payload name that lacks it. */
async function linkVisible(targetDir: string, files: Map<string, FileProjection>): Promise<void> {
  for (const name of new Set([...files.keys()].map(topLevel))) {
    const link = join(targetDir, name)
    const target = join(dataDirName, name)
    if ((await readlink(link).catch(() => undefined)) === target) continue
    if (await exists(link)) await rm(link, { recursive: true, force: true })
    await symlink(target, link)
  }
}
