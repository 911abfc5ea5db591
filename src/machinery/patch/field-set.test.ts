import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  differenceFieldSets,
  fieldPaths,
  fieldSetFromPaths,
  formatFieldPath,
  fromFieldsV1,
  hasPath,
  intersectFieldSets,
  recursiveDifferenceFieldSets,
  toFieldsV1,
  unionFieldSets,
} from './field-set.js'
import { statefulSetSchema as schema } from './testdata.js'
import { compareFields, fieldSetOf } from './typed.js'

const nginx = 'k:{"name":"nginx"}'
const upstreamV1 = {
  'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} }, 'f:finalizers': { 'v:"a/b"': {} } },
  'f:spec': { 'f:containers': { [nginx]: { '.': {}, 'f:image': {}, 'f:name': {} } }, 'f:replicas': {} },
}

describe('field sets', () => {
  test('fieldsV1 round-trips', () => {
    const set = fromFieldsV1(upstreamV1)
    assert.ok(hasPath(set, ['f:metadata', 'f:labels']))
    assert.ok(hasPath(set, ['f:metadata', 'f:labels', 'f:app']))
    assert.ok(!hasPath(set, ['f:metadata']))
    assert.ok(hasPath(set, ['f:spec', 'f:containers', nginx]))
    assert.deepEqual(toFieldsV1(set), upstreamV1)
    assert.equal(JSON.stringify(toFieldsV1(fromFieldsV1({ 'f:b': {}, 'f:a': {} }))), '{"f:a":{},"f:b":{}}', 'sorted')
  })

  test('set algebra', () => {
    const a = fieldSetFromPaths([['f:spec', 'f:replicas'], ['f:spec', 'f:serviceName'], ['f:spec']])
    const b = fieldSetFromPaths([
      ['f:spec', 'f:replicas'],
      ['f:metadata', 'f:labels', 'f:x'],
    ])
    assert.deepEqual(fieldPaths(unionFieldSets(a, b)).map(formatFieldPath), [
      '.spec',
      '.metadata.labels.x',
      '.spec.replicas',
      '.spec.serviceName',
    ])
    assert.deepEqual(fieldPaths(intersectFieldSets(a, b)).map(formatFieldPath), ['.spec.replicas'])
    assert.deepEqual(fieldPaths(differenceFieldSets(a, b)).map(formatFieldPath), ['.spec', '.spec.serviceName'])
    assert.deepEqual(
      fieldPaths(recursiveDifferenceFieldSets(b, fieldSetFromPaths([['f:metadata']]))).map(formatFieldPath),
      ['.spec.replicas'],
    )
  })

  test('paths print as upstream prints them', () => {
    assert.equal(formatFieldPath(['f:spec', 'f:containers', nginx, 'f:image']), '.spec.containers[name="nginx"].image')
    assert.equal(
      formatFieldPath(['f:ports', 'k:{"containerPort":80,"protocol":"TCP"}']),
      '.ports[containerPort=80,protocol="TCP"]',
    )
    assert.equal(formatFieldPath(['f:metadata', 'f:finalizers', 'v:"a/b"']), '.metadata.finalizers[="a/b"]')
    assert.equal(formatFieldPath(['f:x', 'i:3']), '.x[3]')
  })

  test('fieldSetOf follows ToFieldSet: struct fields implied, maps and items explicit', () => {
    const obj = {
      metadata: { labels: { app: 'x' }, annotations: {} },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: { spec: { containers: [{ name: 'nginx', image: 'i' }] } },
      },
    }
    assert.deepEqual(toFieldsV1(fieldSetOf(obj, schema)), {
      'f:metadata': { 'f:annotations': {}, 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:selector': {},
        'f:template': { 'f:spec': { 'f:containers': { [nginx]: { '.': {}, 'f:image': {}, 'f:name': {} } } } },
      },
    })
  })

  test('fieldSetOf without a schema treats every map entry as a field and lists as atomic', () => {
    assert.deepEqual(toFieldsV1(fieldSetOf({ a: { b: 1 }, l: [{ x: 1 }] })), {
      'f:a': { '.': {}, 'f:b': {} },
      'f:l': {},
    })
  })

  test('compareFields reports leaves and appearing items', () => {
    const before = { spec: { replicas: 1, template: { spec: { containers: [{ name: 'a', image: '1' }] } } } }
    const after = {
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'a', image: '1' }, { name: 'b' }] } } },
    }
    const c = compareFields(before, after, schema)
    assert.deepEqual(fieldPaths(c.modified).map(formatFieldPath), ['.spec.replicas'])
    assert.deepEqual(fieldPaths(c.added).map(formatFieldPath), [
      '.spec.template.spec.containers[name="b"]',
      '.spec.template.spec.containers[name="b"].name',
    ])
    assert.equal(fieldPaths(c.removed).length, 0)
  })
})
