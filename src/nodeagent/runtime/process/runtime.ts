/**
 * ProcessRuntime: containers are plain host processes, each under its own detached shim (own
 * session and process group), so no root is needed and containers survive agent restarts.
 * Isolation is nil: processes share the host's filesystem, users, hostname and network; each pod
 * gets a distinct loopback address (network.ts). Host images only. See README.md for the limits.
 */
import { access, cp, mkdir } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { ResolvedImage } from '../images/types.js'
import { ImagePullError } from '../runtime.js'
import { containerArgv, containerEnv, resolveUserIn } from './command.js'
import { LoopbackNetwork, type SandboxNetwork } from './network.js'
import { type PathMapping, PathTranslator } from './paths.js'
import type { ContainerRecord } from './records.js'
import type { SessionCommand } from './session.js'
import type { ShimSpec } from './shim.js'
import { isAlive, readShimExit, readShimState } from './shim-client.js'
import { type PrepareContext, ShimRuntime, type ShimRuntimeOptions } from './shim-runtime.js'

/** Options of a ProcessRuntime. */
export interface ProcessRuntimeOptions extends ShimRuntimeOptions {
  /** Default: LoopbackNetwork (the podCIDR mapped into 127/8). */
  network?: SandboxNetwork
}

/** What exec needs again later, persisted with the record. */
interface ProcessExtra {
  env: Record<string, string>
  cwd: string
  paths: PathMapping[]
}

const isRoot = () => process.getuid?.() === 0

/** Runs containers as host processes (see the module comment). */
export class ProcessRuntime extends ShimRuntime {
  readonly name = 'process'

  constructor(opts: ProcessRuntimeOptions) {
    super(opts, opts.network ?? new LoopbackNetwork())
  }

  protected runtimeStatus() {
    return { ready: true }
  }

  protected override checkImage(image: ResolvedImage): void {
    if (image.rootfs.kind !== 'host')
      throw new ImagePullError(
        image.name,
        `image "${image.name}" is a layered image: the process runtime runs only host images (the built-ins); ` +
          'run the node with --runtime runc for loaded images',
      )
  }

  protected async prepare({ sandbox, config, image, rec }: PrepareContext): Promise<ShimSpec> {
    if (image.rootfs.kind !== 'host') throw new Error('unreachable: checked by checkImage')
    const paths: PathMapping[] = []
    for (const f of image.rootfs.files) paths.push({ containerPath: f.path, hostPath: f.hostPath })
    for (const [i, d] of image.rootfs.dirs.entries()) {
      if (!d.writable) paths.push({ containerPath: d.path, hostPath: d.hostPath })
      else {
        const copy = join(rec.dir, 'dirs', String(i))
        await cp(d.hostPath, copy, { recursive: true, verbatimSymlinks: true })
        paths.push({ containerPath: d.path, hostPath: copy })
      }
    }
    for (const [i, w] of image.rootfs.writableDirs.entries()) {
      const dir = join(rec.dir, 'rw', String(i))
      await mkdir(dir, { recursive: true })
      paths.push({ containerPath: w, hostPath: dir })
    }
    for (const m of config.mounts ?? []) paths.push({ containerPath: m.containerPath, hostPath: m.hostPath })
    const t = new PathTranslator(paths)

    const user = config.user ?? (image.config.user ? await resolveUserIn('/etc', image.config.user) : undefined)
    const hostname = sandbox.config.hostname ?? sandbox.config.name
    const env = containerEnv({ image: image.config, config, hostname, home: homedir() })
    // Pods share the node's interfaces here: apps that can bind one address may bind this one.
    if (sandbox.status.ip) env.PETSET_POD_IP ??= sandbox.status.ip
    for (const k of Object.keys(env)) env[k] = t.word(env[k]!)
    const containerCwd = config.workingDir ?? image.config.workingDir ?? '/'
    const cwd = t.path(containerCwd)
    await access(cwd).catch(() => {
      throw new Error(`chdir to cwd ("${cwd}") set in the container failed: no such file or directory`)
    })
    const asUser = user && isRoot() ? { uid: user.uid, gid: user.gid } : undefined
    rec.user = asUser
    rec.extra = { env, cwd, paths } satisfies ProcessExtra
    return {
      id: rec.status.id,
      command: containerArgv(config, image.config).map(w => t.word(w, containerCwd)),
      env,
      cwd,
      ...asUser,
      tty: !!config.tty,
      stdin: !!config.stdin,
      stdinOnce: !!config.stdinOnce,
      logPath: rec.logPath,
      sockPath: rec.sockPath,
      newSession: true,
    }
  }

  protected async awaitStart(rec: ContainerRecord): Promise<'running' | 'exited'> {
    const end = Date.now() + 30_000
    for (;;) {
      if (await readShimExit(rec.dir)) return 'exited'
      const state = await readShimState(rec.dir)
      if (state) {
        rec.shimPid = state.shimPid
        rec.pid = state.pid
        rec.status.startedAt = state.startedAt
        return 'running'
      }
      if (rec.shim && (rec.shim.exitCode !== null || rec.shim.signalCode !== null) && !(await readShimExit(rec.dir)))
        throw new Error(`the container shim exited before starting the container (see ${join(rec.dir, 'shim.log')})`)
      if (Date.now() > end) throw new Error('timed out waiting for the container shim to start the container')
      await new Promise(r => setTimeout(r, 10))
    }
  }

  protected async signal(rec: ContainerRecord, sig: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const pid = rec.pid ?? (await readShimState(rec.dir))?.pid
    if (!pid) return
    try {
      process.kill(-pid, sig) // the whole process group: the shim made the container a group leader
    } catch {
      try {
        process.kill(pid, sig)
      } catch {}
    }
  }

  protected async isRunning(rec: ContainerRecord): Promise<boolean> {
    return isAlive(rec.pid)
  }

  protected execCommand(rec: ContainerRecord, command: string[], _tty: boolean): SessionCommand {
    const extra = rec.extra as unknown as ProcessExtra
    const t = new PathTranslator(extra.paths)
    return { argv: command.map(w => t.word(w)), env: extra.env, cwd: extra.cwd, ...rec.user }
  }
}
