/** Runs the Store contract against the sqlite backend, plus what only a file can do: reopen, group commit, sweeps. */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { collectEvents, runStoreContract } from '../store.contract.js'
import { openSqliteStore } from './sqlite-store.js'

const dir = mkdtempSync(join(tmpdir(), 'petset-sqlite-'))
after(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
const freshPath = () => join(dir, `store-${++n}.db`)

runStoreContract('sqlite', () => openSqliteStore(freshPath(), { compactIntervalMs: 0 }))

describe('sqlite store', () => {
  test('reopening a file resumes at its revision, values, history and compact revision', async () => {
    const path = freshPath()
    const s1 = await openSqliteStore(path, { compactIntervalMs: 0 })
    const a = await s1.create('/r/a', 'a1')
    await s1.update('/r/a', 'a2', a.modRevision)
    await s1.create('/r/b', 'b1')
    await s1.delete('/r/b')
    await s1.compact(2)
    await s1.close()

    const s2 = await openSqliteStore(path, { compactIntervalMs: 0 })
    assert.equal(await s2.currentRevision(), 4)
    assert.equal(await s2.compactRevision(), 2)
    assert.equal((await s2.get('/r/a'))?.value, 'a2')
    assert.deepEqual(
      (await s2.list('/r/', { revision: 3 })).items.map(i => i.key),
      ['/r/a', '/r/b'],
    )
    const events = collectEvents(s2, { prefix: '/r/', fromRevision: 2, count: 3 })
    assert.equal((await s2.create('/r/c', 'c1')).modRevision, 5)
    assert.deepEqual(
      (await events).map(e => [e.type, e.kv.key, e.kv.modRevision]),
      [
        ['put', '/r/b', 3],
        ['delete', '/r/b', 4],
        ['put', '/r/c', 5],
      ],
    )
    await s2.close()
  })

  test('a second store on the same file is refused with StoreLocked until the first closes', async () => {
    const path = freshPath()
    const first = await openSqliteStore(path, { compactIntervalMs: 0 })
    await first.create('/l', 'v')
    await assert.rejects(openSqliteStore(path, { compactIntervalMs: 0 }), { code: 'StoreLocked' })
    await first.close()
    const second = await openSqliteStore(path, { compactIntervalMs: 0 })
    assert.equal((await second.get('/l'))?.value, 'v')
    await second.close()
  })

  test('the revision survives compaction of the newest row (a tombstone)', async () => {
    const path = freshPath()
    const s1 = await openSqliteStore(path, { compactIntervalMs: 0 })
    await s1.create('/t', 'v')
    await s1.delete('/t')
    await s1.compact(2)
    await s1.close()
    const s2 = await openSqliteStore(path, { compactIntervalMs: 0 })
    assert.equal(await s2.currentRevision(), 2)
    assert.equal((await s2.create('/t', 'again')).modRevision, 3)
    await s2.close()
  })

  test('group commit: concurrent writes share transactions, and each sees the earlier ones', async () => {
    const s = await openSqliteStore(freshPath(), { compactIntervalMs: 0 })
    const writes = 500
    const kvs = await Promise.all(Array.from({ length: writes }, (_, i) => s.create(`/g/${i}`, String(i))))
    assert.deepEqual(
      kvs.map(kv => kv.modRevision),
      Array.from({ length: writes }, (_, i) => i + 1),
    )
    const stats = s.stats()
    assert.equal(stats.writes, writes)
    assert.ok(stats.commits < writes / 10, `expected batching, got ${stats.commits} commits`)
    assert.ok(stats.maxBatch > 1)
    await s.close()
  })

  test('compaction sweeps in chunks and keeps every value a read at the compact revision needs', async () => {
    const s = await openSqliteStore(freshPath(), { compactIntervalMs: 0, compactChunkRevisions: 7 })
    const live = new Map<string, number>()
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 20; i++) {
        const key = `/cc/${i}`
        const rev = live.get(key)
        if (rev === undefined) live.set(key, (await s.create(key, `${round}`)).modRevision)
        else if ((i + round) % 7 === 0) {
          await s.delete(key, rev)
          live.delete(key)
        } else live.set(key, (await s.update(key, `${round}`, rev)).modRevision)
      }
    }
    const at = await s.currentRevision()
    const before = await s.list('/cc/', { revision: at })
    await s.compact(at)
    assert.deepEqual(await s.list('/cc/', { revision: at }), before)
    assert.equal(before.items.length, live.size)
    await s.close()
  })

  test('writes queued when close() is called are committed, later ones rejected', async () => {
    const path = freshPath()
    const s = await openSqliteStore(path, { compactIntervalMs: 0 })
    const pending = s.create('/q', 'v')
    await s.close()
    assert.equal((await pending).modRevision, 1)
    await assert.rejects(s.create('/q2', 'v'), { code: 'StoreClosed' })
    const again = await openSqliteStore(path, { compactIntervalMs: 0 })
    assert.equal((await again.get('/q'))?.value, 'v')
    await again.close()
  })
})

test('sqlite: the auto-compaction timer compacts to current - keepRevisions', async () => {
  const s = await openSqliteStore(freshPath(), { compactIntervalMs: 5, keepRevisions: 1 })
  for (let i = 0; i < 5; i++) await s.create(`/a/${i}`, 'v')
  // Waits for the condition, whenever the timer gets to it (the test's timeout bounds it).
  while ((await s.compactRevision()) < 4) await new Promise(r => setTimeout(r, 5))
  assert.equal(await s.compactRevision(), 4)
  assert.equal((await s.list('/a/')).items.length, 5)
  await s.close()
})
