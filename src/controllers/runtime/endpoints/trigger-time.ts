/**
 * The `endpoints.kubernetes.io/last-change-trigger-time` annotation (upstream
 * k8s.io/endpointslice/util TriggerTimeTracker): the earliest pod-readiness or Service change
 * seen since the previous sync of the service. Holds per-service state only; no I/O, no clock.
 * NOTE: shared with controllers/endpointslice (see pod-endpoints.ts).
 */
import type { Service } from '../../../api/core.js'
import type { Pod } from '../../../api/pod.js'
import { podReadyTransitionTime } from './pod-endpoints.js'

interface ServiceState {
  serviceTime: number
  podTimes: Map<string, number>
}

/** Tracks trigger times per service. One caller per service key at a time (the work queue's guarantee). */
export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>()

  /**
   * The trigger time to export for this sync (ms since the epoch), or undefined when none
   * changed: the Service's creation for a service seen for the first time, else the minimum
   * of the trigger times that moved forward since the last call.
   */
  compute(service: Service, pods: readonly Pod[]): number | undefined {
    const key = `${service.metadata.namespace}/${service.metadata.name}`
    const state = this.states.get(key)
    let min: number | undefined
    const podTimes = new Map<string, number>()
    for (const pod of pods) {
      const t = parseTime(podReadyTransitionTime(pod))
      if (t === undefined) continue
      podTimes.set(pod.metadata.name ?? '', t)
      if (t > (state?.podTimes.get(pod.metadata.name ?? '') ?? Number.NEGATIVE_INFINITY)) min = minOf(min, t)
    }
    const serviceTime = parseTime(service.metadata.creationTimestamp) ?? 0
    if (serviceTime > (state?.serviceTime ?? Number.NEGATIVE_INFINITY)) min = minOf(min, serviceTime)
    this.states.set(key, { serviceTime, podTimes })
    if (!state) return parseTime(service.metadata.creationTimestamp)
    return min
  }

  /** Forgets a deleted service. */
  deleteService(namespace: string, name: string): void {
    this.states.delete(`${namespace}/${name}`)
  }
}

/**
 * Go's time.RFC3339Nano in UTC: fractional seconds without trailing zeros.
 * @example formatTriggerTime(Date.UTC(2024, 0, 2, 3, 4, 5, 600)) === '2024-01-02T03:04:05.6Z'
 */
export function formatTriggerTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.(\d*?)0+Z$/, '.$1Z')
    .replace(/\.Z$/, 'Z')
}

function parseTime(s: string | null | undefined): number | undefined {
  if (!s) return undefined
  const t = Date.parse(s)
  return Number.isNaN(t) ? undefined : t
}

function minOf(a: number | undefined, b: number): number {
  return a === undefined || b < a ? b : a
}
