/**
 * Informer unit tests against a tiny fake API server written here: it serves paged lists and an
 * NDJSON watch with a compaction point, so paging, re-watch, 410 re-list and bookmarks are exercised
 * over real HTTP without the real API server.
 */
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, test } from 'node:test'
import type { KObject } from '../api/meta.js'
import { byLabel } from './indexers.js'
import { Informer } from './informer.js'
import { CONFIG_MAPS } from './resources.js'
import { RestClient } from './rest-client.js'

interface Ev {
  rv: number
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'
  object: KObject
}

/** A fake server for one namespaced resource (configmaps in "ns"). */
class FakeApi {
  rv = 0
  compactedBelow = 0
  items = new Map<string, KObject>()
  history: Ev[] = []
  watchers = new Set<{ res: http.ServerResponse; from: number }>()
  lists = 0
  watches: string[] = []
  server = http.createServer((req, res) => this.handle(req, res))

  async start(): Promise<string> {
    await new Promise<void>(r => this.server.listen(0, '127.0.0.1', r))
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  write(type: 'ADDED' | 'MODIFIED' | 'DELETED', name: string, data: Record<string, string> = {}) {
    const rv = ++this.rv
    const base = this.items.get(name)
    const object: KObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { ...(base?.metadata ?? { name, namespace: 'ns', uid: `uid-${name}` }), resourceVersion: String(rv) },
      data,
    }
    if (type === 'DELETED') this.items.delete(name)
    else this.items.set(name, object)
    this.publish({ rv, type, object })
  }

  bookmark() {
    this.publish({ rv: ++this.rv, type: 'BOOKMARK', object: { metadata: { resourceVersion: String(this.rv) } } })
  }

  publish(ev: Ev) {
    this.history.push(ev)
    for (const w of this.watchers)
      if (ev.rv > w.from) w.res.write(`${JSON.stringify({ type: ev.type, object: ev.object })}\n`)
  }

  /** Ends every open watch, as a server-side timeout does. */
  endWatches() {
    for (const w of this.watchers) w.res.end()
    this.watchers.clear()
  }

  handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url!, 'http://x')
    assert.equal(url.pathname, '/api/v1/namespaces/ns/configmaps')
    if (url.searchParams.get('watch') === 'true') return this.watch(url, res)
    this.lists++
    const all = [...this.items.values()].sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!))
    const limit = Number(url.searchParams.get('limit') ?? all.length)
    const start = Number(url.searchParams.get('continue') ?? 0)
    // Items of a real list carry no kind/apiVersion.
    const page = all.slice(start, start + limit).map(({ kind: _k, apiVersion: _a, ...rest }) => rest)
    const more = start + limit < all.length
    res.setHeader('content-type', 'application/json')
    res.end(
      JSON.stringify({
        kind: 'ConfigMapList',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(this.rv), continue: more ? String(start + limit) : undefined },
        items: page,
      }),
    )
  }

  watch(url: URL, res: http.ServerResponse) {
    const from = Number(url.searchParams.get('resourceVersion'))
    this.watches.push(`${from}:${url.searchParams.get('allowWatchBookmarks')}`)
    res.writeHead(200, { 'content-type': 'application/json' })
    if (from < this.compactedBelow) {
      const status = {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        code: 410,
        reason: 'Expired',
        message: 'too old resource version',
      }
      res.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`)
      return
    }
    for (const ev of this.history)
      if (ev.rv > from) res.write(`${JSON.stringify({ type: ev.type, object: ev.object })}\n`)
    const w = { res, from }
    this.watchers.add(w)
    res.on('close', () => this.watchers.delete(w))
  }
}

const api = new FakeApi()
let client: RestClient

before(async () => {
  client = new RestClient({ server: await api.start() })
})
after(() => {
  api.endWatches()
  client.close()
  api.server.close()
})

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !cond(); i++) await new Promise(r => setTimeout(r, 5))
  assert.ok(cond(), `timed out waiting for ${what}`)
}

test('informer: paged list, watch, re-watch, bookmarks, 410 re-list, frozen cache', async () => {
  for (const n of ['a', 'b', 'c', 'd', 'e']) api.write('ADDED', n, { app: n })
  const log: string[] = []
  const ac = new AbortController()
  const inf = new Informer(client, CONFIG_MAPS, {
    namespace: 'ns',
    pageSize: 2,
    backoff: { initialMs: 5, maxMs: 20 },
    indexers: { app: obj => [String((obj.data as Record<string, string>).app)] },
  })
  inf.addEventHandler({
    onAdd: o => log.push(`add ${o.metadata.name}`),
    onUpdate: (o, n) =>
      log.push(`update ${o.metadata.name} ${o.metadata.resourceVersion}->${n.metadata.resourceVersion}`),
    onDelete: o => log.push(`delete ${o.metadata.name}`),
  })
  const running = inf.run(ac.signal)
  assert.equal(await inf.waitForSync(ac.signal), true)
  assert.equal(api.lists, 3, 'five items in pages of two')
  assert.deepEqual(log.splice(0), ['add a', 'add b', 'add c', 'add d', 'add e'])

  // Cached objects get kind/apiVersion and are frozen.
  const a = inf.lister.get('ns/a')!
  assert.equal(a.kind, 'ConfigMap')
  assert.equal(a.apiVersion, 'v1')
  assert.throws(() => {
    ;(a.metadata as { name: string }).name = 'x'
  }, TypeError)
  assert.deepEqual(
    inf.cache.byIndex('app', 'c').map(o => o.metadata.name),
    ['c'],
  )

  await until(() => api.watchers.size === 1, 'the watch')
  assert.equal(api.watches[0], '5:true', 'watch from the list RV with bookmarks')
  api.write('MODIFIED', 'a', { app: 'z' })
  api.write('DELETED', 'b')
  api.write('ADDED', 'f', { app: 'f' })
  await until(() => log.length === 3, 'three events')
  assert.deepEqual(log.splice(0), ['update a 1->6', 'delete b', 'add f'])
  assert.deepEqual(
    inf.cache.byIndex('app', 'z').map(o => o.metadata.name),
    ['a'],
  )
  assert.deepEqual(inf.cache.byIndex('app', 'a'), [])

  // A bookmark moves the RV; a normal stream end re-watches from it without re-listing.
  api.bookmark()
  await until(() => inf.lastResourceVersion() === '9', 'the bookmark')
  api.endWatches()
  await until(() => api.watches.length === 2 && api.watchers.size === 1, 'the re-watch')
  assert.equal(api.watches[1], '9:true')
  assert.equal(api.lists, 3)

  // Changes while the watch is down and the RV compacted: 410 → re-list → synthesized diff.
  for (const w of api.watchers) w.res.destroy()
  api.watchers.clear()
  api.compactedBelow = 100
  api.history = []
  api.items.delete('c')
  api.write('MODIFIED', 'd', { app: 'd2' })
  api.rv = 100
  await until(() => log.length === 2, 'the re-list diff')
  assert.deepEqual(log.sort(), ['delete c', 'update d 4->10'])
  assert.equal(inf.lastResourceVersion(), '100')
  assert.ok(api.lists >= 4)

  ac.abort()
  await running
})

test('informer: a handler added after sync receives the cached objects as adds', async () => {
  const inf = new Informer(client, CONFIG_MAPS, { namespace: 'ns', backoff: { initialMs: 5, maxMs: 20 } })
  const idx = byLabel('none')
  inf.addIndexers({ none: idx })
  const ac = new AbortController()
  const running = inf.run(ac.signal)
  await inf.waitForSync(ac.signal)
  const seen: string[] = []
  inf.addEventHandler({ onAdd: o => seen.push(o.metadata.name!) })
  assert.deepEqual(seen.sort(), [...api.items.keys()].sort())
  ac.abort()
  await running
  assert.equal(await new Informer(client, CONFIG_MAPS).waitForSync(AbortSignal.abort()), false)
})
