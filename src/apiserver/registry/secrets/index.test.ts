import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Secret } from '../../../api/core.js'
import { type FieldError, formatFieldErrors } from '../../../machinery/field-error.js'

const fmt = (errs: FieldError[]) => (errs.length ? formatFieldErrors(errs) : '')

import { base64ErrorOffset } from './base64.js'
import { strategy } from './index.js'

const b64 = (s: string) => Buffer.from(s).toString('base64')
const secret = (extra: Partial<Secret>): Secret => ({ metadata: { name: 's', namespace: 'default' }, ...extra })
const prepared = (s: Secret) => {
  const obj = structuredClone(s)
  strategy.defaults!(obj)
  return obj
}

describe('secrets strategy', () => {
  it('defaults type and merges stringData into data', () => {
    const cases: { name: string; in: Secret; data: Record<string, string>; type: string }[] = [
      { name: 'empty', in: secret({}), data: {}, type: 'Opaque' },
      {
        name: 'stringData wins over data and is dropped',
        in: secret({ data: { a: b64('old'), b: b64('keep') }, stringData: { a: 'new' } }),
        data: { a: b64('new'), b: b64('keep') },
        type: 'Opaque',
      },
      { name: 'explicit type kept', in: secret({ type: 'kubernetes.io/tls' }), data: {}, type: 'kubernetes.io/tls' },
    ]
    for (const c of cases) {
      const obj = prepared(c.in)
      assert.deepEqual(obj.data ?? {}, c.data, c.name)
      assert.equal(obj.type, c.type, c.name)
      assert.equal(obj.stringData, undefined, c.name)
    }
  })

  it('rejects data that is not base64 with the decoder message', () => {
    const cases: { name: string; value: string; at: number }[] = [
      { name: 'valid', value: 'YWRtaW4=', at: -1 },
      { name: 'valid with newline', value: 'YWRt\naW4=', at: -1 },
      { name: 'bad char', value: 'YWR!aW4=', at: 3 },
      { name: 'missing padding', value: 'YWRtaW4', at: 4 },
      { name: 'single trailing char', value: 'YWJjZ', at: 4 },
      { name: 'padding too early', value: 'Y===', at: 1 },
      { name: 'trailing garbage', value: 'YQ==YQ==', at: 4 },
    ]
    for (const c of cases) assert.equal(base64ErrorOffset(c.value), c.at, c.name)
    assert.throws(
      () => prepared(secret({ data: { password: 'admin' } })),
      (e: Error) =>
        e.message === 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4',
    )
  })

  it('validates keys, size and per-type rules', () => {
    const big = Buffer.alloc(1024 * 1024 + 1).toString('base64')
    const cases: { name: string; in: Secret; want: string }[] = [
      {
        name: 'seed Opaque',
        in: secret({ type: 'Opaque', data: { password: 'YWJjZGVmZ2g=', username: 'YWRtaW4=' } }),
        want: '',
      },
      {
        name: 'bad key',
        in: secret({ data: { 'a b': b64('x') } }),
        want: `data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
      },
      { name: 'too big', in: secret({ data: { a: big } }), want: 'data: Too long: must have at most 1048576 bytes' },
      {
        name: 'tls needs both keys',
        in: secret({ type: 'kubernetes.io/tls', data: {} }),
        want: '[data[tls.crt]: Required value, data[tls.key]: Required value]',
      },
      {
        name: 'tls ok',
        in: secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c'), 'tls.key': b64('k') } }),
        want: '',
      },
      {
        name: 'dockerconfigjson missing',
        in: secret({ type: 'kubernetes.io/dockerconfigjson', data: {} }),
        want: 'data[.dockerconfigjson]: Required value',
      },
      {
        name: 'dockerconfigjson not json',
        in: secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('nope') } }),
        want: `data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character 'o' looking for beginning of value`,
      },
      {
        name: 'dockerconfigjson ok',
        in: secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{"auths":{}}') } }),
        want: '',
      },
      {
        name: 'service account token needs the account annotation',
        in: secret({ type: 'kubernetes.io/service-account-token' }),
        want: 'metadata.annotations[kubernetes.io/service-account.name]: Required value',
      },
      {
        name: 'basic auth needs a key',
        in: secret({ type: 'kubernetes.io/basic-auth', data: {} }),
        want: '[data[username]: Required value, data[password]: Required value]',
      },
      {
        name: 'ssh auth',
        in: secret({ type: 'kubernetes.io/ssh-auth', data: {} }),
        want: 'data[ssh-privatekey]: Required value',
      },
    ]
    for (const c of cases) assert.equal(fmt(strategy.validate!(prepared(c.in))), c.want, c.name)
  })

  it('keeps type and immutable data fixed on update', () => {
    const old = prepared(secret({ data: { a: b64('1') }, immutable: true }))
    const cases: { name: string; next: Secret; want: string }[] = [
      { name: 'unchanged', next: structuredClone(old), want: '' },
      {
        name: 'type change',
        next: { ...structuredClone(old), type: 'kubernetes.io/basic-auth', data: { username: b64('u') } },
        want: '[type: Invalid value: "kubernetes.io/basic-auth": field is immutable, data: Forbidden: field is immutable when `immutable` is set]',
      },
      {
        name: 'unset immutable',
        next: { ...structuredClone(old), immutable: false },
        want: 'immutable: Forbidden: field is immutable when `immutable` is set',
      },
    ]
    for (const c of cases) assert.equal(fmt(strategy.validateUpdate!(c.next, old)), c.want, c.name)
  })

  it('prints Name, Type, Data, Age and selects on type', () => {
    const obj = prepared(secret({ data: { a: b64('1'), b: b64('2') } }))
    obj.metadata.creationTimestamp = '2025-01-01T00:00:00Z'
    assert.deepEqual(
      strategy.printer!.columns.map(c => c.name),
      ['Name', 'Type', 'Data', 'Age'],
    )
    assert.deepEqual(strategy.printer!.cells(obj, Date.parse('2025-01-01T00:00:30Z')), ['s', 'Opaque', 2, '30s'])
    assert.deepEqual(strategy.fieldLabels!(obj), { type: 'Opaque' })
  })
})
