/**
 * The provisioner's only disk access (C6's narrow interface): one directory per volume directly
 * under the volumes directory (`<data-dir>/volumes/<pv-name>`). Removal works on real paths and
 * refuses anything that is not strictly inside the volumes directory; a symlink planted in
 * the volumes directory is removed as a link, never followed.
 */
import { promises as fs, type Stats } from 'node:fs'
import path from 'node:path'

/** Creates and removes volume directories. */
export interface VolumeDirectories {
  /** Creates `<root>/<name>` (mode 0777) if missing; resolves its path. */
  create(name: string): Promise<string>
  /** Removes the directory at `dir` with its content; missing counts as removed. Rejects outside the root. */
  remove(dir: string): Promise<void>
}

const isStrictlyInside = (root: string, p: string) => {
  const rel = path.relative(root, p)
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
}

/** VolumeDirectories on this host, rooted at the petset volumes directory. */
export class LocalPathDirectories implements VolumeDirectories {
  constructor(private readonly root: string) {}

  async create(name: string): Promise<string> {
    if (!name || name.includes('/') || name === '.' || name === '..') throw new Error(`invalid volume name "${name}"`)
    await fs.mkdir(this.root, { recursive: true })
    const dir = path.join(path.resolve(this.root), name)
    await fs.mkdir(dir, { recursive: true })
    // Like local-path: every container user may write (the umask would otherwise narrow it).
    await fs.chmod(dir, 0o777)
    return dir
  }

  async remove(dir: string): Promise<void> {
    const root = await fs.realpath(this.root).catch(() => undefined)
    if (!root) throw new Error(`volumes directory ${this.root} does not exist`)
    const lexical = path.resolve(dir)
    if (!isStrictlyInside(path.resolve(this.root), lexical) && !isStrictlyInside(root, lexical))
      throw new Error(`refusing to remove ${dir}: outside the volumes directory ${root}`)
    let st: Stats
    try {
      st = await fs.lstat(dir)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return
      throw e
    }
    // Resolve the parents only: the entry itself is removed as what it is, never followed.
    const real = path.join(await fs.realpath(path.dirname(lexical)), path.basename(lexical))
    if (!isStrictlyInside(root, real))
      throw new Error(`refusing to remove ${dir}: outside the volumes directory ${root}`)
    if (st.isSymbolicLink()) await fs.unlink(real)
    else await fs.rm(real, { recursive: true, force: true })
  }
}
