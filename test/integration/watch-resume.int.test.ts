/**
 * Watch over the real HTTP API: across a disconnect and a resume from the last seen
 * resourceVersion no event is lost or repeated, while writers keep creating objects; a
 * version older than the watch cache's window gets 410 Expired, as kube-apiserver answers.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type ApiServer, startApiServer } from '../../src/apiserver/server.js'
import { CONFIG_MAPS } from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { isExpired } from '../../src/machinery/status-error.js'
import { openStore } from '../../src/storage/registry.js'
import type { Store } from '../../src/storage/store.js'

let api: ApiServer
let store: Store
let client: RestClient

before(async () => {
  store = await openStore('memory:')
  // History written before the server starts lies outside its watch cache window.
  await store.create(
    '/registry/core/configmaps/default/before-start',
    JSON.stringify({ metadata: { name: 'before-start' } }),
  )
  await store.create(
    '/registry/core/configmaps/default/also-before',
    JSON.stringify({ metadata: { name: 'also-before' } }),
  )
  api = await startApiServer({ store, listen: { host: '127.0.0.1', port: 0 } })
  client = new RestClient({ server: api.url, token: api.token, ca: api.ca })
})
after(async () => {
  await api?.close()
  await store?.close()
})

test('no watch event is lost or repeated across a disconnect and resume', async () => {
  const total = 300
  const list = await client.list(CONFIG_MAPS, { namespace: 'default' })
  let rv = list.metadata.resourceVersion!
  const seen = new Map<string, number>()
  const writers = (async () => {
    const names = Array.from({ length: total }, (_, i) => `cm-${i}`)
    const workers = Array.from({ length: 16 }, async (_, w) => {
      for (let i = w; i < names.length; i += 16)
        await client.create(
          CONFIG_MAPS,
          { metadata: { name: names[i] }, data: { i: String(i) } },
          { namespace: 'default' },
        )
    })
    await Promise.all(workers)
  })()
  let disconnects = 0
  while (seen.size < total) {
    const abort = new AbortController()
    let received = 0
    try {
      for await (const ev of client.watch(CONFIG_MAPS, {
        namespace: 'default',
        resourceVersion: rv,
        signal: abort.signal,
      })) {
        const name = ev.object.metadata.name!
        assert.equal(ev.type, 'ADDED', name)
        seen.set(name, (seen.get(name) ?? 0) + 1)
        rv = ev.object.metadata.resourceVersion!
        if (++received === 40 && seen.size < total) {
          disconnects++
          abort.abort()
        }
        if (seen.size === total) abort.abort()
      }
    } catch (e) {
      if (!abort.signal.aborted) throw e
    }
  }
  await writers
  assert.ok(disconnects >= 3, `only ${disconnects} disconnects`)
  assert.equal(seen.size, total)
  for (const [name, count] of seen) assert.equal(count, 1, `${name} delivered ${count} times`)
})

test('a resourceVersion older than the watch window gets 410 Expired', async () => {
  await assert.rejects(
    async () => {
      for await (const _ of client.watch(CONFIG_MAPS, { namespace: 'default', resourceVersion: '1' })) break
    },
    e => isExpired(e),
  )
})

test('watch with resourceVersion 0 starts with the current objects as ADDED', async () => {
  const abort = new AbortController()
  const names: string[] = []
  for await (const ev of client.watch(CONFIG_MAPS, {
    namespace: 'default',
    resourceVersion: '0',
    signal: abort.signal,
  })) {
    assert.equal(ev.type, 'ADDED')
    names.push(ev.object.metadata.name!)
    if (names.length === 302) break
  }
  assert.ok(names.includes('before-start'))
  assert.ok(names.includes('cm-299'))
})
