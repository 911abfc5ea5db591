/** ReplicaSet strategy tests: defaults, validation messages, selector immutability, status, printer. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ReplicaSet } from '../../../api/apps.js'
import { type FieldError, formatFieldErrors } from '../../../machinery/field-error.js'
import { strategy } from './index.js'

const fmt = (errs: FieldError[]) => (errs.length ? formatFieldErrors(errs) : '')

function rs(mutate: (r: ReplicaSet) => void = () => {}): ReplicaSet {
  const r: ReplicaSet = {
    metadata: { name: 'nginx-5d4f8', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'nginx', 'pod-template-hash': '5d4f8' } },
      template: {
        metadata: { labels: { app: 'nginx', 'pod-template-hash': '5d4f8' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
      },
    },
  }
  mutate(r)
  strategy.defaults!(r)
  return r
}

describe('ReplicaSet', () => {
  it('defaults replicas to 1 and the template', () => {
    const r = rs()
    assert.equal(r.spec.replicas, 1)
    assert.equal(r.spec.template.spec.dnsPolicy, 'ClusterFirst')
  })

  const cases: { name: string; mutate: (r: ReplicaSet) => void; want: string }[] = [
    { name: 'valid', mutate: () => {}, want: '' },
    {
      name: 'QUIRK: the empty-selector message says deployment',
      mutate: r => {
        r.spec.selector = {}
      },
      want: 'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    },
    {
      name: 'an invalid operator makes the selector unusable',
      mutate: r => {
        r.spec.selector = { matchExpressions: [{ key: 'app', operator: 'Near', values: ['x'] }] }
      },
      want: '[spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator, spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Near", Values:[]string{"x"}}}}: invalid label selector]',
    },
    {
      name: 'negative minReadySeconds',
      mutate: r => {
        r.spec.minReadySeconds = -1
      },
      want: 'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
    },
    {
      name: 'activeDeadlineSeconds',
      mutate: r => {
        r.spec.template.spec.activeDeadlineSeconds = 5
      },
      want: 'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
    },
  ]
  for (const c of cases) it(c.name, () => assert.equal(fmt(strategy.validate!(rs(c.mutate))), c.want))

  it('keeps the selector on update and checks status counters', () => {
    const next = rs(r => {
      r.spec.selector = { matchLabels: { app: 'nginx' } }
    })
    assert.equal(
      fmt(strategy.validateUpdate!(next, rs())),
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"nginx"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    )
    const st = rs(r => (r.status = { replicas: 1, fullyLabeledReplicas: 2 }))
    assert.equal(
      fmt(strategy.validateStatusUpdate!(st, rs())),
      'status.fullyLabeledReplicas: Invalid value: 2: cannot be greater than status.replicas',
    )
  })

  it('resets status on create to replicas 0', () => {
    const r = rs(x => (x.status = { replicas: 4 }))
    strategy.prepareForCreate!(r)
    assert.deepEqual(r.status, { replicas: 0 })
  })

  it('prints Desired, Current, Ready and the FormatLabelSelector selector', () => {
    const r = rs(x => {
      x.spec.replicas = 3
      x.status = { replicas: 3, readyReplicas: 1 }
    })
    const p = strategy.printer!
    assert.deepEqual(
      p.columns.map(c => `${c.name}:${c.type}:${c.priority}`),
      [
        'Name:string:0',
        'Desired:integer:0',
        'Current:integer:0',
        'Ready:integer:0',
        'Age:string:0',
        'Containers:string:1',
        'Images:string:1',
        'Selector:string:1',
      ],
    )
    assert.deepEqual(p.cells(r, 0), [
      'nginx-5d4f8',
      3,
      3,
      1,
      '<unknown>',
      'nginx',
      'nginx:1.25',
      'app=nginx,pod-template-hash=5d4f8',
    ])
  })
})
