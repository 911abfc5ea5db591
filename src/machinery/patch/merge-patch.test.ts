import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { applyMergePatch } from './merge-patch.js'
import { liveStatefulSet } from './testdata.js'

// The examples of RFC 7386 appendix A, plus StatefulSet shapes.
const cases: [string, unknown, unknown, unknown][] = [
  ['replace a member', { a: 'b' }, { a: 'c' }, { a: 'c' }],
  ['add a member', { a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  ['null deletes', { a: 'b' }, { a: null }, {}],
  ['null deletes one of two', { a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  ['arrays replace', { a: ['b'] }, { a: 'c' }, { a: 'c' }],
  ['scalar becomes array', { a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  ['nested merge and delete', { a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  ['arrays of objects replace whole', { a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  ['non-object target', ['a', 'b'], ['c', 'd'], ['c', 'd']],
  ['object replaces array target', ['a', 'b'], { a: 'b' }, { a: 'b' }],
  ['patch null', { a: 'foo' }, null, null],
  ['patch string', { a: 'foo' }, 'bar', 'bar'],
  ['nulls inside new objects are dropped', { e: null }, { a: 1 }, { e: null, a: 1 }],
  ['array target, object patch', [1, 2], { a: 'b', c: null }, { a: 'b' }],
  ['deep new object', {}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
]

describe('applyMergePatch', () => {
  for (const [name, target, patch, expect] of cases) {
    test(name, () => {
      const before = structuredClone(target)
      assert.deepEqual(applyMergePatch(target, patch), expect)
      assert.deepEqual(target, before)
    })
  }

  test('kubectl patch --type merge on a StatefulSet replaces lists and merges maps', () => {
    const live = liveStatefulSet()
    const out: any = applyMergePatch(live, {
      spec: { replicas: 5, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:2' }] } } },
      metadata: { labels: { tier: 'web' } },
    })
    assert.equal(out.spec.replicas, 5)
    assert.deepEqual(out.spec.template.spec.containers, [{ name: 'nginx', image: 'nginx:2' }])
    assert.deepEqual(out.metadata.labels, { app: 'nginx', tier: 'web' })
    assert.equal(out.spec.template.spec.terminationGracePeriodSeconds, 10)
    out.spec.selector.matchLabels.app = 'changed'
    assert.equal(live.spec.selector.matchLabels.app, 'nginx', 'result shares nothing with the input')
  })
})
