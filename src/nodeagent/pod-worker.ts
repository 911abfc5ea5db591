/**
 * PodWorker: drives one pod (by uid) through its life on this node, kubelet-style. Every wake-up
 * runs one level-triggered sync, never two at once: write the status, decide (computePodActions),
 * act through the pod's runtime (volumes first, then the sandbox, then containers; liveness
 * failures kill first), write the status again, and arm a timer for back-offs and retries. A pod
 * with a deletionTimestamp (or gone from the API) is stopped within its grace period, its
 * volumes torn down, and the worker deletes it with gracePeriodSeconds 0 and a uid precondition.
 */
import type { Pod } from '../api/pod.js'
import type { Clock, Timer } from '../client/clock.js'
import type { EventRecorder } from '../client/events.js'
import type { Logger } from '../client/log.js'
import { PODS } from '../client/resources.js'
import type { RestClient } from '../client/rest-client.js'
import { deepEqual } from '../machinery/objects.js'
import { isConflict, isNotFound } from '../machinery/status-error.js'
import { type BackoffEntry, nextBackoff } from './backoff.js'
import { computePodActions, podRef } from './pod-actions.js'
import { killUnhealthy, type NodeServices, PodSetup } from './pod-setup.js'
import { computePodStatus, type WaitingReason } from './pod-status.js'
import { readPodView, type PodView as View } from './pod-view.js'
import { type Prober, probeContainers, type RestartRequest } from './probes/prober.js'
import { type ContainerRuntime, isContainerNotFound, isNetworkNotReady } from './runtime/runtime.js'
import type { RuntimeSet } from './runtime-set.js'
import type { StatusManager } from './status-manager.js'
import type { StreamingPod } from './streaming-backend.js'

/** What a worker needs from its agent. */
export interface PodWorkerDeps {
  runtimes: RuntimeSet
  node: NodeServices
  statusManager: StatusManager
  client: RestClient
  /** Pod events (Created, Started, BackOff...); omitted to save API writes. */
  events?: EventRecorder
  clock: Clock
  log: Logger
  /** The node's IPs, primary first. */
  hostIPs(): string[]
}

/** The kubelet's minimum grace period when it stops a container. */
const minimumGraceSeconds = 2
/** Retry delay after a sync failed (network not ready, API errors). */
const retryMs = 1_000
const isTerminalPhase = (p: string | undefined) => p === 'Succeeded' || p === 'Failed'
const earliest = (...ts: (number | undefined)[]) => Math.min(...ts.filter((t): t is number => t !== undefined))

/** Runs one pod. */
export class PodWorker {
  /** True once the pod has been stopped and handed back to the API (or is gone). */
  finished = false
  /** True once the API no longer has the pod. */
  removed = false
  /** The runtime this pod runs on (chosen once, by the petset.dev/runtime annotation). */
  readonly runtime: ContainerRuntime
  private readonly prober: Prober
  private readonly runtimeError: string | undefined
  private readonly setup: PodSetup
  private pod: Pod
  private running = false
  private again = false
  private timer: Timer | undefined
  private readonly sandboxIds: string[] = []
  private readonly backoff: Record<string, BackoffEntry | undefined> = {}
  private readonly waiting: Record<string, WaitingReason> = {}
  /** Containers whose last start attempt asked to wait (image back-off, config errors) until then. */
  private readonly notBefore: Record<string, number> = {}
  private sandboxFailures = 0
  private readonly log: Logger

  constructor(
    pod: Pod,
    private readonly deps: PodWorkerDeps,
    private readonly onFinished?: (worker: PodWorker) => void,
  ) {
    this.pod = pod
    this.log = deps.log.child({ pod: `${pod.metadata.namespace}/${pod.metadata.name}` })
    const entry = deps.runtimes.forPod(pod)
    const chosen = 'error' in entry ? deps.runtimes.primary : entry
    if ('error' in entry) this.runtimeError = entry.error
    this.runtime = chosen.runtime
    this.prober = chosen.prober
    this.setup = new PodSetup(this.uid, deps.node, this.runtime)
  }

  /** The pod's uid. */
  get uid(): string {
    return this.pod.metadata.uid ?? ''
  }

  /** Adopts a sandbox the runtime already has for this pod (agent restart). */
  adoptSandbox(id: string): void {
    if (!this.sandboxIds.includes(id)) this.sandboxIds.push(id)
  }

  /** A newer copy of the pod from the API. */
  update(pod: Pod): void {
    const old = this.pod.metadata
    if (!deepEqual(old.labels, pod.metadata.labels) || !deepEqual(old.annotations, pod.metadata.annotations))
      this.setup.markStale() // downward-API files follow labels and annotations
    this.pod = pod
    this.wake()
  }

  /** An object the pod's volumes project changed (or tokens near expiry): re-project at the next sync. */
  refreshVolumes(): void {
    this.setup.markStale()
    for (const name of Object.keys(this.notBefore)) delete this.notBefore[name] // a missing reference may exist now
    this.wake()
  }

  /** The pod is gone from the API (its final state, whose deletion grace period applies): stop whatever still runs. */
  deleted(final?: Pod): void {
    if (final) this.pod = final
    this.removed = true
    this.wake()
  }

  /** Runs a sync soon (runtime events, timers); coalesces while one is running. */
  wake(): void {
    if (this.running) {
      this.again = true
      return
    }
    this.running = true
    void this.loop()
  }

  /** Cancels timers; the worker does nothing more. */
  stop(): void {
    this.timer?.cancel()
    this.finished = true
  }

  /** The pod as the streaming backend sees it. */
  async streamingView(): Promise<StreamingPod> {
    const view = await this.view()
    const sandboxId = view.sandbox?.state === 'ready' ? view.sandbox.id : undefined
    return { pod: this.pod, runtime: this.runtime, sandboxId, containers: view.containers }
  }

  private async loop(): Promise<void> {
    do {
      this.again = false
      if (this.finished) break
      try {
        await this.sync()
      } catch (err) {
        this.log.warn({ err }, 'Pod sync failed; retrying')
        this.arm(this.deps.clock.now() + retryMs)
      }
    } while (this.again)
    this.running = false
  }

  private arm(at: number | undefined): void {
    this.timer?.cancel()
    this.timer = undefined
    if (at === undefined || !Number.isFinite(at) || this.finished) return
    this.timer = this.deps.clock.setTimer(() => this.wake(), Math.max(0, at - this.deps.clock.now()))
  }

  private view(): Promise<View> {
    return readPodView(this.runtime, this.sandboxIds)
  }

  private async sync(): Promise<void> {
    const pod = this.pod
    if (this.removed || pod.metadata.deletionTimestamp) return this.terminate(pod)
    const view = await this.view()
    if (isTerminalPhase(pod.status?.phase)) {
      // Finished: nothing restarts; release the sandbox (and its IP).
      if (view.sandbox?.state === 'ready') {
        await this.runtime.stopPodSandbox(view.sandbox.id)
        await this.writeStatus(pod, await this.view(), true)
      }
      this.arm(undefined)
      return
    }
    const { restarts } = await this.writeStatus(pod, view)
    const next = await this.act(pod, view, restarts)
    const { recheckAt } = await this.writeStatus(pod, await this.view())
    this.arm(earliest(next, recheckAt))
  }

  /** Kills what failed liveness, sets up volumes, creates the sandbox and starts what computePodActions asks for; returns the next deadline. */
  private async act(pod: Pod, view: View, restarts: RestartRequest[]): Promise<number | undefined> {
    const { clock } = this.deps
    const runtime = this.runtime
    const event = (type: 'Normal' | 'Warning', reason: string, message: string) => this.event(type, reason, message)
    if (restarts.length) {
      await killUnhealthy(runtime, pod, restarts, event)
      view = await this.view()
    }
    const prepared = await this.setup.prepare(pod, event)
    if (!prepared.ready) return prepared.retryAt
    let actions = computePodActions({ pod, ...view, backoff: this.backoff, now: clock.now() })
    if (actions.createSandbox) {
      try {
        if (this.runtimeError) throw new Error(this.runtimeError)
        const sandbox = await runtime.runPodSandbox(this.setup.sandboxConfig(pod))
        this.sandboxIds.push(sandbox.id)
        this.sandboxFailures = 0
      } catch (err) {
        // No network yet, or no free IP: the kubelet's events, then retry with back-off (1 s → 30 s).
        const message = (err as Error).message
        if (isNetworkNotReady(err) && !runtime.health().networkReady)
          this.event('Warning', 'NetworkNotReady', `network is not ready: ${message}`)
        else this.event('Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${message}`)
        return clock.now() + Math.min(retryMs * 2 ** this.sandboxFailures++, 30_000)
      }
      view = await this.view()
      actions = computePodActions({ pod, ...view, backoff: this.backoff, now: clock.now() })
    }
    for (const id of actions.remove) await runtime.removeContainer(id)
    for (const [name, wait] of Object.entries(actions.backoff)) {
      if (this.waiting[name]?.message !== wait.message)
        this.event('Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${podRef(pod)}`)
      this.waiting[name] = { reason: 'CrashLoopBackOff', message: wait.message }
    }
    const deadlines = Object.values(actions.backoff).map(w => w.until)
    for (const start of actions.start) {
      const name = start.container.name
      const wait = this.notBefore[name]
      if (wait !== undefined && wait > clock.now()) {
        deadlines.push(wait)
        continue
      }
      delete this.notBefore[name]
      if (start.restartOf) this.backoff[name] = nextBackoff(this.backoff[name], start.restartOf.finishedAt, clock.now())
      const outcome = await this.setup.start(pod, view.sandbox!, start, event)
      if (outcome.started) delete this.waiting[name]
      else {
        this.waiting[name] = outcome.waiting
        if (outcome.retryAt !== undefined) deadlines.push((this.notBefore[name] = outcome.retryAt))
      }
    }
    return earliest(...deadlines)
  }

  /** Computes and writes the status; returns when a probe answer may change on its own, and containers to restart. */
  private async writeStatus(pod: Pod, view: View, terminal = false) {
    const now = this.deps.clock.now()
    const podIP = pod.spec.hostNetwork ? this.deps.hostIPs()[0] : view.sandbox?.ip
    const { readiness, restarts, recheckAt } = probeContainers(this.prober, pod, view.containers, now, podIP)
    const status = computePodStatus({
      pod,
      ...view,
      readiness,
      waiting: terminal ? {} : this.waiting,
      runtimeName: this.runtime.name,
      hostIPs: this.deps.hostIPs(),
      now,
      terminal,
    })
    await this.deps.statusManager.setPodStatus(pod, status)
    return { recheckAt, restarts }
  }

  /** Stops every container within the grace period, reports the final status, then deletes the pod. */
  private async terminate(pod: Pod): Promise<void> {
    const { client } = this.deps
    const runtime = this.runtime
    this.arm(undefined)
    // NOTE: a pod gone from the API without a deletion grace was force-deleted: the minimum applies.
    const spec = this.removed ? 0 : (pod.spec.terminationGracePeriodSeconds ?? 30)
    const grace = Math.max(minimumGraceSeconds, pod.metadata.deletionGracePeriodSeconds ?? spec)
    const running = (await this.view()).containers.filter(c => c.state !== 'exited')
    if (!this.removed) for (const c of running) this.event('Normal', 'Killing', `Stopping container ${c.name}`)
    const stop = (id: string) => runtime.stopContainer(id, { graceSeconds: grace })
    await Promise.all(running.map(c => stop(c.id).catch(e => (isContainerNotFound(e) ? undefined : Promise.reject(e)))))
    for (const id of this.sandboxIds) await runtime.stopPodSandbox(id)
    if (!this.removed) {
      await this.writeStatus(pod, await this.view(), true)
      try {
        await client.delete(PODS, pod.metadata.name!, {
          namespace: pod.metadata.namespace,
          gracePeriodSeconds: 0,
          preconditions: { uid: pod.metadata.uid },
        })
      } catch (err) {
        // Gone already, or replaced by a new pod of the same name: either way not ours to delete.
        if (!isNotFound(err) && !isConflict(err)) throw err
      }
    }
    for (const id of this.sandboxIds.splice(0)) await runtime.removePodSandbox(id)
    await this.setup.release(pod)
    this.finished = true
    this.log.debug('Pod stopped and removed')
    this.onFinished?.(this)
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    // Events need the involved object's kind; informer objects have it, this guards the rest.
    const pod = this.pod.kind ? this.pod : { ...this.pod, apiVersion: 'v1', kind: 'Pod' }
    this.deps.events?.event(pod, { type, reason, message })
  }
}
