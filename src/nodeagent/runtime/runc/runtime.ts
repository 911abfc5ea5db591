/**
 * RuncRuntime: every container is an OCI bundle (`<rootDir>/pods/<uid>/containers/<name>-<attempt>/`:
 * config.json, rootfs, logs) run by `runc run` in the foreground under the container's detached
 * shim, which owns its stdio (CRI log, attach) and records its exit status. Each container has
 * its own PID, IPC, UTS (the pod hostname) and mount namespaces; the network is the
 * SandboxNetwork's (default: the node's, see network.ts). Needs root and runc. See README.md.
 */
import { readFileSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { hostname as nodeHostname } from 'node:os'
import { join } from 'node:path'
import { containerArgv, containerEnv, defaultPath, resolveUserIn } from '../process/command.js'
import type { SandboxNetwork } from '../process/network.js'
import type { ContainerRecord, SandboxRecord } from '../process/records.js'
import type { SessionCommand } from '../process/session.js'
import type { ShimSpec } from '../process/shim.js'
import { readShimExit, readShimState } from '../process/shim-client.js'
import { type PrepareContext, ShimRuntime, type ShimRuntimeOptions } from '../process/shim-runtime.js'
import { cgroupsPathFor, removePodCgroups, wasOOMKilled } from './cgroups.js'
import { sandboxFilesIn, writeSandboxFiles } from './etc-files.js'
import { NodeAddressNetwork } from './network.js'
import { bindMount, type OciMount, ociSpec } from './oci-spec.js'
import { mountLayeredRootfs, prepareHostRootfs, unmountUnder } from './rootfs.js'
import { Runc, runcLogError } from './runc-cli.js'

/** Options of a RuncRuntime. */
export interface RuncRuntimeOptions extends ShimRuntimeOptions {
  /** The node's name: part of every container's cgroup path. */
  nodeName: string
  /** Default: NodeAddressNetwork (the node's network namespace and address). */
  network?: SandboxNetwork
  /** Default /usr/sbin/runc. */
  runcBinary?: string
  /** runc's state root; default `<rootDir>/runc`. */
  runcRoot?: string
  /** Default cluster.local (the pod's FQDN in /etc/hosts). */
  clusterDomain?: string
}

/** Bundle facts kept with the record. */
interface RuncExtra {
  cgroupsPath: string
}

/** The agent's own hard NOFILE limit: a container may not be given more (runc-notes §2). */
function nofileLimit(): number {
  try {
    const m = /^Max open files\s+\S+\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))
    const hard = m?.[1] === 'unlimited' ? 1_048_576 : Number(m?.[1])
    return Number.isFinite(hard) && hard > 0 ? Math.min(hard, 1_048_576) : 1024
  } catch {
    return 1024
  }
}

/** Runs containers with runc (see the module comment). */
export class RuncRuntime extends ShimRuntime {
  readonly name = 'runc'
  private readonly runc: Runc
  private readonly nofile = nofileLimit()

  constructor(private readonly opts: RuncRuntimeOptions) {
    super(opts, opts.network ?? new NodeAddressNetwork())
    this.runc = new Runc(opts.runcBinary ?? '/usr/sbin/runc', opts.runcRoot ?? join(opts.rootDir, 'runc'))
  }

  protected runtimeStatus() {
    if (process.getuid?.() !== 0) return { ready: false, message: 'the runc runtime needs root' }
    if (!this.runc.available()) return { ready: false, message: `runc not found at ${this.runc.binary}` }
    return { ready: true }
  }

  protected override async prepareSandbox(sb: SandboxRecord): Promise<void> {
    const clusterDomain = this.opts.clusterDomain ?? 'cluster.local'
    await writeSandboxFiles(this.dirs.pod(sb.status.uid), { config: sb.config, ip: sb.status.ip, clusterDomain })
  }

  protected override async cleanupSandbox(sb: SandboxRecord): Promise<void> {
    await rm(join(this.dirs.pod(sb.status.uid), 'etc'), { recursive: true, force: true })
    await removePodCgroups(this.opts.nodeName, sb.status.uid)
  }

  protected async prepare({ id, sandbox, config, image, rec }: PrepareContext): Promise<ShimSpec> {
    const system: OciMount[] = []
    if (image.rootfs.kind === 'host') system.push(...(await prepareHostRootfs(rec.dir, image.rootfs)).system)
    else await mountLayeredRootfs(rec.dir, image.rootfs.layers)
    const etcDir = image.rootfs.kind === 'host' ? '/etc' : join(rec.dir, 'rootfs', 'etc')
    const user = config.user
      ? { uid: config.user.uid, gid: config.user.gid, additionalGids: config.user.supplementalGroups }
      : await resolveUserIn(etcDir, image.config.user)
    const hostname = sandbox.config.hostNetwork ? nodeHostname() : (sandbox.config.hostname ?? sandbox.config.name)
    const home = 'home' in user && user.home ? user.home : user.uid === 0 ? '/root' : '/'
    const files = sandboxFilesIn(this.dirs.pod(sandbox.status.uid))
    const mounts = [
      ...system,
      bindMount('/etc/hosts', files.hosts, false),
      bindMount('/etc/hostname', files.hostname, false),
      bindMount('/etc/resolv.conf', files.resolvConf, false),
      ...(config.mounts ?? []).map(m => bindMount(m.containerPath, m.hostPath, !!m.readOnly)),
    ]
    const cgroupsPath = cgroupsPathFor(this.opts.nodeName, sandbox.status.uid, config.name, config.attempt)
    const spec = ociSpec({
      args: containerArgv(config, image.config),
      env: containerEnv({ image: image.config, config, hostname, home }),
      cwd: config.workingDir ?? image.config.workingDir ?? '/',
      user,
      hostname,
      terminal: !!config.tty,
      rootfs: 'rootfs',
      mounts,
      netnsPath: sandbox.network.netnsPath,
      resources: config.resources,
      cgroupsPath,
      nofile: this.nofile,
    })
    await writeFile(join(rec.dir, 'config.json'), JSON.stringify(spec, null, 2))
    rec.user = { uid: user.uid, gid: user.gid }
    rec.extra = { cgroupsPath } satisfies RuncExtra
    return {
      id,
      command: this.runc.runArgv(rec.dir, id, join(rec.dir, 'runc.log')),
      env: { PATH: process.env.PATH ?? defaultPath },
      cwd: rec.dir,
      tty: !!config.tty,
      stdin: !!config.stdin,
      stdinOnce: !!config.stdinOnce,
      logPath: rec.logPath,
      sockPath: rec.sockPath,
      newSession: false,
    }
  }

  protected async awaitStart(rec: ContainerRecord): Promise<'running' | 'exited'> {
    const end = Date.now() + 60_000
    for (;;) {
      if (await readShimExit(rec.dir)) return 'exited'
      const shimStarted = await readShimState(rec.dir)
      if (shimStarted) {
        const s = await this.runc.state(rec.status.id)
        if (s?.status === 'running' || s?.status === 'paused') return 'running'
      } else if (rec.shim && (rec.shim.exitCode !== null || rec.shim.signalCode !== null))
        throw new Error(`the container shim exited before starting the container (see ${join(rec.dir, 'shim.log')})`)
      if (Date.now() > end) throw new Error('timed out waiting for runc to start the container')
      await new Promise(r => setTimeout(r, 20))
    }
  }

  protected override async startError(
    rec: ContainerRecord,
    exit: { startError?: string },
  ): Promise<string | undefined> {
    if (exit.startError) return exit.startError
    const msg = runcLogError(await readFile(join(rec.dir, 'runc.log'), 'utf8').catch(() => ''))
    return msg && `OCI runtime create failed: ${msg}`
  }

  protected override async exitReason(rec: ContainerRecord, code: number): Promise<string> {
    const { cgroupsPath } = rec.extra as unknown as RuncExtra
    const oom = code !== 0 && (await wasOOMKilled(cgroupsPath))
    await this.runc.delete(rec.status.id) // `run --keep` left it for this look at the cgroup
    return oom ? 'OOMKilled' : code === 0 ? 'Completed' : 'Error'
  }

  protected async signal(rec: ContainerRecord, sig: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    await this.runc.kill(rec.status.id, sig === 'SIGTERM' ? 'TERM' : 'KILL')
  }

  protected async isRunning(rec: ContainerRecord): Promise<boolean> {
    const s = await this.runc.state(rec.status.id)
    return s?.status === 'running' || s?.status === 'paused'
  }

  protected override async cleanupContainer(rec: ContainerRecord): Promise<void> {
    await this.runc.delete(rec.status.id)
    await unmountUnder(rec.dir)
  }

  protected execCommand(rec: ContainerRecord, command: string[], tty: boolean): SessionCommand {
    const env: Record<string, string> = { PATH: process.env.PATH ?? defaultPath }
    return { argv: this.runc.execArgv(rec.status.id, command, { tty, user: rec.user }), env }
  }
}
