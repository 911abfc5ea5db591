/**
 * events.k8s.io/v1 Event strategy: the same objects as core/v1 events (stored there),
 * converted on the way in and out, with the strict validation upstream applies to this
 * API version and field selectors in this version's names. Pure.
 */
import type { Event } from '../../../api/core.js'
import type { EventV1 } from '../../../api/events.js'
import type { KObject } from '../../../api/meta.js'
import { eventFields, eventPrinter, shapeCoreEvent } from '../events/index.js'
import { validateEventStrict, validateEventStrictUpdate } from '../events/validation.js'
import type { ResourceStrategy } from '../resource.js'
import { fromCoreEvent, toCoreEvent } from './convert.js'

export { fromCoreEvent, toCoreEvent } from './convert.js'

const core = (ev: EventV1): Event => {
  const c = toCoreEvent(ev)
  shapeCoreEvent(c)
  return c
}

/** The events.k8s.io/v1 Event strategy. */
export const strategy: ResourceStrategy<EventV1> = {
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  resource: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  allowCreateOnUpdate: true,
  defaults(ev) {
    // The shape upstream serializes: the legacy struct fields are never omitted.
    ev.deprecatedSource ??= {}
    ev.deprecatedFirstTimestamp ??= null
    ev.deprecatedLastTimestamp ??= null
  },
  validate: ev => validateEventStrict(core(ev)),
  validateUpdate: (ev, old) => validateEventStrictUpdate(core(ev), core(old)),
  fieldLabels: ev => {
    const f = eventFields(core(ev))
    return {
      'regarding.kind': f['involvedObject.kind']!,
      'regarding.namespace': f['involvedObject.namespace']!,
      'regarding.name': f['involvedObject.name']!,
      'regarding.uid': f['involvedObject.uid']!,
      'regarding.apiVersion': f['involvedObject.apiVersion']!,
      'regarding.resourceVersion': f['involvedObject.resourceVersion']!,
      'regarding.fieldPath': f['involvedObject.fieldPath']!,
      reason: f.reason!,
      reportingController: f.reportingComponent!,
      type: f.type!,
    }
  },
  printer: { columns: eventPrinter.columns, cells: (ev, now) => eventPrinter.cells(core(ev), now) },
  storedAs: {
    group: '',
    resource: 'events',
    toStored: ev => core(ev) as KObject,
    fromStored: obj => fromCoreEvent(obj as Event),
  },
}
