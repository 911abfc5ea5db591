/** Tests of the slice write tracker and of endpoint identity (pure state). */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { EndpointSlice } from '../../../api/discovery.js'
import { EndpointSet, endpointKey, endpointsEqualBeyondHash, portMapKey } from './endpoint-set.js'
import { SliceTracker } from './slice-tracker.js'

const slice = (uid: string, rv: string): EndpointSlice => ({
  metadata: { name: uid, namespace: 'ns', uid, resourceVersion: rv },
  addressType: 'IPv4',
  endpoints: [],
})

test('a created slice is stale until the cache shows it; its own event needs no sync', () => {
  const t = new SliceTracker()
  t.created('ns/svc', slice('a', '5'))
  assert.equal(t.isStale('ns/svc', []), true)
  assert.equal(t.observe(slice('a', '5')), 'caught-up', 'a sync waited for it')
  assert.equal(t.isStale('ns/svc', [slice('a', '5')]), false)
  assert.equal(t.observe(slice('a', '6')), 'foreign', 'later changes are someone else’s')
})

test('an update is stale while the cache shows the version it replaced', () => {
  const t = new SliceTracker()
  t.updated('ns/svc', slice('a', '5'), slice('a', '7'))
  assert.equal(t.isStale('ns/svc', [slice('a', '5')]), true)
  assert.equal(t.isStale('ns/other', [slice('a', '5')]), false, 'per service')
  assert.equal(t.observe(slice('a', '5')), 'own', 'an echo of the old version')
  assert.equal(t.observe(slice('a', '7')), 'caught-up')
  assert.equal(t.isStale('ns/svc', [slice('a', '7')]), false)
})

test('our own write coming back without a waiting sync is silent', () => {
  const t = new SliceTracker()
  t.updated('ns/svc', slice('a', '5'), slice('a', '7'))
  assert.equal(t.observe(slice('a', '7')), 'own')
  assert.equal(t.observe(slice('a', '9')), 'foreign', 'forgotten once seen')
})

test('deletions: ours are expected, others are not', () => {
  const t = new SliceTracker()
  t.deleted('ns/svc', slice('a', '5'))
  assert.equal(t.isStale('ns/svc', [slice('a', '5')]), true)
  assert.equal(t.observeDeletion(slice('a', '5')), 'caught-up')
  assert.equal(t.isStale('ns/svc', []), false)
  assert.equal(t.observeDeletion(slice('b', '3')), 'foreign')
})

test('an event that beat the write response leaves nothing stale', () => {
  const t = new SliceTracker()
  assert.equal(t.observe(slice('a', '7')), 'foreign', 'unknown yet: sync (harmless)')
  t.updated('ns/svc', slice('a', '5'), slice('a', '7'))
  assert.equal(t.isStale('ns/svc', [slice('a', '7')]), false)
  t.forgetService('ns/svc')
  assert.equal(t.observe(slice('a', '7')), 'foreign')
})

test('endpoint identity ignores conditions, node and zone; those are compared beyond the hash', () => {
  const a = { addresses: ['10.0.0.2', '10.0.0.1'], hostname: 'h', targetRef: { namespace: 'ns', name: 'p', uid: 'u' } }
  const b = { ...a, addresses: ['10.0.0.1', '10.0.0.2'], conditions: { ready: false }, nodeName: 'n' }
  assert.equal(endpointKey(a), endpointKey(b))
  assert.equal(endpointsEqualBeyondHash(a, b), false)
  assert.equal(endpointsEqualBeyondHash(a, { ...a, targetRef: { ...a.targetRef, resourceVersion: '9' } }), true)
  const set = new EndpointSet().insert(a)
  assert.equal(set.get(b), a)
  assert.equal(set.popAny(), a)
  assert.equal(set.size, 0)
})

test('portMapKey: order and server defaults do not matter', () => {
  const p1 = { name: 'a', port: 1, protocol: 'TCP' }
  const p2 = { name: 'b', port: 2 }
  assert.equal(portMapKey([p1, p2]), portMapKey([{ ...p2, protocol: 'TCP' }, p1]))
  assert.equal(portMapKey(undefined), portMapKey([]))
  assert.notEqual(portMapKey([p1]), portMapKey([{ ...p1, port: 3 }]))
})
