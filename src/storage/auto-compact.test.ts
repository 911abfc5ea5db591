/** AutoCompactor: what one tick compacts, and when it leaves the store alone. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AutoCompactor } from './auto-compact.js'
import { MemoryStore } from './memory/memory-store.js'

test('a tick compacts to current - keepRevisions, and only when that moves the compact revision', async () => {
  const store = new MemoryStore({ compactIntervalMs: 0 })
  const compactor = new AutoCompactor(store, { compactIntervalMs: 0, keepRevisions: 3 })
  assert.equal(await compactor.tick(), undefined)
  for (let i = 0; i < 10; i++) await store.create(`/k/${i}`, 'v')
  assert.equal(await compactor.tick(), 7)
  assert.equal(await store.compactRevision(), 7)
  assert.equal(await compactor.tick(), undefined)
  assert.equal((await store.list('/k/')).items.length, 10)
  await store.close()
})

test('overlapping ticks share one compaction', async () => {
  const store = new MemoryStore({ compactIntervalMs: 0 })
  for (let i = 0; i < 5; i++) await store.create(`/k/${i}`, 'v')
  const compactor = new AutoCompactor(store, { compactIntervalMs: 0, keepRevisions: 0 })
  const [a, b] = [compactor.tick(), compactor.tick()]
  assert.equal(a, b)
  assert.equal(await a, 5)
  await store.close()
})
