/**
 * The Prober seam: readiness and startup of running containers as the pod worker asks for them
 * (the kubelet's prober results). Synchronous on purpose: a real prober runs probes on its own
 * schedule, caches results and wakes the worker when one changes (`onChange`); the worker only
 * reads. `probesPassAfterDelay` is the stand-in until exec/http/tcp probes exist: every probe
 * passes once its initialDelaySeconds have elapsed.
 */
import type { Container, Pod, Probe } from '../../api/pod.js'
import type { RuntimeContainerStatus } from '../runtime/runtime.js'

/** What the prober is asked about: a running container of a pod. */
export interface ProbeInput {
  pod: Pod
  container: Container
  status: RuntimeContainerStatus
  /** ms since the epoch. */
  now: number
  /** The pod's IP as the runtime reports it (http and tcp probes target it). */
  podIP?: string
}

/** The prober's answer. */
export interface ProbeResult {
  ready: boolean
  started: boolean
  /** When the answer may change without any event (ms since the epoch): the worker re-syncs then. */
  recheckAt?: number
  /** The container failed its liveness (or startup) probe: kill it with this Killing message. */
  restart?: { message: string; graceSeconds?: number }
}

/** Answers readiness and startup questions; must be cheap (called on every pod sync). */
export interface Prober {
  check(input: ProbeInput): ProbeResult
  /** Registers a callback for results that change on their own (real probes); optional. */
  onChange?(listener: (podUid: string) => void): { remove(): void }
  /** Gives the prober the agent's event sink (Unhealthy events); optional. */
  recordEvents?(sink: (pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string) => void): void
  /** The pod's running container ids (called before check on every sync): probes of others stop. */
  track?(podUid: string, runningIds: string[]): void
}

/** When a probe with this initial delay first passes, for a container that started at startedAt. */
const passesAt = (probe: Probe, startedAt: number) => startedAt + (probe.initialDelaySeconds ?? 0) * 1000

/**
 * Startup, then readiness: a container is started once its startupProbe (if any) passes, and ready
 * once started and its readinessProbe (if any) passes; each passes after its initialDelaySeconds.
 */
export const probesPassAfterDelay: Prober = {
  check({ container, status, now }) {
    const startedAt = status.startedAt ?? now
    let recheckAt: number | undefined
    let started = true
    let readyFrom = startedAt
    if (container.startupProbe) {
      const at = passesAt(container.startupProbe, startedAt)
      started = now >= at
      if (!started) recheckAt = at
      readyFrom = at
    }
    let ready = started
    if (container.readinessProbe) {
      const at = Math.max(readyFrom, passesAt(container.readinessProbe, readyFrom))
      ready = started && now >= at
      if (!ready) recheckAt = Math.min(recheckAt ?? at, at)
    }
    return recheckAt === undefined ? { ready, started } : { ready, started, recheckAt }
  },
}

/** A running container the prober wants killed (failed liveness or startup probe). */
export interface RestartRequest {
  id: string
  name: string
  message: string
  graceSeconds?: number
}

/** Asks the prober about every running container of the pod: readiness by name, restarts, and the earliest recheck. */
export function probeContainers(
  prober: Prober,
  pod: Pod,
  containers: RuntimeContainerStatus[],
  now: number,
  podIP?: string,
): { readiness: Record<string, { ready: boolean; started: boolean }>; restarts: RestartRequest[]; recheckAt?: number } {
  const readiness: Record<string, { ready: boolean; started: boolean }> = {}
  const restarts: RestartRequest[] = []
  let recheckAt: number | undefined
  const specs = [...(pod.spec.initContainers ?? []), ...pod.spec.containers]
  prober.track?.(
    pod.metadata.uid ?? '',
    containers.filter(c => c.state === 'running').map(c => c.id),
  )
  for (const status of containers) {
    if (status.state !== 'running') continue
    const container = specs.find(c => c.name === status.name)
    if (!container) continue
    const r = prober.check({ pod, container, status, now, podIP })
    readiness[status.name] = { ready: r.ready, started: r.started }
    if (r.restart) restarts.push({ id: status.id, name: status.name, ...r.restart })
    if (r.recheckAt !== undefined) recheckAt = Math.min(recheckAt ?? r.recheckAt, r.recheckAt)
  }
  return recheckAt === undefined ? { readiness, restarts } : { readiness, restarts, recheckAt }
}
