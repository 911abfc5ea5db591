/**
 * What the shim-based runtimes keep on disk, so a new runtime instance on the same rootDir
 * re-adopts sandboxes and containers that outlived the agent:
 *
 *   <rootDir>/pods/<uid>/sandboxes/<sandbox-id>.json           SandboxRecord
 *   <rootDir>/pods/<uid>/containers/<name>-<attempt>/container.json  ContainerRecord
 *   (+ the shim's shim.json, state.json, exit.json, container.log beside it)
 *
 * The pod directory is shared with volumes: nothing here ever deletes it recursively.
 */
import type { ChildProcess } from 'node:child_process'
import { mkdir, readdir, readFile, rm, rmdir, unlink } from 'node:fs/promises'
import { join, sep } from 'node:path'
import type { PodSandboxConfig, PodSandboxStatus, RuntimeContainerStatus } from '../runtime.js'
import type { SandboxNetworkResult } from './network.js'
import { writeJsonAtomic } from './shim.js'

/** A sandbox as persisted. */
export interface SandboxRecord {
  status: PodSandboxStatus
  config: PodSandboxConfig
  network: SandboxNetworkResult
}

/** A container as persisted (`container.json`) plus what only the live agent knows. */
export interface ContainerRecord {
  status: RuntimeContainerStatus
  dir: string
  logPath: string
  sockPath: string
  tty: boolean
  stdin: boolean
  /** Numeric user of the main process (exec runs as the same user). */
  user?: { uid: number; gid: number }
  /** Runtime-specific data (the runc runtime's bundle facts). */
  extra?: Record<string, unknown>
  /** The shim, when this agent started it (absent for adopted containers). */
  shim?: ChildProcess
  /** Shim and main process pids, from the shim's state file. */
  shimPid?: number
  pid?: number
}

const persisted = (r: ContainerRecord) => {
  const { shim: _shim, ...rest } = r
  return rest
}

/** Paths of the runtime's state under rootDir. */
export class StateDirs {
  constructor(readonly rootDir: string) {}

  /** `<rootDir>/pods/<uid>`. */
  pod(uid: string): string {
    return join(this.rootDir, 'pods', uid)
  }

  /** Writes a sandbox record. */
  async saveSandbox(rec: SandboxRecord): Promise<void> {
    const dir = join(this.pod(rec.status.uid), 'sandboxes')
    await mkdir(dir, { recursive: true })
    writeJsonAtomic(join(dir, `${rec.status.id}.json`), rec)
  }

  /** Deletes a sandbox record, then the pod's runtime directories if they became empty. */
  async deleteSandbox(rec: SandboxRecord): Promise<void> {
    const pod = this.pod(rec.status.uid)
    await unlink(join(pod, 'sandboxes', `${rec.status.id}.json`)).catch(() => {})
    for (const d of [join(pod, 'sandboxes'), join(pod, 'containers'), pod]) await rmdir(d).catch(() => {})
  }

  /** Writes a container record. */
  saveContainer(rec: ContainerRecord): void {
    writeJsonAtomic(join(rec.dir, 'container.json'), persisted(rec))
  }

  /** A fresh directory for a container: `<name>-<attempt>`, suffixed if a live container holds that name. */
  async newContainerDir(uid: string, name: string, attempt: number, id: string, inUse: Set<string>): Promise<string> {
    let dir = join(this.pod(uid), 'containers', `${name}-${attempt}`)
    if (inUse.has(dir)) dir = `${dir}-${id.slice(0, 8)}`
    else await removeTree(dir) // a leftover of a creation that failed half-way
    await mkdir(dir, { recursive: true })
    return dir
  }

  /** Every persisted sandbox and container (corrupt records are skipped). */
  async load(): Promise<{ sandboxes: SandboxRecord[]; containers: ContainerRecord[] }> {
    const sandboxes: SandboxRecord[] = []
    const containers: ContainerRecord[] = []
    for (const uid of await readdir(join(this.rootDir, 'pods')).catch(() => [] as string[])) {
      const pod = this.pod(uid)
      for (const f of await readdir(join(pod, 'sandboxes')).catch(() => [] as string[])) {
        const rec = await readJson<SandboxRecord>(join(pod, 'sandboxes', f))
        if (rec?.status?.id) sandboxes.push(rec)
      }
      for (const d of await readdir(join(pod, 'containers')).catch(() => [] as string[])) {
        const rec = await readJson<ContainerRecord>(join(pod, 'containers', d, 'container.json'))
        if (rec?.status?.id) containers.push({ ...rec, dir: join(pod, 'containers', d) })
      }
    }
    containers.sort((a, b) => a.status.createdAt - b.status.createdAt)
    return { sandboxes, containers }
  }
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T
  } catch {
    return undefined
  }
}

/** Mount points at or under dir, deepest first (from /proc/self/mountinfo). */
export async function mountsUnder(dir: string): Promise<string[]> {
  const info = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '')
  const decodeOctal = (s: string) =>
    s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)))
  return info
    .split('\n')
    .map(l => decodeOctal(l.split(' ')[4] ?? ''))
    .filter(p => p === dir || p.startsWith(dir + sep))
    .sort((a, b) => b.length - a.length)
}

/**
 * Deletes a directory tree, refusing when anything is still mounted inside it: a recursive delete
 * would walk into a bind-mounted volume and destroy its data.
 */
export async function removeTree(dir: string): Promise<void> {
  const mounts = await mountsUnder(dir)
  if (mounts.length) throw new Error(`refusing to remove ${dir}: ${mounts[0]} is still mounted`)
  await rm(dir, { recursive: true, force: true })
}
