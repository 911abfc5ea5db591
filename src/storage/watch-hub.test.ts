/**
 * WatchHub edge cases the Store contract cannot reach through a real backend: compaction
 * between replay batches, throwing handlers, future start revisions, close.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { StoreEvent } from './store.js'
import { type EventSource, WatchHub } from './watch-hub.js'

/** A log of puts to /k/<rev>, revisions 1..head, readable through the EventSource shape. */
function fakeLog(head: number) {
  const log: StoreEvent[] = []
  const put = (rev: number): StoreEvent => ({
    type: 'put',
    kv: { key: `/k/${rev}`, value: 'v', createRevision: rev, modRevision: rev },
  })
  for (let r = 1; r <= head; r++) log.push(put(r))
  const state = { head, compacted: 0, onRead: () => {} }
  const source: EventSource = {
    readEvents: (prefix, after, upto, limit) => {
      state.onRead()
      return log
        .filter(e => e.kv.modRevision > after && e.kv.modRevision <= upto && e.kv.key.startsWith(prefix))
        .slice(0, limit)
    },
    headRevision: () => state.head,
    compactedRevision: () => state.compacted,
  }
  const append = (): StoreEvent => {
    const e = put(++state.head)
    log.push(e)
    return e
  }
  return { source, state, append }
}

const nextError = (hub: WatchHub, from: number, onEvents: (e: StoreEvent[]) => void = () => {}) =>
  new Promise<Error>(resolve => hub.watch('/k/', from, onEvents, resolve))

test('a compaction between two replay batches ends the watch with Compacted', async () => {
  const { source, state } = fakeLog(10)
  const hub = new WatchHub(source, 3)
  let reads = 0
  state.onRead = () => {
    if (++reads === 2) state.compacted = 8
  }
  const seen: number[] = []
  const err = await nextError(hub, 0, events => seen.push(...events.map(e => e.kv.modRevision)))
  assert.equal((err as { code?: string }).code, 'Compacted')
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 6])
})

test('live events wait for the replay to finish and are never delivered twice', async () => {
  const { source, append } = fakeLog(5)
  const hub = new WatchHub(source, 2)
  const seen: number[] = []
  const done = new Promise<void>(resolve =>
    hub.watch('/k/', 0, events => {
      seen.push(...events.map(e => e.kv.modRevision))
      if (seen.length === 7) resolve()
    }),
  )
  hub.publish([append(), append()])
  await done
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7])
})

test('a throwing handler is stopped and its error reported', async () => {
  const { source, append } = fakeLog(0)
  const hub = new WatchHub(source)
  const calls: number[] = []
  const failed = nextError(hub, 0, events => {
    calls.push(events.length)
    throw new Error('handler bug')
  })
  await new Promise(r => setImmediate(r))
  hub.publish([append()])
  assert.equal((await failed).message, 'handler bug')
  hub.publish([append()])
  await new Promise(r => setImmediate(r))
  assert.deepEqual(calls, [1])
  assert.equal(hub.size, 0)
})

test('a start revision in the future skips events up to it', async () => {
  const { source, append } = fakeLog(2)
  const hub = new WatchHub(source)
  const got = new Promise<StoreEvent[]>(resolve => hub.watch('/k/', 4, resolve))
  hub.publish([append(), append(), append()])
  assert.deepEqual(
    (await got).map(e => e.kv.modRevision),
    [5],
  )
})

test('close ends every watch with StoreClosed', async () => {
  const { source } = fakeLog(0)
  const hub = new WatchHub(source)
  const errors = [nextError(hub, 0), nextError(hub, 0)]
  hub.close()
  for (const e of await Promise.all(errors)) assert.equal((e as { code?: string }).code, 'StoreClosed')
})
