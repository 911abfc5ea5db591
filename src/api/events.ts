/**
 * events.k8s.io/v1 Event: the newer shape of the same stored object as core/v1 Event
 * (regarding ⇄ involvedObject, note ⇄ message, deprecated* ⇄ the legacy fields).
 * Types and constants only: no I/O, no logic.
 */
import type { EventSource, ObjectReference } from './core.js'
import type { KObject } from './meta.js'

export interface EventSeriesV1 {
  count: number
  /** MicroTime. */
  lastObservedTime: string
}

export interface EventV1 extends KObject {
  /** MicroTime; required. */
  eventTime?: string | null
  series?: EventSeriesV1
  reportingController?: string
  reportingInstance?: string
  action?: string
  reason?: string
  regarding?: ObjectReference
  related?: ObjectReference
  note?: string
  type?: 'Normal' | 'Warning' | string
  deprecatedSource?: EventSource
  deprecatedFirstTimestamp?: string | null
  deprecatedLastTimestamp?: string | null
  deprecatedCount?: number
}

/** The two event types. */
export const EventTypeNormal = 'Normal'
export const EventTypeWarning = 'Warning'
