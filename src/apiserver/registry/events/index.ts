/**
 * core/v1 Event strategy (upstream pkg/registry/core/event): legacy validation only (strict
 * rules apply to events.k8s.io/v1 writes), PUT may create, the involvedObject/reason/source
 * field selectors, and the Last Seen·Type·Reason·Object·... printer. Pure.
 */
import type { Event } from '../../../api/core.js'
import { translateTimestampSince } from '../../../machinery/duration.js'
import { column, nameColumn } from '../namespaces/columns.js'
import type { Printer, ResourceStrategy } from '../resource.js'
import { validateEventLegacy } from './validation.js'

/** Upstream's ToSelectableFields (core/v1 names; reportingComponent holds reportingController). */
export function eventFields(ev: Event): Record<string, string> {
  const o = ev.involvedObject ?? {}
  return {
    'involvedObject.kind': o.kind ?? '',
    'involvedObject.namespace': o.namespace ?? '',
    'involvedObject.name': o.name ?? '',
    'involvedObject.uid': o.uid ?? '',
    'involvedObject.apiVersion': o.apiVersion ?? '',
    'involvedObject.resourceVersion': o.resourceVersion ?? '',
    'involvedObject.fieldPath': o.fieldPath ?? '',
    reason: ev.reason ?? '',
    reportingComponent: ev.reportingComponent ?? '',
    source: ev.source?.component || ev.reportingComponent || '',
    type: ev.type ?? '',
  }
}

/** The cells of one event row (Last Seen first; Name last and wide-only). */
export function eventCells(ev: Event, now: number): unknown[] {
  const since = (ts: string | null | undefined) => translateTimestampSince(ts ?? undefined, now)
  const first = ev.firstTimestamp ? since(ev.firstTimestamp) : since(ev.eventTime)
  let last = ev.lastTimestamp ? since(ev.lastTimestamp) : first
  let count = ev.count ?? 0
  if (ev.series) {
    last = since(ev.series.lastObservedTime)
    count = ev.series.count ?? 0
  } else if (count === 0) count = 1
  const o = ev.involvedObject ?? {}
  const kind = (o.kind ?? '').toLowerCase()
  const component = ev.source?.component || ev.reportingComponent || ''
  const instance = ev.source?.host || ev.reportingInstance || ''
  return [
    last,
    ev.type ?? '',
    ev.reason ?? '',
    o.name ? `${kind}/${o.name}` : kind,
    o.fieldPath ?? '',
    instance ? `${component}, ${instance}` : component,
    (ev.message ?? '').trim(),
    first,
    count,
    ev.metadata.name ?? '',
  ]
}

/** The events printer, shared by core/v1 and events.k8s.io/v1. */
export const eventPrinter: Printer<Event> = {
  columns: [
    column('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column(
      'Reason',
      "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    ),
    column('Object', 'The object that this event is about.'),
    column(
      'Subobject',
      'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.',
      1,
    ),
    column('Source', 'The component reporting this event. Should be a short machine understandable string.', 1),
    column('Message', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
    column('Count', 'The number of times this event has occurred.', 1),
    nameColumn(1),
  ],
  cells: eventCells,
}

/** Output shape upstream always serializes for core/v1 (non-pointer fields without omitempty). */
export function shapeCoreEvent(ev: Event): void {
  ev.involvedObject ??= {}
  ev.source ??= {}
  ev.firstTimestamp ??= null
  ev.lastTimestamp ??= null
  ev.eventTime ??= null
  ev.reportingComponent ??= ''
  ev.reportingInstance ??= ''
}

/**
 * path.ValidatePathSegmentName: core/v1 events only get the generic name check (no DNS rule),
 * because legacy clients name events freely.
 */
export function validatePathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`]
  return ['/', '%'].filter(c => name.includes(c)).map(c => `may not contain '${c}'`)
}

/** The core/v1 Event strategy. */
export const strategy: ResourceStrategy<Event> = {
  group: '',
  version: 'v1',
  kind: 'Event',
  resource: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  allowCreateOnUpdate: true,
  validateName: validatePathSegmentName,
  defaults: shapeCoreEvent,
  validate: validateEventLegacy,
  validateUpdate: validateEventLegacy,
  fieldLabels: eventFields,
  printer: eventPrinter,
}
