/**
 * Mounts for volume plugins: the Mounter seam (tests pass a fake) and the system one, which runs
 * mount(8)/umount(8) and reads /proc/self/mountinfo. Also `removeVolumeDir`, the one way plugins
 * delete a directory: it unmounts whatever is mounted beneath first and refuses to recurse
 * through a mount that would not go away (an rm -rf through an NFS mount deletes remote data).
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { resolve, sep } from 'node:path'

/** Mount and unmount file systems. */
export interface Mounter {
  /** mount -t fstype [-o options] source target; rejects with mount's message. */
  mount(source: string, target: string, opts: { fstype: string; options?: string[] }): Promise<void>
  /** umount target; rejects with umount's message. */
  unmount(target: string): Promise<void>
  /** Mount points at or beneath dir, deepest first. */
  mountsUnder(dir: string): Promise<string[]>
  /** Whether this host can mount the file system type (tmpfs needs root, nfs needs mount.nfs). */
  canMount(fstype: string): boolean
}

/** Runs a mount command; failures read like the kubelet's (mount-utils) errors. */
const run = (cmd: string, args: string[]) =>
  new Promise<void>((ok, fail) =>
    execFile(cmd, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      if (!err) return ok()
      const code = typeof err.code === 'number' ? `exit status ${err.code}` : err.message.split('\n')[0]
      const output = `${stdout}${stderr}`.trim()
      const verb = cmd === 'mount' ? 'Mounting' : 'Unmounting'
      fail(
        new Error(
          `${cmd === 'mount' ? 'mount' : 'unmount'} failed: ${code}\n${verb} command: ${cmd}\n${verb} arguments: ${args.join(' ')}\nOutput: ${output}`,
        ),
      )
    }),
  )

/** mountinfo escapes spaces and friends as \040 etc. */
const unescapeOctal = (s: string) =>
  s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)))

/** The host's mount(8). */
export const systemMounter: Mounter = {
  mount(source, target, opts) {
    const args = ['-t', opts.fstype]
    if (opts.options?.length) args.push('-o', opts.options.join(','))
    return run('mount', [...args, source, target])
  },
  unmount(target) {
    return run('umount', [target])
  },
  async mountsUnder(dir) {
    const root = resolve(dir)
    const text = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '')
    const points = text
      .split('\n')
      .map(line => line.split(' ')[4])
      .filter((p): p is string => !!p)
      .map(unescapeOctal)
      .filter(p => p === root || p.startsWith(root + sep))
    return [...new Set(points)].sort((a, b) => b.length - a.length)
  },
  canMount(fstype) {
    if (fstype === 'nfs' || fstype === 'nfs4')
      return ['/sbin/mount.nfs', '/usr/sbin/mount.nfs', '/usr/bin/mount.nfs'].some(p => existsSync(p))
    return process.getuid?.() === 0
  },
}

/** Unmounts everything beneath dir, then deletes it; rejects (deleting nothing) if a mount stays. */
export async function removeVolumeDir(mounter: Mounter, dir: string): Promise<void> {
  for (const point of await mounter.mountsUnder(dir)) await mounter.unmount(point)
  const left = await mounter.mountsUnder(dir)
  if (left.length) throw new Error(`refusing to remove ${dir}: ${left[0]} is still mounted`)
  await rm(dir, { recursive: true, force: true })
}
