/** Unit tests of the work queue: dedup, one key per worker, delays, rate limiting, shutdown. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { FakeClock } from './clock.js'
import { ItemExponentialRateLimiter } from './ratelimit.js'
import { WorkQueue } from './workqueue.js'

test('a key queued twice is handed out once, in FIFO order', async () => {
  const q = new WorkQueue<string>()
  q.add('a')
  q.add('b')
  q.add('a')
  assert.equal(q.length(), 2)
  assert.equal(await q.get(), 'a')
  assert.equal(await q.get(), 'b')
  assert.equal(q.length(), 0)
})

test('a key re-added while processing waits for done and is never given to two workers', async () => {
  const q = new WorkQueue<string>()
  q.add('a')
  const first = await q.get()
  q.add('a')
  assert.equal(q.length(), 0, 'still processing: not handed out again')
  let second: string | undefined
  const waiter = q.get().then(k => (second = k))
  await new Promise(r => setImmediate(r))
  assert.equal(second, undefined)
  q.done(first!)
  await waiter
  assert.equal(second, 'a')
  q.done('a')
  assert.equal(q.length(), 0)
})

test('a waiting get wakes on add', async () => {
  const q = new WorkQueue<string>()
  const p = q.get()
  q.add('x')
  assert.equal(await p, 'x')
})

test('addAfter delays and keeps the earliest deadline per key', async () => {
  const clock = new FakeClock(0)
  const q = new WorkQueue<string>({ clock })
  q.addAfter('a', 100)
  q.addAfter('a', 50)
  q.addAfter('a', 500)
  await clock.advance(49)
  assert.equal(q.length(), 0)
  await clock.advance(1)
  assert.equal(q.length(), 1)
  await clock.advance(1000)
  assert.equal(q.length(), 1, 'the later deadlines were dropped')
})

test('addRateLimited backs off exponentially until forget', async () => {
  const clock = new FakeClock(0)
  const q = new WorkQueue<string>({ clock, rateLimiter: new ItemExponentialRateLimiter(5, 1000) })
  q.addRateLimited('a')
  q.addRateLimited('a')
  assert.equal(q.numRequeues('a'), 2)
  await clock.advance(5)
  assert.equal(q.length(), 1, 'the earliest deadline (5 ms) wins')
  q.forget('a')
  assert.equal(q.numRequeues('a'), 0)
})

test('shutdown wakes waiting workers with undefined and refuses new keys', async () => {
  const clock = new FakeClock(0)
  const q = new WorkQueue<string>({ clock })
  const p = q.get()
  q.addAfter('late', 10)
  q.shutdown()
  assert.equal(await p, undefined)
  q.add('b')
  await clock.advance(20)
  assert.equal(q.length(), 0)
  assert.equal(await q.get(), undefined)
  assert.equal(clock.pending(), 0)
})

test('get resolves undefined when its signal aborts', async () => {
  const q = new WorkQueue<string>()
  const ac = new AbortController()
  const p = q.get(ac.signal)
  ac.abort()
  assert.equal(await p, undefined)
  q.add('a')
  assert.equal(await q.get(), 'a', 'the aborted getter did not swallow the key')
})

test('many workers never process the same key concurrently', async () => {
  const q = new WorkQueue<number>()
  const active = new Set<number>()
  let overlaps = 0
  let processed = 0
  const worker = async () => {
    for (;;) {
      const k = await q.get()
      if (k === undefined) return
      if (active.has(k)) overlaps++
      active.add(k)
      await new Promise(r => setImmediate(r))
      active.delete(k)
      processed++
      q.done(k)
    }
  }
  const workers = Array.from({ length: 8 }, worker)
  for (let round = 0; round < 50; round++) {
    for (let k = 0; k < 5; k++) q.add(k)
    await new Promise(r => setImmediate(r))
  }
  while (q.length() > 0) await new Promise(r => setImmediate(r))
  await new Promise(r => setImmediate(r))
  q.shutdown()
  await Promise.all(workers)
  assert.equal(overlaps, 0)
  assert.ok(processed >= 5)
})
