/**
 * The containers of a shim-based runtime: their records, their shims, and their state machine
 * (created → running → exited) driven by the files the shims write. The only place container
 * state changes and the only place container events are emitted from.
 */
import { createHash } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ResolvedImage } from '../images/types.js'
import type { ContainerConfig, RuntimeClock, RuntimeEvent } from '../runtime.js'
import type { ContainerRecord, SandboxRecord, StateDirs } from './records.js'
import type { ShimExit, ShimSpec } from './shim.js'
import { isAlive, readShimExit, readShimState, startShim } from './shim-client.js'

/** Real time; timers keep the process alive (operations wait on them). */
export const wallClock: RuntimeClock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, ms)
    return { cancel: () => clearTimeout(t) }
  },
}

/** A timer that does not keep the process alive: the exit poll must not (an agent shutting down, a test ending). */
export const unrefTimer = (fn: () => void, ms: number) => {
  const t = setTimeout(fn, ms)
  t.unref()
  return { cancel: () => clearTimeout(t) }
}

/** What the set needs from its runtime. */
export interface ContainerSetHooks {
  clock: RuntimeClock
  /** Whether the container still runs although its shim is gone. */
  isRunning(rec: ContainerRecord): Promise<boolean>
  exitReason(rec: ContainerRecord, code: number): Promise<string>
}

/** Unix socket paths are limited to 107 bytes: keep attach sockets in a short directory. */
function socketDir(rootDir: string): string {
  const near = join(rootDir, 'sock')
  const dir =
    near.length <= 60
      ? near
      : join(tmpdir(), `petset-sock-${createHash('sha256').update(rootDir).digest('hex').slice(0, 12)}`)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  return dir
}

/** The live container records of one runtime. */
export class ContainerSet {
  private readonly byId = new Map<string, ContainerRecord>()
  /** Containers whose ContainerCreated went out (a failed creation is never announced). */
  private readonly announced = new Set<string>()
  private readonly finalizing = new Map<string, Promise<void>>()
  private readonly listeners = new Set<(e: RuntimeEvent) => void>()
  /** The pending poll timer; null once stopped. */
  private polling: { cancel(): void } | null | undefined
  private readonly sockDir: string

  constructor(
    private readonly dirs: StateDirs,
    private readonly hooks: ContainerSetHooks,
  ) {
    this.sockDir = socketDir(dirs.rootDir)
  }

  /** The record of id, if known. */
  get(id: string): ContainerRecord | undefined {
    return this.byId.get(id)
  }

  /** Records, optionally of one sandbox, in creation order. */
  list(sandboxId?: string): ContainerRecord[] {
    return [...this.byId.values()].filter(c => !sandboxId || c.status.sandboxId === sandboxId)
  }

  /** A new record in `created` state with its directory; not yet announced. */
  async create(id: string, sb: SandboxRecord, config: ContainerConfig, image: ResolvedImage): Promise<ContainerRecord> {
    const inUse = new Set([...this.byId.values()].map(c => c.dir))
    const dir = await this.dirs.newContainerDir(sb.status.uid, config.name, config.attempt, id, inUse)
    const rec: ContainerRecord = {
      status: {
        id,
        sandboxId: sb.status.id,
        podUid: sb.status.uid,
        name: config.name,
        attempt: config.attempt,
        state: 'created',
        image: image.name,
        imageRef: image.ref,
        createdAt: this.hooks.clock.now(),
        labels: { ...config.labels },
        annotations: { ...config.annotations },
      },
      dir,
      logPath: join(dir, 'container.log'),
      sockPath: join(this.sockDir, `${id.slice(0, 24)}.sock`),
      tty: !!config.tty,
      stdin: !!config.stdin,
    }
    this.byId.set(id, rec)
    return rec
  }

  /** Persists the record, announces it (ContainerCreated) and starts its shim. */
  launch(rec: ContainerRecord, spec: ShimSpec): void {
    this.dirs.saveContainer(rec)
    this.announced.add(rec.status.id)
    this.emit('ContainerCreated', rec)
    rec.shim = startShim(rec.dir, spec)
    rec.shim.on('exit', () => void this.refresh(rec).catch(() => {}))
  }

  /** created → running (ContainerStarted). */
  markRunning(rec: ContainerRecord): void {
    if (rec.status.state !== 'created') return
    rec.status.state = 'running'
    rec.status.startedAt ??= this.hooks.clock.now()
    this.dirs.saveContainer(rec)
    this.emit('ContainerStarted', rec)
  }

  /** Reads the shim's files; finalizes the container if it has exited. Returns the exit, if any. */
  async refresh(rec: ContainerRecord): Promise<ShimExit | undefined> {
    if (rec.shimPid === undefined) {
      const state = await readShimState(rec.dir)
      if (state) {
        rec.shimPid = state.shimPid
        rec.pid = state.pid
        rec.status.startedAt ??= state.startedAt
      }
    }
    const exit = await readShimExit(rec.dir)
    if (exit && rec.status.state !== 'exited') await this.finalize(rec, exit)
    return exit
  }

  /** Whether the container has exited (after looking at its files again). */
  async isExited(rec: ContainerRecord): Promise<boolean> {
    if (rec.status.state !== 'exited') await this.refresh(rec)
    return rec.status.state === 'exited'
  }

  /** Waits up to ms for the container to exit; true if it did. */
  async waitExit(rec: ContainerRecord, ms: number): Promise<boolean> {
    const end = this.hooks.clock.now() + ms
    while (!(await this.isExited(rec))) {
      if (this.hooks.clock.now() >= end) return false
      await new Promise<void>(r => this.hooks.clock.setTimer(r, 25))
    }
    return true
  }

  /** Records the exit (ContainerStopped; ContainerStarted first if it was never reported running). */
  finalize(rec: ContainerRecord, exit: ShimExit, reason?: string, message?: string): Promise<void> {
    if (rec.status.state === 'exited') return Promise.resolve()
    // The poll, a stop and the shim's exit event may all notice the same exit: finalize once.
    let pending = this.finalizing.get(rec.status.id)
    if (!pending) {
      pending = this.doFinalize(rec, exit, reason, message).finally(() => this.finalizing.delete(rec.status.id))
      this.finalizing.set(rec.status.id, pending)
    }
    return pending
  }

  private async doFinalize(rec: ContainerRecord, exit: ShimExit, reason?: string, message?: string): Promise<void> {
    if (rec.status.state === 'created') this.markRunning(rec)
    Object.assign(rec.status, {
      state: 'exited',
      exitCode: exit.exitCode,
      finishedAt: Math.max(exit.finishedAt, rec.status.startedAt ?? 0),
      reason: reason ?? (await this.hooks.exitReason(rec, exit.exitCode)),
      ...(message ? { message } : {}),
    })
    this.dirs.saveContainer(rec)
    this.emit('ContainerStopped', rec)
  }

  /** Looks at every container not known to have exited; called periodically. */
  async poll(): Promise<void> {
    for (const rec of this.byId.values()) {
      // Records still being prepared have no shim yet: nothing to look at.
      if (!this.announced.has(rec.status.id) || rec.status.state === 'exited' || (await this.refresh(rec))) continue
      if (rec.shimPid === undefined) {
        // No state file: the shim is still starting, unless it is already gone.
        if (rec.shim && rec.shim.exitCode === null && rec.shim.signalCode === null) continue
        await this.finalize(rec, { exitCode: 128, finishedAt: this.hooks.clock.now() }, 'StartError', shimGone)
        continue
      }
      if (await isAlive(rec.shimPid, rec.dir)) continue
      if (await this.refresh(rec)) continue // it wrote the exit file just before exiting
      if (await this.hooks.isRunning(rec)) continue
      await this.finalize(rec, { exitCode: 255, finishedAt: this.hooks.clock.now() }, 'Error', shimGone)
    }
  }

  /** Polls every ms once ready resolves, on setTimer (default: the clock's), until stopPolling. */
  startPolling(ready: Promise<void>, ms: number, setTimer?: RuntimeClock['setTimer']): void {
    const schedule = () => {
      if (this.polling === null) return
      this.polling = (setTimer ?? this.hooks.clock.setTimer.bind(this.hooks.clock))(() => {
        void ready
          .then(() => this.poll())
          .catch(() => {})
          .finally(schedule)
      }, ms)
    }
    this.polling = undefined
    schedule()
  }

  /** Stops the poll. */
  stopPolling(): void {
    this.polling?.cancel()
    this.polling = null
  }

  /** Takes over a record found on disk after a restart. */
  async adopt(rec: ContainerRecord): Promise<void> {
    this.byId.set(rec.status.id, rec)
    this.announced.add(rec.status.id)
    if (rec.status.state !== 'exited') await this.refresh(rec)
  }

  /** Subscribes to lifecycle events. */
  onEvent(listener: (event: RuntimeEvent) => void): { remove(): void } {
    this.listeners.add(listener)
    return { remove: () => this.listeners.delete(listener) }
  }

  /** Drops every subscription (the runtime is closing). */
  clearListeners(): void {
    this.listeners.clear()
  }

  private emit(type: RuntimeEvent['type'], rec: ContainerRecord): void {
    const { id: containerId, sandboxId, podUid } = rec.status
    for (const l of this.listeners) {
      try {
        l({ type, containerId, sandboxId, podUid })
      } catch {
        // Listeners only wake workers; one failing must not starve the others.
      }
    }
  }

  /** Drops a removed container (ContainerDeleted). */
  forget(rec: ContainerRecord): void {
    this.byId.delete(rec.status.id)
    if (this.announced.delete(rec.status.id)) this.emit('ContainerDeleted', rec)
  }
}

const shimGone = "exit status unknown: the container's shim is gone"
