/** Tests for fields.ts, following upstream's fields/selector_test.go. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { escapeFieldValue, parseFieldSelector, unescapeFieldValue } from './fields.js'

describe('parseFieldSelector: valid strings round-trip', () => {
  const table: [string, string][] = [
    ['', ''],
    ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
    ['x!=a,y=b', 'x!=a,y=b'],
    ['x=a||y\\=b', 'x=a||y\\=b'],
    ['x=a\\=\\=b', 'x=a\\=\\=b'],
    ['x==a', 'x=a'],
    ['z=1,a=2', 'a=2,z=1'],
    ['metadata.name=web-0,,', 'metadata.name=web-0'],
    ['spec.nodeName=', 'spec.nodeName='],
    ['x=a\\,b', 'x=a\\,b'],
  ]
  for (const [input, want] of table)
    test(JSON.stringify(input), () => assert.equal(parseFieldSelector(input).toString(), want))

  test('requirements carry unescaped values', () => {
    assert.deepEqual(parseFieldSelector('metadata.namespace!=kube-system,x==a\\,b').requirements, [
      { field: 'metadata.namespace', op: '!=', value: 'kube-system' },
      { field: 'x', op: '==', value: 'a,b' },
    ])
  })
})

describe('parseFieldSelector: errors', () => {
  const table: [string, string][] = [
    ['x=a||y=b', 'invalid field selector: unescaped character in value: 61'],
    ['x==a==b', 'invalid field selector: unescaped character in value: 61'],
    ['x=a,b', "invalid selector: 'x=a,b'; can't understand 'b'"],
    ['x in (a)', "invalid selector: 'x in (a)'; can't understand 'x in (a)'"],
    ['x', "invalid selector: 'x'; can't understand 'x'"],
    ['x=a\\', 'invalid field selector: invalid escape sequence: \\'],
    ['x=\\a', 'invalid field selector: invalid escape sequence: \\a'],
  ]
  for (const [input, message] of table)
    test(JSON.stringify(input), () => assert.throws(() => parseFieldSelector(input), { message }))
})

describe('matching', () => {
  const table: [string, Record<string, string>, boolean][] = [
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['x=', {}, true],
    ['x!=y', {}, true],
    ['x=z', {}, false],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['status.phase!=Running', { 'status.phase': 'Running' }, false],
  ]
  for (const [sel, fields, want] of table)
    test(`${sel} on ${JSON.stringify(fields)}`, () => assert.equal(parseFieldSelector(sel).matches(fields), want))

  test('isEmpty and requiresExactMatch', () => {
    assert.equal(parseFieldSelector('').isEmpty(), true)
    const s = parseFieldSelector('metadata.name=web-0,spec.nodeName!=n1')
    assert.equal(s.isEmpty(), false)
    assert.equal(s.requiresExactMatch('metadata.name'), 'web-0')
    assert.equal(s.requiresExactMatch('spec.nodeName'), undefined)
  })
})

describe('escaping (TestEscapeValue)', () => {
  const table: [string, string][] = [
    ['', ''],
    ['a', 'a'],
    ['=', '\\='],
    [',', '\\,'],
    ['\\', '\\\\'],
    ['\\=\\,\\', '\\\\\\=\\\\\\,\\\\'],
  ]
  for (const [raw, escaped] of table) {
    test(JSON.stringify(raw), () => {
      assert.equal(escapeFieldValue(raw), escaped)
      assert.equal(unescapeFieldValue(escaped), raw)
    })
  }
  for (const bad of ['\\', '\\\\\\', '\\a'])
    test(`invalid ${JSON.stringify(bad)}`, () =>
      assert.throws(() => unescapeFieldValue(bad), /invalid escape sequence/))
})
