import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ConfigMap } from '../../../api/core.js'
import { type FieldError, formatFieldErrors } from '../../../machinery/field-error.js'
import { strategy } from './index.js'

const fmt = (errs: FieldError[]) => (errs.length ? formatFieldErrors(errs) : '')
const cm = (extra: Partial<ConfigMap>): ConfigMap => ({ metadata: { name: 'c', namespace: 'default' }, ...extra })

describe('configmaps strategy', () => {
  it('validates keys, overlap and size', () => {
    const cases: { name: string; in: ConfigMap; want: string }[] = [
      { name: 'from-literal', in: cm({ data: { key: 'value1', key2: 'value2' } }), want: '' },
      { name: 'file name key', in: cm({ data: { 'application.yml': 'a: 1' } }), want: '' },
      {
        name: 'bad key',
        in: cm({ data: { 'a/b': 'x' } }),
        want: `data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
      },
      {
        name: 'duplicate across maps',
        in: cm({ data: { a: 'x' }, binaryData: { a: 'eA==' } }),
        want: 'data[a]: Invalid value: "a": duplicate of key present in binaryData',
      },
      {
        name: 'too big',
        in: cm({ data: { a: 'x'.repeat(1024 * 1024 + 1) } }),
        want: 'Too long: must have at most 1048576 bytes',
      },
    ]
    for (const c of cases) assert.equal(fmt(strategy.validate!(c.in)), c.want, c.name)
  })

  it('rejects binaryData that is not base64', () => {
    assert.throws(
      () => strategy.defaults!(cm({ binaryData: { a: 'x' } })),
      (e: Error) =>
        e.message === 'ConfigMap in version "v1" cannot be handled as a ConfigMap: illegal base64 data at input byte 0',
    )
  })

  it('freezes an immutable ConfigMap', () => {
    const old = cm({ data: { a: '1' }, immutable: true })
    const cases: { name: string; next: ConfigMap; want: string }[] = [
      { name: 'same', next: structuredClone(old), want: '' },
      {
        name: 'labels may change',
        next: { ...structuredClone(old), metadata: { name: 'c', labels: { x: 'y' } } },
        want: '',
      },
      {
        name: 'data change',
        next: { ...structuredClone(old), data: { a: '2' } },
        want: 'data: Forbidden: field is immutable when `immutable` is set',
      },
      {
        name: 'binaryData added',
        next: { ...structuredClone(old), binaryData: { b: 'eA==' } },
        want: 'binaryData: Forbidden: field is immutable when `immutable` is set',
      },
      {
        name: 'unset',
        next: { ...structuredClone(old), immutable: undefined },
        want: 'immutable: Forbidden: field is immutable when `immutable` is set',
      },
    ]
    for (const c of cases) assert.equal(fmt(strategy.validateUpdate!(c.next, old)), c.want, c.name)
    assert.equal(fmt(strategy.validateUpdate!(cm({ data: { a: '2' } }), cm({ data: { a: '1' } }))), '')
  })

  it('prints Name, Data (keys of both maps), Age', () => {
    const obj = cm({ data: { a: '1', b: '2' }, binaryData: { c: 'eA==' } })
    obj.metadata.creationTimestamp = '2025-01-01T00:00:00Z'
    assert.deepEqual(
      strategy.printer!.columns.map(c => c.name),
      ['Name', 'Data', 'Age'],
    )
    assert.deepEqual(strategy.printer!.cells(obj, Date.parse('2025-01-01T02:00:00Z')), ['c', 3, '120m'])
    assert.deepEqual(strategy.shortNames, ['cm'])
  })
})
