import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Event } from '../../../api/core.js'
import { type FieldError, formatFieldErrors } from '../../../machinery/field-error.js'
import { strategy } from './index.js'

const fmt = (errs: FieldError[]) => (errs.length ? formatFieldErrors(errs) : '')
const ev = (extra: Partial<Event>): Event => ({
  metadata: { name: 'web-0.181a', namespace: 'default' },
  involvedObject: {
    kind: 'Pod',
    namespace: 'default',
    name: 'web-0',
    uid: 'u1',
    apiVersion: 'v1',
    fieldPath: 'spec.containers{nginx}',
  },
  reason: 'Pulled',
  message: 'Container image "nginx:1.9.1" already present on machine ',
  source: { component: 'kubelet', host: 'node-1' },
  firstTimestamp: '2025-01-01T00:00:00Z',
  lastTimestamp: '2025-01-01T00:03:00Z',
  count: 2,
  type: 'Normal',
  ...extra,
})

describe('events strategy (core/v1)', () => {
  it('applies the legacy rules only', () => {
    const cases: { name: string; in: Event; want: string }[] = [
      { name: 'kubelet event', in: ev({}), want: '' },
      { name: 'no type, no involved object fields', in: ev({ type: undefined, involvedObject: {} }), want: '' },
      {
        name: 'namespace mismatch',
        in: ev({ involvedObject: { kind: 'Pod', namespace: 'other', name: 'x' } }),
        want: 'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
      },
      {
        name: 'new-style event needs reporting fields',
        in: ev({ eventTime: '2025-01-01T00:00:00.000000Z', reason: '', action: undefined }),
        want: `[reportingController: Required value, reportingController: Invalid value: "": name part must be non-empty, reportingController: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'), reportingInstance: Required value, action: Required value, reason: Required value]`,
      },
      {
        name: 'long message on a new-style event',
        in: ev({
          eventTime: '2025-01-01T00:00:00.000000Z',
          reportingComponent: 'kubelet',
          reportingInstance: 'node-1',
          action: 'Pull',
          message: 'x'.repeat(1025),
        }),
        want: 'message: Invalid value: "": can have at most 1024 characters',
      },
    ]
    for (const c of cases) {
      const obj = structuredClone(c.in)
      strategy.defaults!(obj)
      assert.equal(fmt(strategy.validate!(obj)), c.want, c.name)
    }
  })

  it('checks names only as path segments', () => {
    const cases = [
      { name: 'Web-0.ABC', want: [] },
      { name: '..', want: ["may not be '..'"] },
      { name: 'a/b%c', want: ["may not contain '/'", "may not contain '%'"] },
    ]
    for (const c of cases) assert.deepEqual(strategy.validateName!(c.name), c.want, c.name)
  })

  it('serializes the legacy shape', () => {
    const obj: Event = {
      metadata: { name: 'e', namespace: 'default' },
      involvedObject: { kind: 'Node', name: 'node-1' },
    }
    strategy.defaults!(obj)
    assert.deepEqual(obj, {
      metadata: { name: 'e', namespace: 'default' },
      involvedObject: { kind: 'Node', name: 'node-1' },
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      eventTime: null,
      reportingComponent: '',
      reportingInstance: '',
    })
  })

  it('prints the kubectl get events columns', () => {
    const now = Date.parse('2025-01-01T00:05:00Z')
    const cases: { name: string; in: Event; want: unknown[] }[] = [
      {
        name: 'kubelet',
        in: ev({}),
        want: [
          '2m',
          'Normal',
          'Pulled',
          'pod/web-0',
          'spec.containers{nginx}',
          'kubelet, node-1',
          'Container image "nginx:1.9.1" already present on machine',
          '5m',
          2,
          'web-0.181a',
        ],
      },
      {
        name: 'new style with series',
        in: ev({
          source: {},
          firstTimestamp: null,
          lastTimestamp: null,
          count: 0,
          eventTime: '2025-01-01T00:01:00.123456Z',
          series: { count: 7, lastObservedTime: '2025-01-01T00:04:30.000000Z' },
          reportingComponent: 'statefulset-controller',
          reportingInstance: '',
          involvedObject: { kind: 'StatefulSet', name: 'web' },
        }),
        want: [
          '30s',
          'Normal',
          'Pulled',
          'statefulset/web',
          '',
          'statefulset-controller',
          'Container image "nginx:1.9.1" already present on machine',
          '3m59s',
          7,
          'web-0.181a',
        ],
      },
      {
        name: 'singleton without last timestamp',
        in: ev({ lastTimestamp: null, count: undefined, involvedObject: { kind: 'Node' } }),
        want: [
          '5m',
          'Normal',
          'Pulled',
          'node',
          '',
          'kubelet, node-1',
          'Container image "nginx:1.9.1" already present on machine',
          '5m',
          1,
          'web-0.181a',
        ],
      },
    ]
    for (const c of cases) assert.deepEqual(strategy.printer!.cells(c.in, now), c.want, c.name)
    assert.deepEqual(
      strategy.printer!.columns.map(c => [c.name, c.priority]),
      [
        ['Last Seen', 0],
        ['Type', 0],
        ['Reason', 0],
        ['Object', 0],
        ['Subobject', 1],
        ['Source', 1],
        ['Message', 0],
        ['First Seen', 1],
        ['Count', 1],
        ['Name', 1],
      ],
    )
    assert.equal(strategy.printer!.columns.at(-1)?.format, 'name')
  })

  it('exposes upstream field selectors', () => {
    assert.deepEqual(strategy.fieldLabels!(ev({})), {
      'involvedObject.kind': 'Pod',
      'involvedObject.namespace': 'default',
      'involvedObject.name': 'web-0',
      'involvedObject.uid': 'u1',
      'involvedObject.apiVersion': 'v1',
      'involvedObject.resourceVersion': '',
      'involvedObject.fieldPath': 'spec.containers{nginx}',
      reason: 'Pulled',
      reportingComponent: '',
      source: 'kubelet',
      type: 'Normal',
    })
  })
})
