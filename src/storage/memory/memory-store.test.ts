/** Runs the Store contract against the in-memory backend, plus its auto-compaction knob. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runStoreContract } from '../store.contract.js'
import { MemoryStore } from './memory-store.js'

runStoreContract('memory', async () => new MemoryStore({ compactIntervalMs: 0 }))

test('memory: auto-compaction keeps the newest keepRevisions revisions', async () => {
  const s = new MemoryStore({ compactIntervalMs: 0, keepRevisions: 3 })
  const { AutoCompactor } = await import('../auto-compact.js')
  const compactor = new AutoCompactor(s, { compactIntervalMs: 0, keepRevisions: 3 })
  assert.equal(await compactor.tick(), undefined)
  for (let i = 0; i < 10; i++) await s.create(`/k/${i}`, 'v')
  assert.equal(await compactor.tick(), 7)
  assert.equal(await s.compactRevision(), 7)
  assert.equal((await s.list('/k/')).items.length, 10)
  await s.close()
})
