import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Namespace } from '../../../api/core.js'
import { type FieldError, formatFieldErrors } from '../../../machinery/field-error.js'

const fmt = (errs: FieldError[]) => (errs.length ? formatFieldErrors(errs) : '')

import { strategy } from './index.js'

const ns = (name: string, extra: Partial<Namespace> = {}): Namespace => ({ metadata: { name }, ...extra })
const now = Date.parse('2025-01-01T00:10:00Z')

describe('namespaces strategy', () => {
  it('defaults the name label and phase; create adds the kubernetes finalizer', () => {
    const cases: { name: string; in: Namespace; finalizers: string[] }[] = [
      { name: 'no spec', in: ns('a'), finalizers: ['kubernetes'] },
      {
        name: 'other finalizer kept',
        in: ns('a', { spec: { finalizers: ['example.com/x'] } }),
        finalizers: ['example.com/x', 'kubernetes'],
      },
      { name: 'already there', in: ns('a', { spec: { finalizers: ['kubernetes'] } }), finalizers: ['kubernetes'] },
    ]
    for (const c of cases) {
      const obj = structuredClone(c.in)
      strategy.defaults!(obj)
      strategy.prepareForCreate!(obj)
      assert.deepEqual(obj.spec?.finalizers, c.finalizers, c.name)
      assert.equal(obj.metadata.labels?.['kubernetes.io/metadata.name'], 'a', c.name)
      assert.equal(obj.status?.phase, 'Active', c.name)
    }
  })

  it('validates finalizer names and names', () => {
    const cases: { name: string; in: Namespace; want: string }[] = [
      { name: 'ok', in: ns('a', { spec: { finalizers: ['kubernetes', 'x.io/y'] } }), want: '' },
      {
        name: 'non-standard bare name',
        in: ns('a', { spec: { finalizers: ['foo'] } }),
        want: 'spec.finalizers: Invalid value: "foo": name is neither a standard finalizer name nor is it fully qualified',
      },
    ]
    for (const c of cases) assert.equal(fmt(strategy.validate!(c.in)), c.want, c.name)
    assert.deepEqual(strategy.validateName!('web'), [])
    assert.equal(strategy.validateName!('a.b').length, 1)
  })

  it('keeps spec.finalizers and status on a main update', () => {
    const old = ns('a', { spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } })
    const next = ns('a', { spec: { finalizers: [] }, status: { phase: 'Terminating' } })
    strategy.prepareForUpdate!(next, old)
    assert.deepEqual(next.spec?.finalizers, ['kubernetes'])
    assert.equal(next.status?.phase, 'Active')
  })

  it('checks the status phase against deletionTimestamp', () => {
    const cases: { name: string; in: Namespace; want: string }[] = [
      { name: 'active', in: ns('a', { status: { phase: 'Active' } }), want: '' },
      {
        name: 'terminating without deletion',
        in: ns('a', { status: { phase: 'Terminating' } }),
        want: 'status.Phase: Invalid value: "Terminating": may only be \'Active\' if `deletionTimestamp` is empty',
      },
      {
        name: 'active while deleting',
        in: { metadata: { name: 'a', deletionTimestamp: '2025-01-01T00:00:00Z' }, status: { phase: 'Active' } },
        want: 'status.Phase: Invalid value: "Active": may only be \'Terminating\' if `deletionTimestamp` is not empty',
      },
    ]
    for (const c of cases) assert.equal(fmt(strategy.validateStatusUpdate!(c.in, c.in)), c.want, c.name)
  })

  it('prints Name, Status, Age and exposes status.phase as a field label', () => {
    const obj = ns('default', { status: { phase: 'Active' } })
    obj.metadata.creationTimestamp = '2025-01-01T00:00:00Z'
    assert.deepEqual(
      strategy.printer!.columns.map(c => c.name),
      ['Name', 'Status', 'Age'],
    )
    assert.deepEqual(strategy.printer!.cells(obj, now), ['default', 'Active', '10m'])
    assert.deepEqual(strategy.fieldLabels!(obj), { 'status.phase': 'Active', name: 'default' })
  })
})
