/** Tests for objects.ts. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { KObject } from '../api/meta.js'
import { deepEqual, deepFreeze, getControllerOf, isControlledBy, newControllerRef, newUID } from './objects.js'

describe('deepEqual', () => {
  const table: { name: string; a: unknown; b: unknown; want: boolean }[] = [
    { name: 'primitives', a: 1, b: 1, want: true },
    { name: 'different primitives', a: 1, b: '1', want: false },
    { name: 'null vs undefined', a: null, b: undefined, want: false },
    { name: 'null vs object', a: null, b: {}, want: false },
    { name: 'key order', a: { a: 1, b: 2 }, b: { b: 2, a: 1 }, want: true },
    { name: 'undefined field equals absent', a: { a: 1, b: undefined }, b: { a: 1 }, want: true },
    { name: 'absent equals undefined field', a: { a: 1 }, b: { a: 1, c: undefined }, want: true },
    { name: 'null field differs from absent', a: { a: null }, b: {}, want: false },
    { name: 'nested', a: { s: { x: [1, { y: 2 }] } }, b: { s: { x: [1, { y: 2 }] } }, want: true },
    { name: 'nested differs', a: { s: { x: [1, { y: 2 }] } }, b: { s: { x: [1, { y: 3 }] } }, want: false },
    { name: 'array order matters', a: [1, 2], b: [2, 1], want: false },
    { name: 'array length', a: [1], b: [1, 1], want: false },
    { name: 'array vs object', a: [], b: {}, want: false },
    { name: 'empty array differs from absent', a: { x: [] }, b: {}, want: false },
    { name: 'extra key', a: { a: 1 }, b: { a: 1, b: 2 }, want: false },
    { name: 'same key count, different keys', a: { a: 1, b: undefined }, b: { a: 1, c: 2 }, want: false },
  ]
  for (const { name, a, b, want } of table) {
    test(name, () => {
      assert.equal(deepEqual(a, b), want)
      assert.equal(deepEqual(b, a), want)
    })
  }
})

describe('deepFreeze', () => {
  test('freezes nested objects and arrays and returns the same object', () => {
    const o = { metadata: { labels: { a: 'b' } }, spec: { items: [{ x: 1 }] } }
    const frozen = deepFreeze(o)
    assert.equal(frozen, o)
    assert.ok(Object.isFrozen(o.metadata.labels))
    assert.ok(Object.isFrozen(o.spec.items))
    assert.ok(Object.isFrozen(o.spec.items[0]))
    assert.throws(() => {
      ;(o.metadata.labels as Record<string, string>).a = 'c'
    }, TypeError)
  })
  test('primitives and null pass through', () => {
    assert.equal(deepFreeze(3), 3)
    assert.equal(deepFreeze(null), null)
  })
})

describe('newUID', () => {
  test('is a v4 UUID and unique', () => {
    const a = newUID()
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.notEqual(a, newUID())
  })
})

describe('controller references', () => {
  const set: KObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', uid: 'set-uid' } }
  const ref = newControllerRef(set, { apiVersion: 'apps/v1', kind: 'StatefulSet' })
  const pod = (refs: KObject['metadata']['ownerReferences']): KObject => ({
    metadata: { name: 'web-0', ownerReferences: refs },
  })
  const table: { name: string; obj: KObject; controller?: string; controlled: boolean }[] = [
    { name: 'no owners', obj: pod(undefined), controlled: false },
    { name: 'owner but not controller', obj: pod([{ ...ref, controller: false }]), controlled: false },
    {
      name: 'controller',
      obj: pod([{ ...ref, uid: 'other', controller: false }, ref]),
      controller: 'set-uid',
      controlled: true,
    },
    {
      name: 'controller with another uid',
      obj: pod([{ ...ref, uid: 'old-uid' }]),
      controller: 'old-uid',
      controlled: false,
    },
  ]
  for (const { name, obj, controller, controlled } of table) {
    test(name, () => {
      assert.equal(getControllerOf(obj)?.uid, controller)
      assert.equal(isControlledBy(obj, set), controlled)
    })
  }
  test('newControllerRef', () =>
    assert.deepEqual(ref, {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      name: 'web',
      uid: 'set-uid',
      blockOwnerDeletion: true,
      controller: true,
    }))
})
