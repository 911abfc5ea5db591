import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { isPatchError } from './errors.js'
import { applyJsonPatch, escapePointerToken, formatPointer, parsePointer, unescapePointerToken } from './json-patch.js'
import { liveStatefulSet } from './testdata.js'

interface Case {
  name: string
  doc?: unknown
  ops: unknown
  expect?: unknown
  error?: string | RegExp
  kind?: string
}

const doc = () => ({ a: { b: [1, 2, 3], 'x/y': 1, 'm~n': 2 }, s: 'v' })

const cases: Case[] = [
  {
    name: 'add a member',
    ops: [{ op: 'add', path: '/a/c', value: { d: 1 } }],
    expect: { ...doc(), a: { ...doc().a, c: { d: 1 } } },
  },
  {
    name: 'add replaces an existing member',
    ops: [{ op: 'add', path: '/s', value: 'w' }],
    expect: { ...doc(), s: 'w' },
  },
  {
    name: 'add inserts into an array',
    ops: [{ op: 'add', path: '/a/b/1', value: 9 }],
    expect: { ...doc(), a: { ...doc().a, b: [1, 9, 2, 3] } },
  },
  {
    name: 'add with - appends',
    ops: [{ op: 'add', path: '/a/b/-', value: 4 }],
    expect: { ...doc(), a: { ...doc().a, b: [1, 2, 3, 4] } },
  },
  {
    name: 'add at index == length appends',
    ops: [{ op: 'add', path: '/a/b/3', value: 4 }],
    expect: { ...doc(), a: { ...doc().a, b: [1, 2, 3, 4] } },
  },
  {
    name: 'add past the end fails',
    ops: [{ op: 'add', path: '/a/b/5', value: 4 }],
    error: "error in add for path: '/a/b/5': Unable to access invalid index: 5: invalid index referenced",
  },
  {
    name: 'add with a leading-zero index fails',
    ops: [{ op: 'add', path: '/a/b/01', value: 4 }],
    error: /invalid index/,
  },
  {
    name: 'add under a missing parent fails',
    ops: [{ op: 'add', path: '/spec/foo', value: 1 }],
    error: 'add operation does not apply: doc is missing path: "/spec/foo": missing value',
  },
  { name: 'add at the root replaces the document', ops: [{ op: 'add', path: '', value: [1] }], expect: [1] },
  {
    name: 'escaped tokens ~1 and ~0',
    ops: [
      { op: 'replace', path: '/a/x~1y', value: 5 },
      { op: 'remove', path: '/a/m~0n' },
    ],
    expect: { ...doc(), a: { b: [1, 2, 3], 'x/y': 5 } },
  },
  { name: 'remove a member', ops: [{ op: 'remove', path: '/s' }], expect: { a: doc().a } },
  {
    name: 'remove an array element',
    ops: [{ op: 'remove', path: '/a/b/0' }],
    expect: { ...doc(), a: { ...doc().a, b: [2, 3] } },
  },
  {
    name: 'remove a missing key fails',
    ops: [{ op: 'remove', path: '/a/zz' }],
    error: "error in remove for path: '/a/zz': Unable to remove nonexistent key: zz: missing value",
  },
  {
    name: 'remove under a missing parent fails',
    ops: [{ op: 'remove', path: '/q/r' }],
    error: 'remove operation does not apply: doc is missing path: "/q/r": missing value',
  },
  { name: 'remove - fails', ops: [{ op: 'remove', path: '/a/b/-' }], error: /invalid index referenced/ },
  {
    name: 'replace a member',
    ops: [{ op: 'replace', path: '/a/b', value: [] }],
    expect: { ...doc(), a: { ...doc().a, b: [] } },
  },
  {
    name: 'replace a missing key fails',
    ops: [{ op: 'replace', path: '/a/zz', value: 1 }],
    error: 'replace operation does not apply: doc is missing key: /a/zz: missing value',
  },
  {
    name: 'replace out of range fails',
    ops: [{ op: 'replace', path: '/a/b/3', value: 1 }],
    error: /doc is missing key: \/a\/b\/3/,
  },
  { name: 'move a member', ops: [{ op: 'move', from: '/s', path: '/a/s' }], expect: { a: { ...doc().a, s: 'v' } } },
  {
    name: 'move within an array',
    ops: [{ op: 'move', from: '/a/b/0', path: '/a/b/-' }],
    expect: { ...doc(), a: { ...doc().a, b: [2, 3, 1] } },
  },
  {
    name: 'move into its own child fails',
    ops: [{ op: 'move', from: '/a', path: '/a/b/0' }],
    error: /into its own child/,
  },
  {
    name: 'move from a missing parent fails',
    ops: [{ op: 'move', from: '/q/r', path: '/s' }],
    error: 'move operation does not apply: doc is missing from path: /q/r: missing value',
  },
  {
    name: 'copy deep-copies',
    ops: [
      { op: 'copy', from: '/a/b', path: '/c' },
      { op: 'add', path: '/c/-', value: 4 },
    ],
    expect: { ...doc(), c: [1, 2, 3, 4] },
  },
  {
    name: 'copy from a missing path fails',
    ops: [{ op: 'copy', from: '/zz', path: '/c' }],
    error: 'copy operation does not apply: doc is missing from path: /zz: missing value',
  },
  { name: 'test passes on deep equality', ops: [{ op: 'test', path: '/a/b', value: [1, 2, 3] }], expect: doc() },
  {
    name: 'test compares objects ignoring key order',
    ops: [{ op: 'test', path: '', value: { s: 'v', a: { 'm~n': 2, 'x/y': 1, b: [1, 2, 3] } } }],
    expect: doc(),
  },
  {
    name: 'test failure',
    ops: [{ op: 'test', path: '/s', value: 'w' }],
    error: 'testing value /s failed: test failed',
  },
  {
    name: 'test on a missing key fails',
    ops: [{ op: 'test', path: '/zz', value: 1 }],
    error: 'testing value /zz failed: test failed',
  },
  {
    name: 'a failed op discards earlier ops',
    ops: [
      { op: 'add', path: '/n', value: 1 },
      { op: 'test', path: '/n', value: 2 },
    ],
    error: /testing value \/n failed/,
  },
  { name: 'unknown op', ops: [{ op: 'frob', path: '/s' }], error: 'Unexpected kind: frob' },
  { name: 'missing path', ops: [{ op: 'remove' }], error: 'remove operation failed to decode path: missing value' },
  { name: 'missing value', ops: [{ op: 'add', path: '/s' }], error: /missing value field/ },
  {
    name: 'body must be an array',
    ops: { op: 'add' },
    error: /cannot unmarshal object into Go value of type jsonpatch.Patch/,
    kind: 'BadRequest',
  },
]

describe('applyJsonPatch', () => {
  for (const tc of cases) {
    test(tc.name, () => {
      const input = tc.doc ?? doc()
      const before = structuredClone(input)
      if (tc.error !== undefined) {
        assert.throws(
          () => applyJsonPatch(input, tc.ops),
          (e: unknown) =>
            isPatchError(e) &&
            e.kind === (tc.kind ?? 'UnprocessableEntity') &&
            (typeof tc.error === 'string' ? e.message === tc.error : tc.error!.test(e.message)),
        )
      } else assert.deepEqual(applyJsonPatch(input, tc.ops), tc.expect)
      assert.deepEqual(input, before, 'input untouched')
    })
  }

  test('kubectl patch --type json on a StatefulSet', () => {
    const out: any = applyJsonPatch(liveStatefulSet(), [
      { op: 'replace', path: '/spec/replicas', value: 2 },
      { op: 'add', path: '/spec/template/spec/containers/0/env', value: [{ name: 'A', value: 'B' }] },
      { op: 'test', path: '/metadata/labels/app', value: 'nginx' },
    ])
    assert.deepEqual(out.spec.template.spec.containers[0].env, [{ name: 'A', value: 'B' }])
  })
})

describe('JSON pointers', () => {
  test('escape and unescape round-trip', () => {
    for (const t of ['a/b', 'm~n', '~1', 'plain', '']) assert.equal(unescapePointerToken(escapePointerToken(t)), t)
    assert.equal(unescapePointerToken('~01'), '~1', '~01 decodes to ~1, not /')
  })
  test('parse and format', () => {
    assert.deepEqual(parsePointer('/metadata/annotations/kubectl.kubernetes.io~1restartedAt'), [
      'metadata',
      'annotations',
      'kubectl.kubernetes.io/restartedAt',
    ])
    assert.deepEqual(parsePointer(''), [])
    assert.equal(parsePointer('nope'), undefined)
    assert.equal(formatPointer(['a/b', 'c~']), '/a~1b/c~0')
  })
})
