/**
 * RealProber: runs the containers' startup, readiness and liveness probes on their schedules
 * (the kubelet's prober workers) and answers the pod worker from cached results. Per probe:
 * first run after initialDelaySeconds, then every periodSeconds, each run bounded by
 * timeoutSeconds; a result flips only after successThreshold / failureThreshold consecutive
 * outcomes. Startup gates the others (they do not run until it succeeds); readiness starts as
 * failure, liveness as success. A liveness (or startup) failure asks the worker to restart the
 * container ("Container x failed liveness probe, will be restarted") and holds that probe until
 * the container is replaced. Every failed run records an `Unhealthy` event. Results that change
 * wake the pod's worker through onChange.
 */
import type { Container, Pod, Probe } from '../../api/pod.js'
import type { Clock, Timer } from '../../client/clock.js'
import type { ContainerRuntime, RuntimeContainerStatus } from '../runtime/runtime.js'
import { type ProbeRunner, runProbe } from './actions.js'
import type { ProbeInput, ProbeResult, Prober } from './prober.js'

type Kind = 'startup' | 'readiness' | 'liveness'
type Result = 'success' | 'failure' | 'unknown'

const titles: Record<Kind, string> = { startup: 'Startup', readiness: 'Readiness', liveness: 'Liveness' }

/** Options of RealProber. */
export interface RealProberOptions {
  clock: Clock
  /** The runtime of a pod (exec probes run through it). */
  runtimeFor(pod: Pod): ContainerRuntime
  /** The pod's IP when the worker did not pass one (http and tcp probes target it unless the probe names a host). */
  podIP?(pod: Pod): string | undefined
  /** Records an event on the pod (Unhealthy). */
  event?(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void
  /** Replaces the real probe runner (tests). */
  runner?: ProbeRunner
}

interface Worker {
  kind: Kind
  probe: Probe
  pod: Pod
  container: Container
  status: RuntimeContainerStatus
  podIP?: string
  result: Result
  lastResult: Result
  run: number
  onHold: boolean
  timer?: Timer
  stopped: boolean
}

/** The prober for real runtimes. */
export class RealProber implements Prober {
  private readonly workers = new Map<string, Worker[]>()
  private readonly byPod = new Map<string, Set<string>>()
  private listeners: ((uid: string) => void)[] = []
  private readonly runner: ProbeRunner
  private sink: RealProberOptions['event']

  constructor(private readonly opts: RealProberOptions) {
    this.runner = opts.runner ?? runProbe
    this.sink = opts.event
  }

  check({ pod, container, status, podIP }: ProbeInput): ProbeResult {
    const ws = this.ensure(pod, container, status)
    for (const w of ws) {
      w.pod = pod
      if (podIP) w.podIP = podIP
    }
    const get = (k: Kind) => ws.find(w => w.kind === k)
    const startup = get('startup')
    const readiness = get('readiness')
    const liveness = get('liveness')
    const started = !startup || startup.result === 'success'
    const ready = started && (!readiness || readiness.result === 'success')
    const result: ProbeResult = { ready, started }
    const failed = [liveness, startup].find(w => w?.onHold && w.result === 'failure')
    if (failed) {
      result.restart = {
        message: `Container ${container.name} failed ${failed.kind} probe, will be restarted`,
        graceSeconds: failed.probe.terminationGracePeriodSeconds ?? undefined,
      }
    }
    return result
  }

  recordEvents(sink: NonNullable<RealProberOptions['event']>): void {
    this.sink = sink
  }

  onChange(listener: (podUid: string) => void) {
    this.listeners.push(listener)
    return { remove: () => (this.listeners = this.listeners.filter(l => l !== listener)) }
  }

  track(podUid: string, runningIds: string[]): void {
    const keep = new Set(runningIds)
    for (const id of this.byPod.get(podUid) ?? []) if (!keep.has(id)) this.stop(podUid, id)
  }

  /** Stops every probe (agent shutdown). */
  close(): void {
    for (const [uid, ids] of this.byPod) for (const id of ids) this.stop(uid, id)
  }

  private ensure(pod: Pod, container: Container, status: RuntimeContainerStatus): Worker[] {
    const existing = this.workers.get(status.id)
    if (existing) return existing
    const ws: Worker[] = []
    const add = (kind: Kind, probe: Probe | undefined) => {
      if (!probe) return
      const initial: Result = kind === 'readiness' ? 'failure' : kind === 'liveness' ? 'success' : 'unknown'
      ws.push({
        kind,
        probe,
        pod,
        container,
        status,
        result: initial,
        lastResult: 'unknown',
        run: 0,
        onHold: false,
        stopped: false,
      })
    }
    add('startup', container.startupProbe)
    add('readiness', container.readinessProbe)
    add('liveness', container.livenessProbe)
    this.workers.set(status.id, ws)
    const uid = pod.metadata.uid ?? ''
    const ids = this.byPod.get(uid) ?? new Set()
    ids.add(status.id)
    this.byPod.set(uid, ids)
    const startedAt = status.startedAt ?? this.opts.clock.now()
    for (const w of ws) this.schedule(w, startedAt + (w.probe.initialDelaySeconds ?? 0) * 1000)
    return ws
  }

  private stop(podUid: string, id: string): void {
    for (const w of this.workers.get(id) ?? []) {
      w.stopped = true
      w.timer?.cancel()
    }
    this.workers.delete(id)
    const ids = this.byPod.get(podUid)
    ids?.delete(id)
    if (ids && !ids.size) this.byPod.delete(podUid)
  }

  private schedule(w: Worker, at: number): void {
    if (w.stopped) return
    w.timer = this.opts.clock.setTimer(() => void this.tick(w), Math.max(0, at - this.opts.clock.now()))
  }

  private async tick(w: Worker): Promise<void> {
    if (w.stopped) return
    const period = (w.probe.periodSeconds || 10) * 1000
    const siblings = this.workers.get(w.status.id) ?? []
    const startup = siblings.find(s => s.kind === 'startup')
    const gated = w.kind !== 'startup' && startup && startup.result !== 'success'
    if (!w.onHold && !gated) {
      const outcome = await this.runner(
        w.probe,
        {
          container: w.container,
          containerId: w.status.id,
          podIP: w.podIP ?? this.opts.podIP?.(w.pod) ?? w.pod.status?.podIP,
          runtime: this.opts.runtimeFor(w.pod),
        },
        (w.probe.timeoutSeconds || 1) * 1000,
      ).catch((err: Error) => ({ result: 'failure' as const, output: err.message }))
      if (w.stopped) return
      if (outcome.result === 'failure')
        this.sink?.(w.pod, 'Warning', 'Unhealthy', `${titles[w.kind]} probe failed: ${outcome.output}`)
      this.record(w, outcome.result)
    }
    // A passed startup probe is done; the others then start probing (their own schedules are running).
    if (w.kind === 'startup' && w.result === 'success') return
    this.schedule(w, this.opts.clock.now() + period)
  }

  /** Applies the thresholds; notifies when the cached result changes. */
  private record(w: Worker, result: 'success' | 'failure'): void {
    if (result === w.lastResult) w.run++
    else {
      w.lastResult = result
      w.run = 1
    }
    const failureThreshold = w.probe.failureThreshold || 3
    const successThreshold = w.probe.successThreshold || 1
    if ((result === 'failure' && w.run < failureThreshold) || (result === 'success' && w.run < successThreshold)) return
    const changed = w.result !== result
    w.result = result
    if (result === 'failure' && w.kind !== 'readiness') {
      // The container will be restarted; probing resumes on its replacement.
      w.onHold = true
      w.run = 0
    }
    if (changed || w.onHold) for (const l of this.listeners) l(w.pod.metadata.uid ?? '')
  }
}
