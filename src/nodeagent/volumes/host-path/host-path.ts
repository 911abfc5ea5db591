/**
 * hostPath: a path on the node, used in place (no copy, no mount of its own). The `type` checks
 * follow the kubelet with its messages (`hostPath type check failed: /x is not a directory`);
 * DirectoryOrCreate makes the directory (0755, parents too) and FileOrCreate an empty file
 * (0644; the parent must exist). Also used by persistentVolumeClaim for hostPath PVs.
 */
import { chmod, mkdir, open, stat } from 'node:fs/promises'
import type { Volume } from '../../../api/pod.js'
import type { VolumePlugin } from '../volume.js'

type Kind = 'dir' | 'file' | 'socket' | 'char' | 'block' | 'other'

async function kindOf(path: string): Promise<Kind | undefined> {
  const st = await stat(path).catch(() => undefined)
  if (!st) return undefined
  if (st.isDirectory()) return 'dir'
  if (st.isFile()) return 'file'
  if (st.isSocket()) return 'socket'
  if (st.isCharacterDevice()) return 'char'
  if (st.isBlockDevice()) return 'block'
  return 'other'
}

const failed = (path: string, what: string) => new Error(`hostPath type check failed: ${path} is not ${what}`)

/** Checks (and for the *OrCreate types, creates) path per its hostPath type; rejects with the kubelet's message. */
export async function checkHostPathType(path: string, type: string | undefined): Promise<void> {
  if (!type) return
  let kind = await kindOf(path)
  switch (type) {
    case 'DirectoryOrCreate':
      if (kind === undefined) {
        await mkdir(path, { recursive: true, mode: 0o755 })
        await chmod(path, 0o755)
        return
      }
      if (kind !== 'dir') throw failed(path, 'a directory')
      return
    case 'Directory':
      if (kind !== 'dir') throw failed(path, 'a directory')
      return
    case 'FileOrCreate':
      if (kind === undefined) {
        const file = await open(path, 'a', 0o644).catch((e: NodeJS.ErrnoException) => {
          // Go's wording: the parent directory is not created (upstream documents this).
          throw new Error(`open ${path}: ${e.code === 'ENOENT' ? 'no such file or directory' : e.message}`)
        })
        await file.close()
        await chmod(path, 0o644)
        kind = 'file'
      }
      if (kind !== 'file') throw failed(path, 'a file')
      return
    case 'File':
      if (kind !== 'file') throw failed(path, 'a file')
      return
    case 'Socket':
      if (kind !== 'socket') throw failed(path, 'a socket file')
      return
    case 'CharDevice':
      if (kind !== 'char') throw failed(path, 'a character device')
      return
    case 'BlockDevice':
      if (kind !== 'block') throw failed(path, 'a block device')
      return
    default:
      throw new Error(`${type} is an invalid volume type`)
  }
}

/** The hostPath plugin. */
export const hostPathPlugin: VolumePlugin = {
  name: 'kubernetes.io/host-path',
  canSupport: (v: Volume) => !!v.hostPath,
  async setUp(ctx) {
    const { path, type } = ctx.volume.hostPath!
    await checkHostPathType(path, type)
    return { hostPath: path }
  },
  async tearDown() {
    // The node's own path: never removed.
  },
}
