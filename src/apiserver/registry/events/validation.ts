/**
 * Event validation (upstream pkg/apis/core/validation/events.go): the legacy rules every
 * request gets, and the strict ones for events.k8s.io/v1 writes. Both run on the core/v1
 * shape, so field paths use core names (involvedObject, message, reportingController) as
 * upstream's internal type does. Pure.
 */
import type { Event, EventSource, ObjectReference } from '../../../api/core.js'
import { type FieldError, invalidValue, Path, required } from '../../../machinery/field-error.js'
import { deepEqual } from '../../../machinery/objects.js'
import { byteLength, isDNS1123Subdomain, isQualifiedName } from '../../../machinery/validation/names.js'
import { fieldImmutable } from '../secrets/validation.js'
import { shown } from '../services/format.js'

const limit = { reportingInstance: 128, action: 128, reason: 128, message: 1024 }
const at = (f: string) => Path.root(f)

/** Go's time.Time.String() for an RFC 3339 timestamp (`2025-01-01 00:00:00 +0000 UTC`). */
export function goTime(ts: string | null | undefined): string {
  if (!ts) return '0001-01-01 00:00:00 +0000 UTC'
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(ts)
  if (!m) return ts
  const frac = (m[3] ?? '').replace(/0+$/, '')
  return `${m[1]} ${m[2]}${frac ? `.${frac}` : ''} +0000 UTC`
}

const goRef = (r: ObjectReference | undefined) =>
  `core.ObjectReference{Kind:${q(r?.kind)}, Namespace:${q(r?.namespace)}, Name:${q(r?.name)}, UID:${q(r?.uid)}, APIVersion:${q(r?.apiVersion)}, ResourceVersion:${q(r?.resourceVersion)}, FieldPath:${q(r?.fieldPath)}}`
const goSource = (s: EventSource | undefined) => `core.EventSource{Component:${q(s?.component)}, Host:${q(s?.host)}}`
const q = (s: string | undefined) => JSON.stringify(s ?? '')

/** legacyValidateEvent: what every Event write must satisfy. */
export function validateEventLegacy(ev: Event): FieldError[] {
  const errs: FieldError[] = []
  const ns = ev.metadata.namespace ?? ''
  const involvedNs = ev.involvedObject?.namespace ?? ''
  const mismatch = () =>
    invalidValue(Path.root('involvedObject').child('namespace'), involvedNs, 'does not match event.namespace')
  if (!ev.eventTime) {
    if (!involvedNs) {
      if (ns !== '' && ns !== 'default') errs.push(mismatch())
    } else if (ns !== involvedNs) errs.push(mismatch())
  } else {
    if (!involvedNs && ns !== 'default' && ns !== 'kube-system') errs.push(mismatch())
    const controller = ev.reportingComponent ?? ''
    if (!controller) errs.push(required(at('reportingController')))
    errs.push(...isQualifiedName(controller).map(m => invalidValue(at('reportingController'), controller, m)))
    const checks: [keyof typeof limit, string, boolean][] = [
      ['reportingInstance', ev.reportingInstance ?? '', true],
      ['action', ev.action ?? '', true],
      ['reason', ev.reason ?? '', true],
      ['message', ev.message ?? '', false],
    ]
    for (const [field, value, isRequired] of checks) {
      if (isRequired && !value) errs.push(required(at(field)))
      if (byteLength(value) > limit[field])
        errs.push(invalidValue(at(field), '', `can have at most ${limit[field]} characters`))
    }
  }
  errs.push(...isDNS1123Subdomain(ns).map(m => invalidValue(at('namespace'), ns, m)))
  return errs
}

function validateSeries(ev: Event): FieldError[] {
  if (!ev.series) return []
  const errs: FieldError[] = []
  if ((ev.series.count ?? 0) < 2) errs.push(invalidValue(at('series.count'), '', 'should be at least 2'))
  if (!ev.series.lastObservedTime) errs.push(required(at('series.lastObservedTime')))
  return errs
}

/** ValidateEventCreate for events.k8s.io/v1 requests (legacy rules plus the strict ones). */
export function validateEventStrict(ev: Event): FieldError[] {
  const errs = validateEventLegacy(ev)
  errs.push(...validateSeries(ev))
  if (!ev.eventTime) errs.push(required(at('eventTime')))
  if (ev.type !== 'Normal' && ev.type !== 'Warning')
    errs.push(invalidValue(at('type'), '', `has invalid value: ${ev.type ?? ''}`))
  if (ev.firstTimestamp) errs.push(invalidValue(at('firstTimestamp'), '', 'needs to be unset'))
  if (ev.lastTimestamp) errs.push(invalidValue(at('lastTimestamp'), '', 'needs to be unset'))
  if (ev.count) errs.push(invalidValue(at('count'), '', 'needs to be unset'))
  if (ev.source?.component || ev.source?.host) errs.push(invalidValue(at('source'), '', 'needs to be unset'))
  return errs
}

/** ValidateEventUpdate for events.k8s.io/v1 requests: almost everything is fixed. */
export function validateEventStrictUpdate(ev: Event, old: Event): FieldError[] {
  const errs = validateEventLegacy(ev)
  if (!deepEqual(ev.series ?? null, old.series ?? null)) errs.push(...validateSeries(ev))
  const immutable = (field: string, a: unknown, b: unknown, text: string, plain?: unknown) => {
    if (deepEqual(a ?? null, b ?? null)) return
    errs.push(
      plain !== undefined
        ? invalidValue(at(field), plain, fieldImmutable)
        : shown('FieldValueInvalid', at(field), text, fieldImmutable),
    )
  }
  immutable('involvedObject', ev.involvedObject, old.involvedObject, goRef(ev.involvedObject))
  immutable('reason', ev.reason, old.reason, '', ev.reason ?? '')
  immutable('message', ev.message, old.message, '', ev.message ?? '')
  immutable(
    'source',
    ev.source?.component || ev.source?.host ? ev.source : null,
    old.source?.component || old.source?.host ? old.source : null,
    goSource(ev.source),
  )
  immutable('firstTimestamp', ev.firstTimestamp, old.firstTimestamp, goTime(ev.firstTimestamp))
  immutable('lastTimestamp', ev.lastTimestamp, old.lastTimestamp, goTime(ev.lastTimestamp))
  immutable('count', ev.count ?? 0, old.count ?? 0, '', ev.count ?? 0)
  immutable('type', ev.type, old.type, '', ev.type ?? '')
  immutable('eventTime', ev.eventTime, old.eventTime, goTime(ev.eventTime))
  immutable('action', ev.action, old.action, '', ev.action ?? '')
  immutable('related', ev.related, old.related, ev.related ? goRef(ev.related) : 'null')
  immutable('reportingController', ev.reportingComponent, old.reportingComponent, '', ev.reportingComponent ?? '')
  immutable('reportingInstance', ev.reportingInstance, old.reportingInstance, '', ev.reportingInstance ?? '')
  return errs
}
