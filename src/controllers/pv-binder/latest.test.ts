/** LatestObjects: own writes win only while newer than the informer, and never hide a deletion. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { PersistentVolume } from '../../api/core.js'
import { Informer } from '../../client/informer.js'
import { PERSISTENT_VOLUMES } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { LatestObjects } from './latest.js'
import { pv } from './test-fixtures.js'

const at = (v: PersistentVolume, rv: string, phase = 'Available'): PersistentVolume => ({
  ...v,
  metadata: { ...v.metadata, resourceVersion: rv },
  status: { phase },
})

// The informer is never run: the test fills its cache directly.
const newView = () => {
  const informer = new Informer<PersistentVolume>({} as RestClient, PERSISTENT_VOLUMES)
  return { informer, view: new LatestObjects(informer) }
}

test('a newer own write shadows the cached copy until the informer catches up', () => {
  const { informer, view } = newView()
  informer.cache.upsert(at(pv('a'), '5'))
  view.remember(at(pv('a'), '7', 'Bound'))
  assert.equal(view.get('a')?.status?.phase, 'Bound')
  assert.equal(view.list()[0]?.status?.phase, 'Bound')
  informer.cache.upsert(at(pv('a'), '9', 'Released'))
  assert.equal(view.get('a')?.status?.phase, 'Released')
})

test('an older own write is ignored', () => {
  const { informer, view } = newView()
  informer.cache.upsert(at(pv('a'), '9', 'Released'))
  view.remember(at(pv('a'), '7', 'Bound'))
  assert.equal(view.get('a')?.status?.phase, 'Released')
})

test('an object the informer no longer has is gone, whatever we wrote', () => {
  const { informer, view } = newView()
  informer.cache.upsert(at(pv('a'), '5'))
  view.remember(at(pv('a'), '7', 'Bound'))
  informer.cache.remove('a')
  assert.equal(view.get('a'), undefined)
  assert.deepEqual(view.list(), [])
})
