/**
 * Container cgroups: `/petset/<node>/<pod-uid>/<container>-<attempt>` in every hierarchy (runc
 * creates the leaf; the attempt keeps a restarting container clear of its predecessor's cgroup).
 * runc removes leaves, not parents: the pod's directories are removed with its sandbox.
 */
import { readdir, readFile, rmdir } from 'node:fs/promises'
import { join } from 'node:path'

const cgroupRoot = '/sys/fs/cgroup'

/** linux.cgroupsPath of a container. */
export function cgroupsPathFor(node: string, podUid: string, container: string, attempt: number): string {
  return `/petset/${node}/${podUid}/${container}-${attempt}`
}

/** Whether the memory cgroup recorded an OOM kill (cgroup v1 `memory.oom_control`, v2 `memory.events`). */
export async function wasOOMKilled(cgroupsPath: string): Promise<boolean> {
  const v1 = await readFile(join(cgroupRoot, 'memory', cgroupsPath, 'memory.oom_control'), 'utf8').catch(() => '')
  const v2 = await readFile(join(cgroupRoot, cgroupsPath, 'memory.events'), 'utf8').catch(() => '')
  const count = /^oom_kill (\d+)$/m.exec(v1 + v2)
  return !!count && Number(count[1]) > 0
}

/** Removes the pod's cgroup directories (empty ones only) in every hierarchy. */
export async function removePodCgroups(node: string, podUid: string): Promise<void> {
  const hierarchies = await readdir(cgroupRoot).catch(() => [] as string[])
  for (const h of ['', ...hierarchies]) {
    const pod = join(cgroupRoot, h, 'petset', node, podUid)
    for (const leaf of await readdir(pod, { withFileTypes: true }).catch(() => []))
      if (leaf.isDirectory()) await rmdir(join(pod, leaf.name)).catch(() => {})
    await rmdir(pod).catch(() => {})
  }
}

/** Removes the node's (empty) cgroup directory in every hierarchy: for a node leaving the host, and tests. */
export async function removeNodeCgroups(node: string): Promise<void> {
  for (const h of ['', ...(await readdir(cgroupRoot).catch(() => [] as string[]))])
    await rmdir(join(cgroupRoot, h, 'petset', node)).catch(() => {})
}
