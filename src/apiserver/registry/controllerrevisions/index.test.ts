/** ControllerRevision strategy tests: data/revision rules, immutability, the Controller cell. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ControllerRevision } from '../../../api/apps.js'
import { type FieldError, formatFieldErrors } from '../../../machinery/field-error.js'
import { strategy } from './index.js'

const fmt = (errs: FieldError[]) => (errs.length ? formatFieldErrors(errs) : '')

function cr(mutate: (c: ControllerRevision) => void = () => {}): ControllerRevision {
  const c: ControllerRevision = {
    metadata: {
      name: 'web-6c5b9f7d4',
      namespace: 'default',
      creationTimestamp: '2025-01-01T00:00:00Z',
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }],
    },
    data: { spec: { template: { $patch: 'replace' } } },
    revision: 1,
  }
  mutate(c)
  strategy.defaults!(c)
  return c
}

describe('ControllerRevision', () => {
  const cases: { name: string; mutate: (c: ControllerRevision) => void; want: string }[] = [
    { name: 'valid', mutate: () => {}, want: '' },
    {
      name: 'data is mandatory',
      mutate: c => {
        delete c.data
      },
      want: 'data: Required value: data is mandatory',
    },
    {
      name: 'revision is not negative',
      mutate: c => {
        c.revision = -1
      },
      want: 'revision: Invalid value: -1: must be greater than or equal to 0',
    },
  ]
  for (const c of cases) it(c.name, () => assert.equal(fmt(strategy.validate!(cr(c.mutate))), c.want))

  it('data is immutable, the revision number is not', () => {
    assert.equal(
      fmt(
        strategy.validateUpdate!(
          cr(c => (c.revision = 3)),
          cr(),
        ),
      ),
      '',
    )
    assert.equal(
      fmt(
        strategy.validateUpdate!(
          cr(c => (c.data = {})),
          cr(),
        ),
      ),
      'data: Invalid value: runtime.RawExtension{Raw:[]uint8{0x7b, 0x7d}, Object:runtime.Object(nil)}: field is immutable',
    )
  })

  const printCases: { name: string; mutate: (c: ControllerRevision) => void; want: unknown[] }[] = [
    { name: 'owned by a StatefulSet', mutate: () => {}, want: ['web-6c5b9f7d4', 'statefulset.apps/web', 1, '2d'] },
    { name: 'orphaned', mutate: c => delete c.metadata.ownerReferences, want: ['web-6c5b9f7d4', '<none>', 1, '2d'] },
    {
      name: 'owned by a core kind',
      mutate: c =>
        (c.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u', controller: true }]),
      want: ['web-6c5b9f7d4', 'pod/p', 1, '2d'],
    },
  ]
  for (const c of printCases)
    it(`prints: ${c.name}`, () =>
      assert.deepEqual(strategy.printer!.cells(cr(c.mutate), Date.parse('2025-01-03T00:00:00Z')), c.want))

  it('declares Name, Controller, Revision, Age', () => {
    assert.deepEqual(
      strategy.printer!.columns.map(c => c.name),
      ['Name', 'Controller', 'Revision', 'Age'],
    )
  })
})
