import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Event } from '../../../api/core.js'
import type { EventV1 } from '../../../api/events.js'
import { type FieldError, formatFieldErrors } from '../../../machinery/field-error.js'
import { strategy as coreStrategy } from '../events/index.js'
import { fromCoreEvent, strategy, toCoreEvent } from './index.js'

const fmt = (errs: FieldError[]) => (errs.length ? formatFieldErrors(errs) : '')
const v1 = (extra: Partial<EventV1> = {}): EventV1 => ({
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name: 'web.181a', namespace: 'default' },
  eventTime: '2025-01-01T00:00:00.123456Z',
  reportingController: 'statefulset-controller',
  reportingInstance: 'petset-controller-manager',
  action: 'Create',
  reason: 'SuccessfulCreate',
  regarding: { kind: 'StatefulSet', namespace: 'default', name: 'web', uid: 'u1', apiVersion: 'apps/v1' },
  note: 'create Pod web-0 in StatefulSet web successful',
  type: 'Normal',
  deprecatedSource: {},
  deprecatedFirstTimestamp: null,
  deprecatedLastTimestamp: null,
  ...extra,
})

describe('events.k8s.io/v1 strategy', () => {
  it('converts to the stored core/v1 shape and back', () => {
    const cases: { name: string; in: EventV1 }[] = [
      { name: 'new style', in: v1() },
      {
        name: 'with series and related',
        in: v1({
          series: { count: 3, lastObservedTime: '2025-01-01T00:01:00.000000Z' },
          related: { kind: 'Pod', name: 'web-0' },
        }),
      },
      {
        name: 'legacy fields',
        in: v1({
          deprecatedSource: { component: 'kubelet', host: 'node-1' },
          deprecatedFirstTimestamp: '2025-01-01T00:00:00Z',
          deprecatedLastTimestamp: '2025-01-01T00:01:00Z',
          deprecatedCount: 4,
        }),
      },
    ]
    for (const c of cases) {
      const stored = strategy.storedAs!.toStored(c.in) as Event
      assert.equal(stored.apiVersion, 'v1', c.name)
      assert.deepEqual(strategy.storedAs!.fromStored(stored), c.in, c.name)
    }
    const stored = toCoreEvent(v1())
    assert.deepEqual(
      [stored.involvedObject.name, stored.message, stored.reportingComponent, stored.eventTime],
      [
        'web',
        'create Pod web-0 in StatefulSet web successful',
        'statefulset-controller',
        '2025-01-01T00:00:00.123456Z',
      ],
    )
    // A kubelet-style core/v1 event read through events.k8s.io/v1, then back, is unchanged.
    const legacy: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web-0.1', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web-0', namespace: 'default' },
      reason: 'Pulled',
      message: 'pulled',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: '2025-01-01T00:00:00Z',
      lastTimestamp: '2025-01-01T00:00:00Z',
      count: 1,
      type: 'Normal',
      eventTime: null,
      reportingComponent: '',
      reportingInstance: '',
    }
    assert.deepEqual(strategy.storedAs!.toStored(fromCoreEvent(legacy)), legacy)
  })

  it('applies the strict rules with core field names', () => {
    const cases: { name: string; in: EventV1; want: string }[] = [
      { name: 'ok', in: v1(), want: '' },
      { name: 'no eventTime', in: v1({ eventTime: null }), want: 'eventTime: Required value' },
      { name: 'bad type', in: v1({ type: 'Info' }), want: 'type: Invalid value: "": has invalid value: Info' },
      {
        name: 'legacy fields set',
        in: v1({ deprecatedCount: 2, deprecatedSource: { component: 'x' } }),
        want: '[count: Invalid value: "": needs to be unset, source: Invalid value: "": needs to be unset]',
      },
      {
        name: 'short series',
        in: v1({ series: { count: 1, lastObservedTime: '2025-01-01T00:00:00.000000Z' } }),
        want: 'series.count: Invalid value: "": should be at least 2',
      },
      {
        name: 'no controller',
        in: v1({ reportingController: undefined, reportingInstance: 'x' }),
        want: `[reportingController: Required value, reportingController: Invalid value: "": name part must be non-empty, reportingController: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')]`,
      },
    ]
    for (const c of cases) assert.equal(fmt(strategy.validate!(c.in)), c.want, c.name)
    const old = v1()
    const changed = v1({ note: 'other', regarding: { kind: 'Pod', name: 'x' } })
    assert.equal(
      fmt(strategy.validateUpdate!(changed, old)),
      '[involvedObject: Invalid value: core.ObjectReference{Kind:"Pod", Namespace:"", Name:"x", UID:"", APIVersion:"", ResourceVersion:"", FieldPath:""}: field is immutable, message: Invalid value: "other": field is immutable]',
    )
    assert.equal(
      fmt(strategy.validateUpdate!(v1({ series: { count: 2, lastObservedTime: '2025-01-01T00:02:00.000000Z' } }), old)),
      '',
    )
  })

  it('shares the printer and maps field selectors to this version', () => {
    const now = Date.parse('2025-01-01T00:01:00Z')
    assert.deepEqual(strategy.printer!.cells(v1(), now), coreStrategy.printer!.cells(toCoreEvent(v1()), now))
    assert.deepEqual(strategy.fieldLabels!(v1()), {
      'regarding.kind': 'StatefulSet',
      'regarding.namespace': 'default',
      'regarding.name': 'web',
      'regarding.uid': 'u1',
      'regarding.apiVersion': 'apps/v1',
      'regarding.resourceVersion': '',
      'regarding.fieldPath': '',
      reason: 'SuccessfulCreate',
      reportingController: 'statefulset-controller',
      type: 'Normal',
    })
    assert.deepEqual(
      [strategy.storedAs?.group, strategy.storedAs?.resource, strategy.group],
      ['', 'events', 'events.k8s.io'],
    )
  })
})
