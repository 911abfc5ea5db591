/**
 * Container root filesystems (runc-notes §3, images/README.md). A host image gets a scratch
 * rootfs per container: the host's merged-usr symlinks, empty mountpoints, the host's /var
 * directory skeleton, the image's files; /usr bound read-only and /etc as an overlay of the
 * host's (writable, so ConfigMap mountpoints such as /etc/config can be created; the host /etc
 * never changes). A layered image gets an overlay mount of its layers. Needs root for mounts.
 */
import { execFile } from 'node:child_process'
import { chmod, chown, cp, lstat, mkdir, readdir, readlink, stat, symlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import type { RootfsSource } from '../images/types.js'
import { mountsUnder } from '../process/records.js'
import { bindMount, type OciMount, overlayMount, tmpfsMount } from './oci-spec.js'

const run = promisify(execFile)

type HostRootfs = Extract<RootfsSource, { kind: 'host' }>

/** Mounts of a host image, before the generated /etc files and the volumes. */
export interface HostRootfsMounts {
  /** /usr, non-merged top dirs, the /etc overlay, /tmp, /run, writable dirs on tmpfs, image dirs. */
  system: OciMount[]
}

const emptyDirs = ['proc', 'dev', 'sys', 'usr', 'etc', 'root', 'home', 'mnt', 'opt', 'srv', 'media', 'run', 'var']
const topLinks = ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']

interface SkeletonDir {
  path: string
  mode: number
  uid: number
  gid: number
}
let varSkeleton: Promise<SkeletonDir[]> | undefined

/** The host's /var directories (depth ≤ 3, at most 2000; no files), read once per process. */
function hostVarSkeleton(): Promise<SkeletonDir[]> {
  varSkeleton ??= (async () => {
    const out: SkeletonDir[] = []
    const walk = async (dir: string, depth: number) => {
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        const p = join(dir, name)
        if (out.length >= 2000 || p === '/var/run' || p === '/var/lock') continue
        const st = await lstat(p).catch(() => undefined)
        if (!st?.isDirectory()) continue
        out.push({ path: p, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid })
        if (depth < 3) await walk(p, depth + 1)
      }
    }
    await walk('/var', 1)
    return out
  })()
  return varSkeleton
}

/** mkdir -p that copies owner and mode from the host directory of the same path, when there is one. */
async function mkdirLikeHost(rootfs: string, path: string): Promise<void> {
  const target = join(rootfs, path)
  await mkdir(target, { recursive: true })
  const st = await stat(path).catch(() => undefined)
  if (st?.isDirectory()) {
    await chown(target, st.uid, st.gid).catch(() => {})
    await chmod(target, st.mode & 0o7777).catch(() => {})
  }
}

const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`)

/** Lays out the scratch rootfs of a host image in `<dir>/rootfs` and returns its mounts. */
export async function prepareHostRootfs(dir: string, src: HostRootfs): Promise<HostRootfsMounts> {
  const rootfs = join(dir, 'rootfs')
  for (const d of emptyDirs) await mkdir(join(rootfs, d), { recursive: true })
  await mkdir(join(rootfs, 'tmp'), { recursive: true, mode: 0o1777 })
  await chmod(join(rootfs, 'tmp'), 0o1777)
  const system: OciMount[] = [bindMount('/usr', '/usr', true)]
  for (const name of topLinks) {
    const st = await lstat(`/${name}`).catch(() => undefined)
    if (st?.isSymbolicLink()) await symlink(await readlink(`/${name}`), join(rootfs, name)).catch(() => {})
    else if (st?.isDirectory()) {
      // A host without merged /usr: bind the real directory read-only instead.
      await mkdir(join(rootfs, name), { recursive: true })
      system.push(bindMount(`/${name}`, `/${name}`, true))
    }
  }
  for (const d of await hostVarSkeleton()) {
    const target = join(rootfs, d.path)
    await mkdir(target, { recursive: true })
    await chown(target, d.uid, d.gid).catch(() => {})
    await chmod(target, d.mode).catch(() => {})
  }
  await symlink('../run', join(rootfs, 'var/run')).catch(() => {})
  await symlink('../run/lock', join(rootfs, 'var/lock')).catch(() => {})

  // /etc: an overlay of the host's, so new mountpoints can be made (runc-notes §3 pitfall).
  await mkdir(join(dir, 'etc-upper'), { recursive: true })
  await mkdir(join(dir, 'etc-work'), { recursive: true })
  system.push(overlayMount('/etc', '/etc', join(dir, 'etc-upper'), join(dir, 'etc-work')))
  system.push(tmpfsMount('/tmp', '1777'), tmpfsMount('/run', '755'))

  for (const w of src.writableDirs) {
    const p = w.startsWith('/var/run/') ? w.slice(4) : w
    if (under(p, '/run') || under(p, '/tmp')) system.push(tmpfsMount(p, '755'))
    else if (!under(p, '/usr') && !under(p, '/etc')) await mkdirLikeHost(rootfs, p)
  }
  for (const f of src.files) {
    const target = join(rootfs, f.path)
    await mkdir(dirname(target), { recursive: true })
    await cp(f.hostPath, target, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true })
    if (f.mode !== undefined) await chmod(target, f.mode)
  }
  for (const [i, d] of src.dirs.entries()) {
    if (!d.writable) system.push(bindMount(d.path, d.hostPath, true))
    else {
      const copy = join(dir, 'dirs', String(i))
      await mkdir(dirname(copy), { recursive: true })
      await run('cp', ['-a', d.hostPath, copy]) // keeps owners and modes, as the image's content had them
      system.push(bindMount(d.path, copy, false))
    }
  }
  return { system }
}

/** Mounts the layers (lowest first) as an overlay at `<dir>/rootfs`; a no-op if already mounted. */
export async function mountLayeredRootfs(dir: string, layers: string[]): Promise<void> {
  const rootfs = join(dir, 'rootfs')
  if ((await mountsUnder(rootfs)).includes(rootfs)) return
  for (const d of ['rootfs', 'upper', 'work', 'empty']) await mkdir(join(dir, d), { recursive: true })
  const lower = layers.length ? [...layers].reverse().join(':') : join(dir, 'empty')
  const options = `lowerdir=${lower},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`
  await run('mount', ['-t', 'overlay', 'overlay', '-o', options, rootfs]).catch(err => {
    throw new Error(`failed to mount the image layers: ${(err as { stderr?: string }).stderr?.trim() || err}`)
  })
}

/** Unmounts everything mounted at or under dir (deepest first, lazily). */
export async function unmountUnder(dir: string): Promise<void> {
  for (const m of await mountsUnder(dir)) await run('umount', ['-l', m]).catch(() => {})
}
