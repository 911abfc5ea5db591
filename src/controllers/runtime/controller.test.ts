/**
 * Controller unit tests with a hand-driven Source and a FakeClock: cache-sync gating, key mapping
 * (for/owns), the Result contract (done, requeueAfter, retry with backoff, TerminalError) and
 * one-key-one-worker.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { KObject } from '../../api/meta.js'
import { FakeClock } from '../../client/clock.js'
import type { EventHandler } from '../../client/informer.js'
import { ItemExponentialRateLimiter } from '../../client/ratelimit.js'
import { Controller, type Source } from './controller.js'
import { done, requeueAfter, TerminalError } from './result.js'

class FakeSource implements Source<KObject> {
  handlers: EventHandler<KObject>[] = []
  synced = false
  private waiters: (() => void)[] = []
  addEventHandler(h: EventHandler<KObject>) {
    this.handlers.push(h)
    return { remove: () => {} }
  }
  hasSynced() {
    return this.synced
  }
  waitForSync(signal?: AbortSignal) {
    if (this.synced) return Promise.resolve(true)
    return new Promise<boolean>(r => {
      this.waiters.push(() => r(true))
      signal?.addEventListener('abort', () => r(false))
    })
  }
  sync() {
    this.synced = true
    for (const w of this.waiters.splice(0)) w()
  }
  add(o: KObject) {
    for (const h of this.handlers) h.onAdd?.(o)
  }
  update(a: KObject, b: KObject) {
    for (const h of this.handlers) h.onUpdate?.(a, b)
  }
  delete(o: KObject) {
    for (const h of this.handlers) h.onDelete?.(o)
  }
}

const tick = () => new Promise(r => setImmediate(r))
const obj = (name: string, owner?: { kind: string; apiVersion: string; name: string }): KObject => ({
  metadata: {
    name,
    namespace: 'ns',
    ownerReferences: owner ? [{ ...owner, uid: `uid-${owner.name}`, controller: true }] : undefined,
  },
})

test('workers start only after every source synced; for() and owns() map objects to keys', async () => {
  const sets = new FakeSource()
  const pods = new FakeSource()
  const seen: string[] = []
  const reconcile = async (key: string) => {
    seen.push(key)
    return done
  }
  const c = new Controller({ name: 't', workers: 2, reconcile })
  c.for(sets).owns(pods, { kind: 'StatefulSet', group: 'apps' })
  const ac = new AbortController()
  const running = c.run(ac.signal)
  sets.add(obj('web'))
  pods.add(obj('web-0', { kind: 'StatefulSet', apiVersion: 'apps/v1', name: 'web' }))
  pods.add(obj('x', { kind: 'ReplicaSet', apiVersion: 'apps/v1', name: 'rs' }))
  pods.add(obj('y', { kind: 'StatefulSet', apiVersion: 'other/v1', name: 'not-apps' }))
  sets.sync()
  await tick()
  assert.deepEqual(seen, [], 'pods not synced yet')
  pods.sync()
  await tick()
  assert.deepEqual(seen, ['ns/web'], 'deduplicated; foreign owners ignored')
  pods.update(
    obj('web-0', { kind: 'StatefulSet', apiVersion: 'apps/v1', name: 'web' }),
    obj('web-0', { kind: 'StatefulSet', apiVersion: 'apps/v1', name: 'db' }),
  )
  await tick()
  assert.deepEqual(seen.slice(1).sort(), ['ns/db', 'ns/web'], 'old and new owner both woken')
  sets.delete(obj('gone'))
  await tick()
  assert.equal(seen.at(-1), 'ns/gone')
  ac.abort()
  await running
})

test('errors retry with backoff, requeueAfter waits, TerminalError stops', async () => {
  const clock = new FakeClock(0)
  const calls: Record<string, number> = {}
  const c = new Controller({
    name: 't',
    clock,
    rateLimiter: new ItemExponentialRateLimiter(100, 10_000),
    reconcile: async key => {
      calls[key] = (calls[key] ?? 0) + 1
      if (key === 'fail' && calls[key]! < 3) throw new Error('transient')
      if (key === 'terminal') throw new TerminalError('bad spec')
      if (key === 'wait' && calls[key] === 1) return requeueAfter(1000)
      return done
    },
  })
  const ac = new AbortController()
  const running = c.run(ac.signal)
  for (const k of ['fail', 'terminal', 'wait']) c.enqueue(k)
  await clock.advance(0)
  assert.deepEqual(calls, { fail: 1, terminal: 1, wait: 1 })
  await clock.advance(100)
  assert.equal(calls.fail, 2, 'first retry after 100 ms')
  await clock.advance(199)
  assert.equal(calls.fail, 2)
  await clock.advance(1)
  assert.equal(calls.fail, 3, 'second retry after 200 ms more')
  assert.equal(c.queue.numRequeues('fail'), 0, 'success forgets the backoff')
  assert.equal(calls.wait, 1)
  await clock.advance(700)
  assert.equal(calls.wait, 2, 'requeueAfter(1000)')
  await clock.advance(10_000)
  assert.deepEqual(calls, { fail: 3, terminal: 1, wait: 2 })
  ac.abort()
  await running
})

test('one key is never reconciled by two workers at once', async () => {
  let active = 0
  let maxActive = 0
  let calls = 0
  const c = new Controller({
    name: 't',
    workers: 8,
    reconcile: async () => {
      calls++
      maxActive = Math.max(maxActive, ++active)
      await tick()
      active--
      return done
    },
  })
  const ac = new AbortController()
  const running = c.run(ac.signal)
  for (let i = 0; i < 20; i++) {
    c.enqueue('same')
    await tick()
  }
  await tick()
  ac.abort()
  await running
  assert.equal(maxActive, 1)
  assert.ok(calls >= 2)
})
