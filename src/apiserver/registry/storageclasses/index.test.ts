import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { StorageClass } from '../../../api/storage.js'
import { type FieldError, formatFieldErrors } from '../../../machinery/field-error.js'
import { strategy } from './index.js'

const fmt = (errs: FieldError[]) => (errs.length ? formatFieldErrors(errs) : '')
const sc = (extra: Partial<StorageClass> = {}): StorageClass => {
  const obj: StorageClass = { metadata: { name: 'standard' }, provisioner: 'petset.io/host-path', ...extra }
  strategy.defaults!(obj)
  return obj
}

describe('storageclasses strategy', () => {
  it('defaults reclaimPolicy and volumeBindingMode', () => {
    const obj = sc()
    assert.equal(obj.reclaimPolicy, 'Delete')
    assert.equal(obj.volumeBindingMode, 'Immediate')
    assert.equal(sc({ reclaimPolicy: 'Retain' }).reclaimPolicy, 'Retain')
  })

  it('validates provisioner, parameters and enums', () => {
    const cases: { name: string; in: StorageClass; want: string }[] = [
      { name: 'ok', in: sc({ parameters: { type: 'ssd' } }), want: '' },
      { name: 'no provisioner', in: sc({ provisioner: '' }), want: 'provisioner: Required value' },
      {
        name: 'bad provisioner',
        in: sc({ provisioner: 'a b' }),
        want: `provisioner: Invalid value: "a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      },
      {
        name: 'recycle is not for classes',
        in: sc({ reclaimPolicy: 'Recycle' }),
        want: 'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
      },
      {
        name: 'binding mode',
        in: sc({ volumeBindingMode: 'Later' }),
        want: 'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
      },
      {
        name: 'empty parameter key',
        in: sc({ parameters: { '': 'x' } }),
        want: 'parameters: Invalid value: "": field can not be empty.',
      },
    ]
    for (const c of cases) assert.equal(fmt(strategy.validate!(c.in)), c.want, c.name)
  })

  it('fixes the provisioning contract on update', () => {
    const old = sc({ parameters: { a: '1' } })
    const cases: { name: string; next: StorageClass; want: string }[] = [
      { name: 'expansion may change', next: { ...structuredClone(old), allowVolumeExpansion: true }, want: '' },
      {
        name: 'parameters',
        next: { ...structuredClone(old), parameters: { a: '2' } },
        want: 'parameters: Forbidden: updates to parameters are forbidden.',
      },
      {
        name: 'provisioner',
        next: { ...structuredClone(old), provisioner: 'x.io/y' },
        want: 'provisioner: Forbidden: updates to provisioner are forbidden.',
      },
      {
        name: 'reclaim',
        next: { ...structuredClone(old), reclaimPolicy: 'Retain' },
        want: 'reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.',
      },
      {
        name: 'binding',
        next: { ...structuredClone(old), volumeBindingMode: 'WaitForFirstConsumer' },
        want: 'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
      },
    ]
    for (const c of cases) assert.equal(fmt(strategy.validateUpdate!(c.next, old)), c.want, c.name)
  })

  it('prints the default class with a suffix', () => {
    const cases: { name: string; annotations?: Record<string, string>; cell: string }[] = [
      { name: 'plain', cell: 'standard' },
      {
        name: 'default',
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
        cell: 'standard (default)',
      },
      {
        name: 'beta default',
        annotations: { 'storageclass.beta.kubernetes.io/is-default-class': 'true' },
        cell: 'standard (default)',
      },
      { name: 'false', annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' }, cell: 'standard' },
    ]
    for (const c of cases) {
      const obj = sc()
      obj.metadata.annotations = c.annotations
      obj.metadata.creationTimestamp = '2025-01-01T00:00:00Z'
      assert.deepEqual(
        strategy.printer!.cells(obj, Date.parse('2025-01-01T00:00:05Z')),
        [c.cell, 'petset.io/host-path', 'Delete', 'Immediate', false, '5s'],
        c.name,
      )
    }
    assert.deepEqual(
      strategy.printer!.columns.map(c => c.name),
      ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age'],
    )
  })
})
