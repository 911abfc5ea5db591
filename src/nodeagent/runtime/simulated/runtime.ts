/**
 * SimulatedRuntime: a ContainerRuntime with no processes. Containers "start" after a small random
 * delay and run until stopped; init containers complete with 0 after the same kind of delay;
 * regular containers of a pod annotated `petset.dev/simulate-exit-code: "<n>"` exit with n shortly
 * after starting. Sandboxes get IPs from the node's podCIDR (.2 upward, reused). All timing goes
 * through the injected clock; nothing here touches the API (the agent hands in what it needs).
 */
import { randomBytes } from 'node:crypto'
import {
  type ContainerConfig,
  ContainerLabels,
  ContainerNotFound,
  type ContainerRuntime,
  NetworkNotReady,
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
import { simulatedExitCode } from './annotations.js'
import { imageRefOf, normalizeImage } from './image.js'
import { IPPool } from './ip-pool.js'

/** Options of a SimulatedRuntime. */
export interface SimulatedRuntimeOptions {
  clock?: RuntimeClock
  /** Container start delay, uniformly drawn from [min, max] ms. Default 0–20. */
  startDelayMs?: { min: number; max: number }
  /** How long a container asked to exit runs first, and how long init containers run. Default 50 ms. */
  runMs?: number
  /** Random source in [0, 1) (tests pass a fixed one). */
  random?: () => number
}

const networkMessage =
  'NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized'

// Timers stay referenced: they are short, and an unref'd one lets a test's event loop end mid-start.
const wallClock: RuntimeClock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, ms)
    return { cancel: () => clearTimeout(t) }
  },
}

interface SimContainer {
  status: RuntimeContainerStatus
  timer?: { cancel(): void }
  /** Resolves the pending startContainer call once the container leaves `created`. */
  started?: () => void
}

const newId = () => randomBytes(32).toString('hex')

/** A runtime that only pretends: for tests, demos and control-plane benchmarks. */
export class SimulatedRuntime implements ContainerRuntime {
  readonly name = 'simulated'
  readonly version = '0.1.0'
  private readonly clock: RuntimeClock
  private readonly random: () => number
  private pool: IPPool | undefined
  private readonly sandboxes = new Map<string, PodSandboxStatus>()
  private readonly containers = new Map<string, SimContainer>()
  private readonly listeners = new Set<(e: RuntimeEvent) => void>()

  constructor(private readonly opts: SimulatedRuntimeOptions = {}) {
    this.clock = opts.clock ?? wallClock
    this.random = opts.random ?? Math.random
  }

  health(): RuntimeHealth {
    return this.pool
      ? { runtimeReady: true, networkReady: true }
      : { runtimeReady: true, networkReady: false, networkMessage }
  }

  async updateRuntimeConfig(config: { podCIDR?: string }): Promise<void> {
    if (!config.podCIDR || config.podCIDR === this.pool?.cidr) return
    const pool = new IPPool(config.podCIDR)
    for (const s of this.sandboxes.values()) if (s.state === 'ready' && s.ip) pool.reserve(s.ip)
    this.pool = pool
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<PodSandboxStatus> {
    let ip: string | undefined
    if (!config.hostNetwork) {
      if (!this.pool) throw new NetworkNotReady(`container runtime network not ready: ${networkMessage}`)
      ip = this.pool.allocate()
      if (!ip)
        throw new NetworkNotReady(
          `failed to allocate for range 0: no IP addresses available in range set: ${this.pool.rangeText()}`,
        )
    }
    const sandbox: PodSandboxStatus = {
      id: newId(),
      uid: config.uid,
      namespace: config.namespace,
      name: config.name,
      state: 'ready',
      ip,
      createdAt: this.clock.now(),
    }
    this.sandboxes.set(sandbox.id, sandbox)
    return { ...sandbox }
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    const sandbox = this.sandboxes.get(sandboxId)
    if (!sandbox || sandbox.state === 'notready') return
    for (const c of this.containers.values()) if (c.status.sandboxId === sandboxId) this.exit(c, 137, 'Error')
    if (sandbox.ip) this.pool?.release(sandbox.ip)
    sandbox.state = 'notready'
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    if (!this.sandboxes.has(sandboxId)) return
    await this.stopPodSandbox(sandboxId)
    for (const [id, c] of this.containers) if (c.status.sandboxId === sandboxId) await this.removeContainer(id)
    this.sandboxes.delete(sandboxId)
  }

  async podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus> {
    const sandbox = this.sandboxes.get(sandboxId)
    if (!sandbox) throw new SandboxNotFound(sandboxId)
    return { ...sandbox }
  }

  async listPodSandboxes(): Promise<PodSandboxStatus[]> {
    return [...this.sandboxes.values()].map(s => ({ ...s }))
  }

  async startContainer(sandboxId: string, config: ContainerConfig): Promise<RuntimeContainerStatus> {
    const sandbox = this.sandboxes.get(sandboxId)
    if (!sandbox) throw new SandboxNotFound(sandboxId)
    if (sandbox.state !== 'ready') throw new RuntimeError('SandboxNotFound', `pod sandbox "${sandboxId}" is not ready`)
    const image = normalizeImage(config.image)
    const c: SimContainer = {
      status: {
        id: newId(),
        sandboxId,
        podUid: sandbox.uid,
        name: config.name,
        attempt: config.attempt,
        state: 'created',
        image,
        imageRef: imageRefOf(image),
        createdAt: this.clock.now(),
        labels: { ...config.labels },
        annotations: { ...config.annotations },
      },
    }
    this.containers.set(c.status.id, c)
    this.emit('ContainerCreated', c)
    const { min, max } = this.opts.startDelayMs ?? { min: 0, max: 20 }
    await new Promise<void>(resolve => {
      c.started = resolve
      c.timer = this.clock.setTimer(() => this.run(c), min + Math.floor(this.random() * (max - min + 1)))
    })
    return structuredClone(c.status)
  }

  async stopContainer(containerId: string, opts: StopOptions): Promise<void> {
    const c = this.containers.get(containerId)
    if (!c) throw new ContainerNotFound(containerId)
    // A polite stop ends cleanly; a zero grace period is a SIGKILL (137).
    if (opts.graceSeconds > 0) this.exit(c, 0, 'Completed')
    else this.exit(c, 137, 'Error')
  }

  async removeContainer(containerId: string): Promise<void> {
    const c = this.containers.get(containerId)
    if (!c) return
    this.exit(c, 137, 'Error')
    this.containers.delete(containerId)
    this.emit('ContainerDeleted', c)
  }

  async containerStatus(containerId: string): Promise<RuntimeContainerStatus> {
    const c = this.containers.get(containerId)
    if (!c) throw new ContainerNotFound(containerId)
    return structuredClone(c.status)
  }

  async listContainers(filter: { sandboxId?: string } = {}): Promise<RuntimeContainerStatus[]> {
    const out: RuntimeContainerStatus[] = []
    for (const c of this.containers.values())
      if (!filter.sandboxId || c.status.sandboxId === filter.sandboxId) out.push(structuredClone(c.status))
    return out
  }

  onEvent(listener: (event: RuntimeEvent) => void): { remove(): void } {
    this.listeners.add(listener)
    return { remove: () => this.listeners.delete(listener) }
  }

  async close(): Promise<void> {
    for (const c of this.containers.values()) {
      c.timer?.cancel()
      c.started?.()
    }
    this.listeners.clear()
  }

  /** created → running, then schedules the exit the container is scripted to make, if any. */
  private run(c: SimContainer): void {
    if (c.status.state !== 'created') return
    c.status.state = 'running'
    c.status.startedAt = this.clock.now()
    c.timer = undefined
    this.emit('ContainerStarted', c)
    c.started?.()
    c.started = undefined
    const type = c.status.labels[ContainerLabels.containerType]
    const runMs = this.opts.runMs ?? 50
    if (type === 'init') c.timer = this.clock.setTimer(() => this.exit(c, 0, 'Completed'), runMs)
    else if (type !== 'sidecar') {
      const code = simulatedExitCode(c.status.annotations)
      if (code !== undefined)
        c.timer = this.clock.setTimer(() => this.exit(c, code, code === 0 ? 'Completed' : 'Error'), runMs)
    }
  }

  private exit(c: SimContainer, exitCode: number, reason: string): void {
    if (c.status.state === 'exited') return
    c.timer?.cancel()
    c.timer = undefined
    const now = this.clock.now()
    c.status.state = 'exited'
    c.status.startedAt ??= now
    c.status.finishedAt = now
    c.status.exitCode = exitCode
    c.status.reason = reason
    this.emit('ContainerStopped', c)
    c.started?.()
    c.started = undefined
  }

  private emit(type: RuntimeEvent['type'], c: SimContainer): void {
    const event: RuntimeEvent = {
      type,
      containerId: c.status.id,
      sandboxId: c.status.sandboxId,
      podUid: c.status.podUid,
    }
    for (const l of this.listeners) {
      try {
        l(event)
      } catch {
        // Listeners only wake workers; one failing must not starve the others.
      }
    }
  }
}
