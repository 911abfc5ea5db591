/** Tests of WrittenEndpoints: our writes stand in for a cache that has not caught up yet. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Endpoints } from '../../api/core.js'
import { WrittenEndpoints } from './endpoints-control.js'

const ep = (rv?: string): Endpoints => ({ metadata: { name: 'e', namespace: 'ns', resourceVersion: rv } })

test('a write stands in for the cache until the cache shows something newer', () => {
  const w = new WrittenEndpoints()
  assert.equal(w.current('ns/e', ep('1'))?.metadata.resourceVersion, '1', 'nothing written: the cache')
  w.wrote('ns/e', ep('1'), ep('2'))
  assert.equal(w.current('ns/e', ep('1'))?.metadata.resourceVersion, '2', 'cache still at the replaced version')
  w.wrote('ns/e', ep('2'), ep('3'))
  assert.equal(w.current('ns/e', ep('1'))?.metadata.resourceVersion, '3', 'two writes ahead')
  assert.equal(w.current('ns/e', ep('2'))?.metadata.resourceVersion, '3')
  assert.equal(w.current('ns/e', ep('3'))?.metadata.resourceVersion, '3', 'caught up')
  assert.equal(w.current('ns/e', ep('1'))?.metadata.resourceVersion, '1', 'forgotten once caught up')
})

test('a create stands in for a cache that does not have the object yet', () => {
  const w = new WrittenEndpoints()
  w.wrote('ns/e', undefined, ep('5'))
  assert.equal(w.current('ns/e', undefined)?.metadata.resourceVersion, '5')
  w.forget('ns/e')
  assert.equal(w.current('ns/e', undefined), undefined)
})

test('an object deleted after the cache caught up is not resurrected from memory', () => {
  const w = new WrittenEndpoints()
  w.wrote('ns/e', ep('1'), ep('2'))
  assert.equal(w.current('ns/e', undefined), undefined)
})
