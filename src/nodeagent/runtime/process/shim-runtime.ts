/**
 * The common half of the process and runc runtimes: sandboxes and their network, container
 * records on disk, one detached shim per container (shim.ts), exit detection (the shim's exit
 * file; own shims also by their exit event), lifecycle events, stop with grace then kill,
 * re-adoption after an agent restart, attach, dial and images. Subclasses decide what a container
 * *is* (a host process, or `runc run` of an OCI bundle) through the protected hooks.
 */
import { randomBytes } from 'node:crypto'
import type { Socket } from 'node:net'
import type { ImageStore, ResolvedImage } from '../images/types.js'
import {
  type ContainerConfig,
  ContainerNotFound,
  type ContainerRuntime,
  type ExecStreams,
  type PodSandboxConfig,
  type PodSandboxStatus,
  type RuntimeClock,
  type RuntimeContainerStatus,
  RuntimeError,
  type RuntimeEvent,
  type RuntimeHealth,
  SandboxNotFound,
  type StopOptions,
} from '../runtime.js'
import { ContainerSet, unrefTimer, wallClock } from './container-set.js'
import type { SandboxNetwork } from './network.js'
import { type ContainerRecord, removeTree, type SandboxRecord, StateDirs } from './records.js'
import { SandboxSet } from './sandbox-set.js'
import { dialTcp, runSession, type SessionCommand } from './session.js'
import type { ShimSpec } from './shim.js'
import { attachShim } from './shim-client.js'

/** Options every shim-based runtime takes. */
export interface ShimRuntimeOptions {
  /** Where the runtime keeps its state, e.g. `<data-dir>/nodes/<node>`. */
  rootDir: string
  /** Resolves pod images (the image store). */
  images: ImageStore
  clock?: RuntimeClock
  /** How often containers are checked for exits they did not report themselves (ms, default 500). */
  pollMs?: number
}

/** What prepare() gets to turn a ContainerConfig into a shim spec. */
export interface PrepareContext {
  id: string
  sandbox: SandboxRecord
  config: ContainerConfig
  image: ResolvedImage
  rec: ContainerRecord
}

/** Base class of the shim-based runtimes (see the module comment). */
export abstract class ShimRuntime implements ContainerRuntime {
  abstract readonly name: string
  readonly version = '0.1.0'
  protected readonly clock: RuntimeClock
  protected readonly dirs: StateDirs
  protected readonly sandboxes: SandboxSet
  protected readonly containers: ContainerSet
  private readonly loaded: Promise<void>

  constructor(
    protected readonly base: ShimRuntimeOptions,
    protected readonly network: SandboxNetwork,
  ) {
    this.clock = base.clock ?? wallClock
    this.dirs = new StateDirs(base.rootDir)
    this.sandboxes = new SandboxSet(this.dirs, network, this.clock, {
      prepare: sb => this.prepareSandbox(sb),
      cleanup: sb => this.cleanupSandbox(sb),
    })
    this.containers = new ContainerSet(this.dirs, {
      clock: this.clock,
      isRunning: rec => this.isRunning(rec),
      exitReason: (rec, code) => this.exitReason(rec, code),
    })
    this.loaded = this.load()
    this.containers.startPolling(this.loaded, base.pollMs ?? 500, base.clock ? undefined : unrefTimer)
  }

  // --- hooks --------------------------------------------------------------------------------

  /** Whether the runtime can run containers at all (binaries, privileges). */
  protected abstract runtimeStatus(): { ready: boolean; message?: string }
  /** Rejects images this runtime cannot run (ImagePullError). */
  protected checkImage(_image: ResolvedImage): void {}
  /** Lays out what the container needs and says what the shim runs. Throws to refuse the container. */
  protected abstract prepare(ctx: PrepareContext): Promise<ShimSpec>
  /** Resolves once the container runs ('running') or has already exited ('exited'). */
  protected abstract awaitStart(rec: ContainerRecord): Promise<'running' | 'exited'>
  /** Why an exited container never started (a message for RunContainerError), if it did not. */
  protected async startError(_rec: ContainerRecord, exit: { startError?: string }): Promise<string | undefined> {
    return exit.startError
  }
  /** Sends the container's main process a signal. */
  protected abstract signal(rec: ContainerRecord, sig: 'SIGTERM' | 'SIGKILL'): Promise<void>
  /** Whether the container still runs although its shim is gone (re-adoption corner case). */
  protected abstract isRunning(rec: ContainerRecord): Promise<boolean>
  /** The exit reason ("Completed", "Error", "OOMKilled"). */
  protected async exitReason(_rec: ContainerRecord, code: number): Promise<string> {
    return code === 0 ? 'Completed' : 'Error'
  }
  /** Releases what prepare() set up (mounts, runc state); the directory is removed afterwards. */
  protected async cleanupContainer(_rec: ContainerRecord): Promise<void> {}
  /** The session command of an exec into the container. */
  protected abstract execCommand(rec: ContainerRecord, command: string[], tty: boolean): SessionCommand
  /** Writes per-sandbox files (runc: /etc/hosts, ...). */
  protected async prepareSandbox(_sb: SandboxRecord): Promise<void> {}
  /** Removes what prepareSandbox and the containers left at pod level. */
  protected async cleanupSandbox(_sb: SandboxRecord): Promise<void> {}

  // --- ContainerRuntime ---------------------------------------------------------------------

  health(): RuntimeHealth {
    const rt = this.runtimeStatus()
    const net = this.network.status()
    return {
      runtimeReady: rt.ready,
      networkReady: net.ready,
      ...(rt.message ? { runtimeMessage: rt.message } : {}),
      ...(net.message ? { networkMessage: net.message } : {}),
    }
  }

  async updateRuntimeConfig(config: { podCIDR?: string }): Promise<void> {
    await this.loaded
    await this.network.configure(config)
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<PodSandboxStatus> {
    await this.loaded
    return { ...(await this.sandboxes.create(config)).status }
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    await this.loaded
    const sb = this.sandboxes.get(sandboxId)
    if (!sb || sb.status.state === 'notready') return
    const mine = this.containers.list(sandboxId).filter(c => c.status.state !== 'exited')
    await Promise.all(mine.map(c => this.stopContainer(c.status.id, { graceSeconds: 0 })))
    await this.sandboxes.stop(sb)
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    await this.loaded
    const sb = this.sandboxes.get(sandboxId)
    if (!sb) return
    await this.stopPodSandbox(sandboxId)
    for (const c of this.containers.list(sandboxId)) await this.removeContainer(c.status.id)
    await this.sandboxes.remove(sb)
  }

  async podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus> {
    await this.loaded
    const sb = this.sandboxes.get(sandboxId)
    if (!sb) throw new SandboxNotFound(sandboxId)
    return { ...sb.status }
  }

  async listPodSandboxes(): Promise<PodSandboxStatus[]> {
    await this.loaded
    return this.sandboxes.list().map(s => ({ ...s.status }))
  }

  async startContainer(sandboxId: string, config: ContainerConfig): Promise<RuntimeContainerStatus> {
    await this.loaded
    const sandbox = this.sandboxes.get(sandboxId)
    if (!sandbox) throw new SandboxNotFound(sandboxId)
    if (sandbox.status.state !== 'ready')
      throw new RuntimeError('SandboxNotFound', `pod sandbox "${sandboxId}" is not ready`)
    const image = await this.base.images.resolve(config.image)
    this.checkImage(image)
    const id = randomBytes(32).toString('hex')
    const rec = await this.containers.create(id, sandbox, config, image)
    try {
      const spec = await this.prepare({ id, sandbox, config, image, rec })
      this.containers.launch(rec, spec)
    } catch (err) {
      await this.discard(rec)
      throw err
    }
    const outcome = await this.awaitStart(rec).catch(async err => {
      await this.signal(rec, 'SIGKILL').catch(() => {})
      await this.discard(rec)
      throw err
    })
    if (outcome === 'exited') {
      const exit = await this.containers.refresh(rec)
      const why = exit && (await this.startError(rec, exit))
      if (why) {
        await this.discard(rec)
        throw new Error(why)
      }
    } else this.containers.markRunning(rec)
    return structuredClone(rec.status)
  }

  async stopContainer(containerId: string, opts: StopOptions): Promise<void> {
    await this.loaded
    const rec = this.containers.get(containerId)
    if (!rec) throw new ContainerNotFound(containerId)
    if (await this.containers.isExited(rec)) return
    if (opts.graceSeconds > 0) {
      await this.signal(rec, 'SIGTERM').catch(() => {})
      if (await this.containers.waitExit(rec, opts.graceSeconds * 1000)) return
    }
    await this.signal(rec, 'SIGKILL').catch(() => {})
    if (!(await this.containers.waitExit(rec, 10_000)))
      await this.containers.finalize(rec, { exitCode: 137, finishedAt: this.clock.now() }, 'Error')
  }

  async removeContainer(containerId: string): Promise<void> {
    await this.loaded
    const rec = this.containers.get(containerId)
    if (!rec) return
    if (rec.status.state !== 'exited') await this.stopContainer(containerId, { graceSeconds: 0 })
    await this.discard(rec)
  }

  async containerStatus(containerId: string): Promise<RuntimeContainerStatus> {
    await this.loaded
    const rec = this.containers.get(containerId)
    if (!rec) throw new ContainerNotFound(containerId)
    return structuredClone(rec.status)
  }

  async listContainers(filter: { sandboxId?: string } = {}): Promise<RuntimeContainerStatus[]> {
    await this.loaded
    return this.containers.list(filter.sandboxId).map(c => structuredClone(c.status))
  }

  onEvent(listener: (event: RuntimeEvent) => void): { remove(): void } {
    return this.containers.onEvent(listener)
  }

  async close(): Promise<void> {
    this.containers.stopPolling()
    await this.loaded.catch(() => {})
    this.containers.clearListeners()
  }

  async exec(containerId: string, command: string[], streams: ExecStreams & { tty: boolean }): Promise<number> {
    const rec = await this.running(containerId)
    return runSession(this.execCommand(rec, command, streams.tty), streams)
  }

  async attach(containerId: string, streams: ExecStreams & { tty: boolean }): Promise<number | undefined> {
    const rec = await this.running(containerId)
    return attachShim(rec.sockPath, streams)
  }

  logPath(containerId: string): string | undefined {
    return this.containers.get(containerId)?.logPath
  }

  async dial(sandboxId: string, port: number): Promise<Socket> {
    const sb = await this.podSandboxStatus(sandboxId)
    return dialTcp(sb.ip ?? '127.0.0.1', port)
  }

  async ensureImage(image: string): Promise<{ image: string; imageRef: string }> {
    const resolved = await this.base.images.resolve(image)
    this.checkImage(resolved)
    return { image: resolved.name, imageRef: resolved.ref }
  }

  // --- internals ----------------------------------------------------------------------------

  private async running(containerId: string): Promise<ContainerRecord> {
    await this.loaded
    const rec = this.containers.get(containerId)
    if (!rec) throw new ContainerNotFound(containerId)
    if (rec.status.state !== 'running')
      throw new Error(`container ${containerId} is not running (state: ${rec.status.state})`)
    return rec
  }

  private async discard(rec: ContainerRecord): Promise<void> {
    await this.cleanupContainer(rec)
    await removeTree(rec.dir)
    this.containers.forget(rec)
  }

  private async load(): Promise<void> {
    const { sandboxes, containers } = await this.dirs.load()
    for (const sb of sandboxes) this.sandboxes.adopt(sb)
    for (const rec of containers) await this.containers.adopt(rec)
  }
}
