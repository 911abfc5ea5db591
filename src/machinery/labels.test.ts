/** Tests for labels.ts and labels-parse.ts: grammar, errors, matching, LabelSelector conversion, validation. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { LabelSelector } from '../api/meta.js'
import { formatFieldErrors, Path } from './field-error.js'
import {
  formatLabelSelector,
  labelsMatchSelectorMap,
  newRequirement,
  parseSelector,
  selectorFromLabelSelector,
  selectorFromSet,
  validateLabelSelector,
  validateLabels,
} from './labels.js'

const nameMsg =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
const valueMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
const binaryOps = 'in, notin, =, ==, !=, gt, lt'

describe('parseSelector: valid strings and their canonical form', () => {
  const table: [string, string][] = [
    ['', ''],
    ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
    ['x!=a,y=b', 'x!=a,y=b'],
    ['x=', 'x='],
    ['x= ', 'x='],
    ['x=,z= ', 'x=,z='],
    ['!x', '!x'],
    ['x>1', 'x>1'],
    ['x>1,z<5', 'x>1,z<5'],
    ['x == a', 'x==a'],
    ['z=c,x=a', 'x=a,z=c'],
    ['x in (foo,,baz),y,z notin ()', 'x in (,baz,foo),y,z notin ()'],
    ['x in (b,a,b)', 'x in (a,b)'],
    ['x in (,)', 'x in ()'],
    ['x notin (a)', 'x notin (a)'],
    ['in in (in)', 'in in (in)'],
    ['notin=in', 'notin=in'],
    ['\tapp.kubernetes.io/name = web ,\n !canary', 'app.kubernetes.io/name=web,!canary'],
    ['a=1,a=2', 'a=1,a=2'],
  ]
  for (const [input, want] of table)
    test(JSON.stringify(input), () => assert.equal(parseSelector(input).toString(), want))
})

describe('parseSelector: errors carry upstream text', () => {
  const table: [string, string][] = [
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${valueMsg}`],
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    [
      'x<a',
      `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in in', "unable to parse requirement: found 'in' expected: '('"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['x=(a,b)', "unable to parse requirement: found '(', expected: identifier"],
    ['a b', `unable to parse requirement: found 'b', expected: ${binaryOps}`],
    ['a!b', `unable to parse requirement: found '!', expected: ${binaryOps}`],
    ['=a', "found '=', expected: !, identifier, or 'end of string'"],
    ['a,', "found '', expected: identifier after ','"],
    ['a,,b', "found ',', expected: identifier after ','"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['app: nginx', `unable to parse requirement: <nil>: Invalid value: "app:": ${nameMsg}`],
    ['. in (a)', `unable to parse requirement: <nil>: Invalid value: ".": ${nameMsg}`],
    ['x=-1', `unable to parse requirement: values[0][x]: Invalid value: "-1": ${valueMsg}`],
  ]
  for (const [input, message] of table)
    test(JSON.stringify(input), () => assert.throws(() => parseSelector(input), { message }))
})

describe('Selector.matches (TestSelectorMatches)', () => {
  const table: [string, Record<string, string> | undefined, boolean][] = [
    ['', { x: 'y' }, true],
    ['', undefined, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x', { x: 'z' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x in (a,b)', { x: 'b' }, true],
    ['x notin (a)', {}, true],
    ['x!=y', undefined, true],
    ['x=z', {}, false],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x<1', { x: '2' }, false],
    ['x>1', { x: 'abc' }, false],
    ['x>1', {}, false],
    ['x in (a)', {}, false],
    ['x notin (a)', { x: 'a' }, false],
    ['x=', { x: '' }, true],
    ['x=', {}, false],
  ]
  for (const [sel, labels, want] of table)
    test(`${JSON.stringify(sel)} on ${JSON.stringify(labels)}`, () =>
      assert.equal(parseSelector(sel).matches(labels), want))

  test('requiresExactMatch', () => {
    const s = parseSelector('a=1,b in (2),c in (3,4),d!=5')
    assert.deepEqual(
      ['a', 'b', 'c', 'd', 'e'].map(k => s.requiresExactMatch(k)),
      ['1', '2', undefined, undefined, undefined],
    )
  })
})

describe('newRequirement', () => {
  const table: { key: string; op: any; values: string[]; message: string }[] = [
    {
      key: 'x',
      op: 'in',
      values: [],
      message: "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
    },
    {
      key: 'x',
      op: '=',
      values: ['a', 'b'],
      message: 'values: Invalid value: []string{"a", "b"}: exact-match compatibility requires one single value',
    },
    {
      key: 'x',
      op: 'exists',
      values: ['a'],
      message: 'values: Invalid value: []string{"a"}: values set must be empty for exists and does not exist',
    },
    {
      key: 'x',
      op: '~',
      values: [],
      message:
        'operator: Unsupported value: "~": supported values: "in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"',
    },
    {
      key: 'a b',
      op: 'in',
      values: [],
      message: `[key: Invalid value: "a b": ${nameMsg}, values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty]`,
    },
  ]
  for (const { key, op, values, message } of table)
    test(message.slice(0, 60), () => assert.throws(() => newRequirement(key, op, values), { message }))
})

describe('selectorFromLabelSelector and formatLabelSelector', () => {
  const table: { name: string; ls: LabelSelector | null | undefined; str: string; formatted: string }[] = [
    { name: 'nil selects nothing', ls: null, str: '', formatted: '<none>' },
    { name: 'undefined selects nothing', ls: undefined, str: '', formatted: '<none>' },
    { name: 'empty selects everything', ls: {}, str: '', formatted: '<none>' },
    { name: 'matchLabels sorted', ls: { matchLabels: { b: '2', a: '1' } }, str: 'a=1,b=2', formatted: 'a=1,b=2' },
    {
      name: 'expressions',
      ls: {
        matchLabels: { app: 'nginx' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['web', 'cache'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'env', operator: 'NotIn', values: ['dev'] },
          { key: 'zone', operator: 'Exists' },
        ],
      },
      str: 'app=nginx,!canary,env notin (dev),tier in (cache,web),zone',
      formatted: 'app=nginx,!canary,env notin (dev),tier in (cache,web),zone',
    },
    { name: 'bad operator', ls: { matchExpressions: [{ key: 'a', operator: 'Foo' }] }, str: '', formatted: '<error>' },
  ]
  for (const { name, ls, str, formatted } of table) {
    test(name, () => {
      assert.equal(formatLabelSelector(ls), formatted)
      if (formatted !== '<error>') assert.equal(selectorFromLabelSelector(ls).toString(), str)
    })
  }

  test('nil matches nothing, empty matches everything', () => {
    assert.equal(selectorFromLabelSelector(null).matches({ a: '1' }), false)
    assert.equal(selectorFromLabelSelector(null).matchesNothing(), true)
    assert.equal(selectorFromLabelSelector(null).isEmpty(), false)
    assert.equal(selectorFromLabelSelector({}).matches({ a: '1' }), true)
    assert.equal(selectorFromLabelSelector({}).isEmpty(), true)
    assert.equal(selectorFromLabelSelector({ matchLabels: {} }).isEmpty(), true)
  })

  test('errors', () => {
    assert.throws(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Foo' }] }), {
      message: '"Foo" is not a valid pod selector operator',
    })
    assert.throws(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), {
      message: "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
    })
  })

  test('selectorFromSet', () => {
    assert.equal(selectorFromSet({ b: '2', a: '1' }).toString(), 'a=1,b=2')
    assert.equal(selectorFromSet(undefined).isEmpty(), true)
  })
})

describe('validateLabelSelector and validateLabels', () => {
  const p = Path.root('spec').child('selector')
  const table: { name: string; ls: LabelSelector | undefined; allowInvalid?: boolean; want: string }[] = [
    { name: 'nil', ls: undefined, want: '' },
    {
      name: 'valid',
      ls: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'a', operator: 'Exists' }] },
      want: '',
    },
    {
      name: 'bad label key',
      ls: { matchLabels: { 'a b': 'x' } },
      want: `spec.selector.matchLabels: Invalid value: "a b": ${nameMsg}`,
    },
    {
      name: 'bad label value',
      ls: { matchLabels: { a: '-x' } },
      want: `spec.selector.matchLabels: Invalid value: "-x": ${valueMsg}`,
    },
    {
      name: 'In without values',
      ls: { matchExpressions: [{ key: 'a', operator: 'In' }] },
      want: "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    },
    {
      name: 'Exists with values',
      ls: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      want: "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    },
    {
      name: 'unknown operator and bad key',
      ls: { matchExpressions: [{ key: '', operator: 'Foo' }] },
      want: `[spec.selector.matchExpressions[0].operator: Invalid value: "Foo": not a valid selector operator, spec.selector.matchExpressions[0].key: Invalid value: "": name part must be non-empty, spec.selector.matchExpressions[0].key: Invalid value: "": ${nameMsg}]`,
    },
    {
      name: 'bad value in expression',
      ls: { matchExpressions: [{ key: 'a', operator: 'In', values: ['ok', '-x'] }] },
      want: `spec.selector.matchExpressions[0].values[1]: Invalid value: "-x": ${valueMsg}`,
    },
    {
      name: 'bad value allowed for old objects',
      ls: { matchExpressions: [{ key: 'a', operator: 'In', values: ['-x'] }] },
      allowInvalid: true,
      want: '',
    },
  ]
  for (const { name, ls, allowInvalid, want } of table) {
    test(name, () => {
      const errs = validateLabelSelector(ls, p, { allowInvalidLabelValueInSelector: allowInvalid })
      assert.equal(errs.length ? formatFieldErrors(errs) : '', want)
    })
  }

  test('validateLabels reports key and value errors at the map path', () => {
    const errs = validateLabels({ ok: 'fine', 'x/y/z': 'v', k: 'a'.repeat(64) }, Path.root('metadata').child('labels'))
    assert.deepEqual(
      errs.map(e => `${e.field} ${JSON.stringify(e.value)} ${e.detail?.slice(0, 20)}`),
      [
        'metadata.labels "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" must be no more than',
        'metadata.labels "x/y/z" a qualified name mus',
      ],
    )
  })
})

describe('labelsMatchSelectorMap', () => {
  const table: [Record<string, string>, Record<string, string> | undefined, boolean][] = [
    [{ app: 'web' }, { app: 'web', tier: 'x' }, true],
    [{ app: 'web' }, { app: 'db' }, false],
    [{ app: 'web' }, undefined, false],
    [{ app: '' }, {}, false],
    [{}, { any: 'thing' }, true],
    [{}, undefined, true],
  ]
  for (const [sel, labels, want] of table)
    test(`${JSON.stringify(sel)} ${JSON.stringify(labels)}`, () =>
      assert.equal(labelsMatchSelectorMap(sel, labels), want))
})
