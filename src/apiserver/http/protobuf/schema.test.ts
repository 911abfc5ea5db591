/** Unit tests for field-spec parsing and table compilation. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { compileSchema, parseFieldSpec } from './schema.js'

describe('parseFieldSpec', () => {
  const cases = [
    {
      spec: 'name string',
      want: { jsonName: 'name', value: { kind: 'scalar', scalar: 'string' }, repeated: false, keepZero: false },
    },
    {
      spec: 'replicas int32!',
      want: { jsonName: 'replicas', value: { kind: 'scalar', scalar: 'int32' }, repeated: false, keepZero: true },
    },
    {
      spec: 'ports []ContainerPort',
      want: { jsonName: 'ports', value: { kind: 'message', name: 'ContainerPort' }, repeated: true, keepZero: false },
    },
    {
      spec: 'limits map<string,Quantity>',
      want: { jsonName: 'limits', value: { kind: 'message', name: 'Quantity' }, repeated: true, mapKey: 'string' },
    },
    { spec: '...VolumeSource', want: { jsonName: '', value: { kind: 'message', name: 'VolumeSource' }, inline: true } },
  ]
  for (const c of cases) {
    test(c.spec, () => {
      const got = parseFieldSpec(3, c.spec)
      for (const [k, v] of Object.entries(c.want)) assert.deepEqual(got[k as keyof typeof got], v, k)
      assert.equal(got.number, 3)
    })
  }

  const bad = [
    'name',
    'name  string',
    '...string',
    'tags []map<string,string>',
    'x map<Child,string>',
    'ports []int32!',
    'child Child!',
    'labels map<string,string>!',
  ]
  for (const spec of bad) {
    test(`rejects ${JSON.stringify(spec)}`, () => {
      assert.throws(() => parseFieldSpec(1, spec), /field 1:/)
    })
  }
})

describe('compileSchema', () => {
  const specials = new Set(['Time'])

  test('resolves references across tables and to specials', () => {
    const schema = compileSchema([{ A: { 1: 'b B', 2: 'at Time' } }, { B: { 1: 'x string' } }], specials)
    assert.deepEqual(schema.names().sort(), ['A', 'B'])
    assert.equal(schema.message('A').fields.get(2)?.jsonName, 'at')
  })

  test('rejects a message defined twice, or named like a special', () => {
    assert.throws(() => compileSchema([{ A: {} }, { A: {} }], specials), /message A is defined twice/)
    assert.throws(() => compileSchema([{ Time: {} }], specials), /message Time is defined twice/)
  })

  test('rejects a reference to a missing message', () => {
    assert.throws(
      () => compileSchema([{ A: { 1: 'b []Missing' } }], specials),
      /A\.b refers to unknown message Missing/,
    )
  })

  test('rejects an inlined special and a bad field number', () => {
    assert.throws(() => compileSchema([{ A: { 1: '...Time' } }], specials), /cannot be inlined/)
    assert.throws(() => compileSchema([{ A: { 0: 'x string' } }], specials), /bad field number 0/)
  })

  test('names the message in spec errors', () => {
    assert.throws(() => compileSchema([{ A: { 4: 'oops' } }], specials), /^Error: A: field 4: malformed spec/)
  })

  test('message() throws for an unknown name', () => {
    assert.throws(() => compileSchema([], specials).message('Nope'), /no message table entry for Nope/)
  })
})
