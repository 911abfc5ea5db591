/**
 * The one behaviour suite every Store backend runs (Hono's `runTest({ newRouter })` pattern):
 * each backend's test file calls runStoreContract with a factory for a fresh, empty store.
 * Must not depend on any backend's internals: only the Store interface and its errors.
 */
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import {
  CompactedError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionConflictError,
  type Store,
  type StoreEvent,
} from './store.js'

/** What collectEvents watches: keys under prefix, after fromRevision, until count events arrived. */
export interface CollectOptions {
  prefix: string
  fromRevision: number
  count: number
}

/** Resolves with the first `count` events a watch delivers (rejects on its error); stops the watch. */
export function collectEvents(store: Store, { prefix, fromRevision, count }: CollectOptions): Promise<StoreEvent[]> {
  return new Promise((resolve, reject) => {
    const got: StoreEvent[] = []
    const h = store.watch(
      prefix,
      fromRevision,
      events => {
        got.push(...events)
        if (got.length >= count) {
          h.stop()
          resolve(got)
        }
      },
      reject,
    )
  })
}

/** Revisions of events, for compact assertions. */
const revs = (events: StoreEvent[]) => events.map(e => e.kv.modRevision)

/** Runs the Store contract against fresh stores from open(); each test closes its store. */
export function runStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, { timeout: 30_000 }, () => {
    let opened: Store[] = []
    const fresh = async () => {
      const s = await open()
      opened.push(s)
      return s
    }
    afterEach(async () => {
      await Promise.all(opened.map(s => s.close()))
      opened = []
    })

    test('create then get returns the value at the create revision; absent keys are undefined', async () => {
      const s = await fresh()
      assert.equal(await s.currentRevision(), 0)
      const kv = await s.create('/a/1', '{"n":1}')
      assert.deepEqual(kv, { key: '/a/1', value: '{"n":1}', createRevision: 1, modRevision: 1 })
      assert.deepEqual(await s.get('/a/1'), kv)
      assert.equal(await s.get('/a/2'), undefined)
    })

    test('create of a live key fails with KeyExists; after a delete it succeeds as a new incarnation', async () => {
      const s = await fresh()
      await s.create('/k', 'v1')
      await assert.rejects(s.create('/k', 'v2'), KeyExistsError)
      await s.delete('/k')
      const again = await s.create('/k', 'v3')
      assert.deepEqual(again, { key: '/k', value: 'v3', createRevision: 3, modRevision: 3 })
    })

    test('update is a compare-and-swap on modRevision and reports the current value on conflict', async () => {
      const s = await fresh()
      const v1 = await s.create('/k', 'v1')
      const v2 = await s.update('/k', 'v2', v1.modRevision)
      assert.deepEqual(v2, { key: '/k', value: 'v2', createRevision: 1, modRevision: 2 })
      const err = await s.update('/k', 'v3', v1.modRevision).catch(e => e)
      assert.ok(err instanceof RevisionConflictError)
      assert.equal(err.code, 'RevisionConflict')
      assert.deepEqual(err.current, v2)
      assert.equal((await s.get('/k'))?.value, 'v2')
      await assert.rejects(s.update('/missing', 'x', 1), KeyNotFoundError)
    })

    test('delete returns the last value at the delete revision, with and without an expected revision', async () => {
      const s = await fresh()
      const a = await s.create('/a', 'va')
      const b = await s.create('/b', 'vb')
      assert.deepEqual(await s.delete('/a'), { ...a, modRevision: 3 })
      assert.equal(await s.get('/a'), undefined)
      await assert.rejects(s.delete('/b', b.modRevision + 100), RevisionConflictError)
      assert.deepEqual(await s.delete('/b', b.modRevision), { ...b, modRevision: 4 })
      await assert.rejects(s.delete('/a'), KeyNotFoundError)
      await assert.rejects(s.delete('/never', 1), KeyNotFoundError)
    })

    test('every successful write takes the next global revision; failed writes take none', async () => {
      const s = await fresh()
      const seen = [
        (await s.create('/x', '1')).modRevision,
        (await s.create('/y', '1')).modRevision,
        (await s.update('/x', '2', 1)).modRevision,
      ]
      await s.create('/y', 'dup').catch(() => {})
      await s.update('/x', 'stale', 1).catch(() => {})
      seen.push((await s.delete('/y')).modRevision, (await s.create('/z', '1')).modRevision)
      assert.deepEqual(seen, [1, 2, 3, 4, 5])
      assert.equal(await s.currentRevision(), 5)
    })

    test('list returns live keys under the prefix in key order', async () => {
      const s = await fresh()
      for (const k of ['/r/b', '/r/a', '/rx', '/r/c', '/q']) await s.create(k, k)
      await s.delete('/r/c')
      const res = await s.list('/r/')
      assert.deepEqual(
        res.items.map(i => i.key),
        ['/r/a', '/r/b'],
      )
      assert.equal(res.revision, 6)
      assert.equal(res.more, false)
      assert.equal((await s.list('')).items.length, 4)
    })

    test('list pages with limit and startAfter at a fixed revision while writes continue', async () => {
      const s = await fresh()
      for (let i = 0; i < 10; i++) await s.create(`/p/${i}`, `v${i}`)
      const first = await s.list('/p/', { limit: 4 })
      assert.deepEqual(
        first.items.map(i => i.key),
        ['/p/0', '/p/1', '/p/2', '/p/3'],
      )
      assert.equal(first.more, true)
      assert.equal(first.remaining, 6)
      await s.update('/p/5', 'changed', 6)
      await s.delete('/p/6')
      await s.create('/p/55', 'new')
      const keys = first.items.map(i => i.key)
      const values = first.items.map(i => i.value)
      let page = first
      while (page.more) {
        page = await s.list('/p/', { limit: 4, revision: first.revision, startAfter: keys[keys.length - 1] })
        assert.equal(page.revision, first.revision)
        keys.push(...page.items.map(i => i.key))
        values.push(...page.items.map(i => i.value))
      }
      assert.deepEqual(
        keys,
        Array.from({ length: 10 }, (_, i) => `/p/${i}`),
      )
      assert.deepEqual(
        values,
        Array.from({ length: 10 }, (_, i) => `v${i}`),
      )
    })

    test('list at an old revision shows the values of that revision, including later-deleted keys', async () => {
      const s = await fresh()
      await s.create('/o/a', 'a1')
      await s.create('/o/b', 'b1')
      const at = await s.currentRevision()
      await s.update('/o/a', 'a2', 1)
      await s.delete('/o/b')
      await s.create('/o/c', 'c1')
      const old = await s.list('/o/', { revision: at })
      assert.deepEqual(
        old.items.map(i => [i.key, i.value, i.modRevision]),
        [
          ['/o/a', 'a1', 1],
          ['/o/b', 'b1', 2],
        ],
      )
      const now = await s.list('/o/')
      assert.deepEqual(
        now.items.map(i => [i.key, i.value]),
        [
          ['/o/a', 'a2'],
          ['/o/c', 'c1'],
        ],
      )
      await assert.rejects(s.list('/o/', { revision: 99 }), FutureRevisionError)
    })

    test('watch replays history after fromRevision, then live events, in order and once', async () => {
      const s = await fresh()
      await s.create('/w/a', '1')
      await s.create('/w/b', '1')
      await s.update('/w/a', '2', 1)
      const events = collectEvents(s, { prefix: '/w/', fromRevision: 1, count: 4 })
      await s.delete('/w/b')
      await s.create('/w/c', '1')
      const got = await events
      assert.deepEqual(revs(got), [2, 3, 4, 5])
      assert.deepEqual(
        got.map(e => [e.type, e.kv.key]),
        [
          ['put', '/w/b'],
          ['put', '/w/a'],
          ['delete', '/w/b'],
          ['put', '/w/c'],
        ],
      )
    })

    test('a long replay arrives complete and in order while writes continue', async () => {
      const s = await fresh()
      const total = 1500
      for (let i = 0; i < 1200; i++) await s.create(`/long/${i}`, String(i))
      const events = collectEvents(s, { prefix: '/long/', fromRevision: 0, count: total })
      const writes: Promise<unknown>[] = []
      for (let i = 1200; i < total; i++) writes.push(s.create(`/long/${i}`, String(i)))
      await Promise.all(writes)
      const got = await events
      assert.deepEqual(
        revs(got),
        Array.from({ length: total }, (_, i) => i + 1),
      )
    })

    test('watch delivers only keys under its prefix, and nothing after stop', async () => {
      const s = await fresh()
      const from = await s.currentRevision()
      const stopped: StoreEvent[] = []
      s.watch('/m/', from, e => stopped.push(...e)).stop()
      const events = collectEvents(s, { prefix: '/m/', fromRevision: from, count: 2 })
      for (const k of ['/m/1', '/n/1', '/m', '/mm/1', '/m/2']) await s.create(k, 'v')
      assert.deepEqual(
        (await events).map(e => e.kv.key),
        ['/m/1', '/m/2'],
      )
      assert.deepEqual(stopped, [])
    })

    test('watch events carry prevKv; a delete carries the last value at the delete revision', async () => {
      const s = await fresh()
      const events = collectEvents(s, { prefix: '/d/', fromRevision: 0, count: 3 })
      const v1 = await s.create('/d/x', 'one')
      const v2 = await s.update('/d/x', 'two', v1.modRevision)
      await s.delete('/d/x')
      const [created, updated, deleted] = await events
      assert.deepEqual(created, { type: 'put', kv: v1 })
      assert.deepEqual(updated, { type: 'put', kv: v2, prevKv: v1 })
      assert.deepEqual(deleted, { type: 'delete', kv: { ...v2, modRevision: 3 }, prevKv: v2 })
    })

    test('watch callbacks never run inside the writer call stack', async () => {
      const s = await fresh()
      let writing = false
      const flags: boolean[] = []
      const done = new Promise<void>(resolve => {
        s.watch('/s/', 0, events => {
          flags.push(...events.map(() => writing))
          if (flags.length === 3) resolve()
        })
      })
      for (const k of ['/s/1', '/s/2', '/s/3']) {
        writing = true
        const p = s.create(k, 'v')
        writing = false
        await p
      }
      await done
      assert.deepEqual(flags, [false, false, false])
    })

    test('compaction keeps latest values and fails reads and watches below the compact revision', async () => {
      const s = await fresh()
      const a = await s.create('/c/a', '1')
      await s.update('/c/a', '2', a.modRevision)
      await s.create('/c/b', '1')
      await s.delete('/c/b')
      await s.create('/c/d', '1')
      await s.compact(4)
      assert.equal(await s.compactRevision(), 4)
      await assert.rejects(s.list('/c/', { revision: 3 }), CompactedError)
      await assert.rejects(collectEvents(s, { prefix: '/c/', fromRevision: 2, count: 1 }), CompactedError)
      assert.deepEqual(
        (await s.list('/c/', { revision: 4 })).items.map(i => [i.key, i.value]),
        [['/c/a', '2']],
      )
      assert.equal((await s.get('/c/a'))?.value, '2')
      const replay = await collectEvents(s, { prefix: '/c/', fromRevision: 4, count: 1 })
      assert.deepEqual(revs(replay), [5])
      await s.compact(4)
      await assert.rejects(s.compact(99), FutureRevisionError)
      assert.equal((await s.create('/c/e', '1')).modRevision, 6)
    })

    test('concurrent creates of one key: exactly one succeeds', async () => {
      const s = await fresh()
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => s.create('/race', `w${i}`)))
      const ok = results.filter(r => r.status === 'fulfilled')
      assert.equal(ok.length, 1)
      for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof KeyExistsError)
      assert.equal(await s.currentRevision(), 1)
    })

    test('concurrent CAS retry loops on one key lose no increment', async () => {
      const s = await fresh()
      await s.create('/counter', '0')
      const increment = async () => {
        for (;;) {
          const cur = (await s.get('/counter'))!
          try {
            return await s.update('/counter', String(Number(cur.value) + 1), cur.modRevision)
          } catch (err) {
            if (!(err instanceof RevisionConflictError)) throw err
          }
        }
      }
      await Promise.all(Array.from({ length: 25 }, () => Promise.all([increment(), increment()])))
      const final = (await s.get('/counter'))!
      assert.equal(final.value, '50')
      assert.equal(final.modRevision, 51)
    })

    test('after close, operations reject', async () => {
      const s = await fresh()
      await s.create('/z', 'v')
      await s.close()
      await assert.rejects(s.get('/z'))
      await assert.rejects(s.create('/z2', 'v'))
    })
  })
}
