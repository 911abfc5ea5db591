/**
 * Conversion between events.k8s.io/v1 Event and the stored core/v1 Event (upstream
 * pkg/apis/events/v1/conversion.go): regarding ⇄ involvedObject, note ⇄ message,
 * deprecatedSource ⇄ source, deprecatedFirstTimestamp/LastTimestamp/Count ⇄ the legacy
 * fields, reportingController ⇄ reportingComponent; the rest keep their names. Pure.
 */
import type { Event } from '../../../api/core.js'
import type { EventV1 } from '../../../api/events.js'

const set = <T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined) => {
  if (v !== undefined) o[k] = v
}

/** events.k8s.io/v1 → core/v1 (the stored shape). */
export function toCoreEvent(ev: EventV1): Event {
  const out: Event = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: structuredClone(ev.metadata),
    involvedObject: structuredClone(ev.regarding ?? {}),
  }
  set(out, 'reason', ev.reason)
  set(out, 'message', ev.note)
  set(out, 'source', ev.deprecatedSource && structuredClone(ev.deprecatedSource))
  set(out, 'firstTimestamp', ev.deprecatedFirstTimestamp)
  set(out, 'lastTimestamp', ev.deprecatedLastTimestamp)
  set(out, 'count', ev.deprecatedCount)
  set(out, 'type', ev.type)
  set(out, 'eventTime', ev.eventTime)
  set(out, 'series', ev.series && structuredClone(ev.series))
  set(out, 'action', ev.action)
  set(out, 'related', ev.related && structuredClone(ev.related))
  set(out, 'reportingComponent', ev.reportingController)
  set(out, 'reportingInstance', ev.reportingInstance)
  return out
}

/** core/v1 (stored) → events.k8s.io/v1, in the shape upstream serializes (empty strings omitted, null legacy times). */
export function fromCoreEvent(ev: Event): EventV1 {
  const out: EventV1 = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: structuredClone(ev.metadata),
    eventTime: ev.eventTime ?? null,
  }
  set(out, 'series', ev.series && { count: ev.series.count ?? 0, lastObservedTime: ev.series.lastObservedTime ?? '' })
  set(out, 'reportingController', ev.reportingComponent || undefined)
  set(out, 'reportingInstance', ev.reportingInstance || undefined)
  set(out, 'action', ev.action || undefined)
  set(out, 'reason', ev.reason || undefined)
  out.regarding = structuredClone(ev.involvedObject ?? {})
  set(out, 'related', ev.related && structuredClone(ev.related))
  set(out, 'note', ev.message || undefined)
  set(out, 'type', ev.type || undefined)
  out.deprecatedSource = structuredClone(ev.source ?? {})
  out.deprecatedFirstTimestamp = ev.firstTimestamp ?? null
  out.deprecatedLastTimestamp = ev.lastTimestamp ?? null
  set(out, 'deprecatedCount', ev.count || undefined)
  return out
}
