/**
 * The PV controller's only disk access (C6's narrow interface): scrubbing a recycled volume's
 * directory and removing a hostPath volume under /tmp. Upstream runs a recycler pod for this; in
 * the all-in-one every node shares this host's disk, so the controller acts locally.
 * Safety rules, checked on real paths (symlinks resolved): never a path within one level of the
 * filesystem root, local volumes only inside the petset volumes directory, and entries are removed
 * without following symlinks.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { isInside, type RecycleTarget } from './plan-volume.js'

/** Where reclaimed storage goes. */
export interface VolumeStorage {
  /** Empties the target directory but keeps it; a missing directory counts as scrubbed. Rejects with the reason. */
  scrub(target: RecycleTarget): Promise<void>
  /** Removes a directory tree; a missing one counts as removed. Rejects with the reason. */
  remove(dir: string): Promise<void>
}

/** Real path, or undefined when nothing is there. */
async function realPathOrUndefined(p: string): Promise<string | undefined> {
  try {
    return await fs.realpath(p)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
}

/** Refuses "/" and top-level directories such as /tmp or /home: scrubbing those would be a disaster. */
function assertDeepEnough(real: string): void {
  const parts = real.split(path.sep).filter(Boolean)
  if (parts.length < 2) throw new Error(`refusing to scrub ${real}: too close to the filesystem root`)
}

/** VolumeStorage on this host's filesystem. */
export class HostVolumeStorage implements VolumeStorage {
  /** @param volumesDir the petset volumes directory (`<data-dir>/volumes`); local volumes must live there. */
  constructor(private readonly volumesDir?: string) {}

  async scrub(target: RecycleTarget): Promise<void> {
    const real = await realPathOrUndefined(target.path)
    if (real === undefined) return
    assertDeepEnough(real)
    if (target.kind === 'local') {
      const root = this.volumesDir ? await realPathOrUndefined(this.volumesDir) : undefined
      if (!root || !isInside(root, real)) throw new Error(`refusing to scrub ${real}: outside the volumes directory`)
    }
    const stat = await fs.stat(real)
    if (!stat.isDirectory()) throw new Error(`${target.path} is not a directory`)
    // rm on an entry removes a symlink itself, never what it points to.
    for (const entry of await fs.readdir(real)) await fs.rm(path.join(real, entry), { recursive: true, force: true })
    const left = await fs.readdir(real)
    if (left.length) throw new Error(`${target.path} is not empty after scrubbing`)
  }

  async remove(dir: string): Promise<void> {
    const st = await fs.lstat(dir).catch(e => {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw e
    })
    if (!st) return
    // A symlink is removed as a link; a directory is checked on its real path first.
    if (!st.isSymbolicLink()) assertDeepEnough(await fs.realpath(dir))
    await fs.rm(dir, { recursive: true, force: true })
  }
}
