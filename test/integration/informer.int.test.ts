/**
 * Client layer against the real API server (memory store, TLS, token auth): REST verbs and their
 * StatusErrors, informers (paged list, watch events, frozen cache, selectors, shared factory)
 * and the EventRecorder's aggregation.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Event } from '../../src/api/core.js'
import type { KObject } from '../../src/api/meta.js'
import { type ApiServer, startApiServer } from '../../src/apiserver/server.js'
import { EventRecorder } from '../../src/client/events.js'
import { Informer } from '../../src/client/informer.js'
import { InformerFactory } from '../../src/client/informer-factory.js'
import { CONFIG_MAPS, EVENTS, NAMESPACES } from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { withRetryOnConflict } from '../../src/client/retry.js'
import { HttpTransport, type Transport, type TransportRequest } from '../../src/client/transport.js'
import { isAlreadyExists, isConflict, isNotFound } from '../../src/machinery/status-error.js'
import { openStore } from '../../src/storage/registry.js'
import type { Store } from '../../src/storage/store.js'

let store: Store
let server: ApiServer
let client: RestClient
const ns = 'informer-test'

before(async () => {
  store = await openStore('memory:')
  server = await startApiServer({ store, listen: { host: '127.0.0.1', port: 0 } })
  client = new RestClient({ server: server.url, token: server.token, ca: server.ca })
  await client.create(NAMESPACES, { metadata: { name: ns } })
})

after(async () => {
  client.close()
  await server.close()
  await store.close()
})

const cm = (name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, labels },
  data,
})

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await cond()) return
    await new Promise(r => setTimeout(r, 10))
  }
  assert.fail(`timed out waiting for ${what}`)
}

test('REST verbs and StatusErrors over TLS with a bearer token', async () => {
  const created = await client.create(CONFIG_MAPS, cm('verbs', {}, { a: '1' }))
  assert.ok(created.metadata.uid)
  assert.ok(isAlreadyExists(await client.create(CONFIG_MAPS, cm('verbs')).catch(e => e)))
  assert.ok(isNotFound(await client.get(CONFIG_MAPS, 'nope', { namespace: ns }).catch(e => e)))
  const got = await client.get(CONFIG_MAPS, 'verbs', { namespace: ns })
  const updated = await client.update(CONFIG_MAPS, { ...got, data: { a: '2' } })
  assert.ok(isConflict(await client.update(CONFIG_MAPS, { ...got, data: { a: '3' } }).catch(e => e)), 'stale RV')
  const patched = await client.patch(CONFIG_MAPS, 'verbs', { namespace: ns, type: 'merge', body: { data: { b: '1' } } })
  assert.deepEqual(patched.data, { a: '2', b: '1' })
  assert.notEqual(patched.metadata.resourceVersion, updated.metadata.resourceVersion)
  let attempts = 0
  await withRetryOnConflict(async () => {
    const cur = await client.get(CONFIG_MAPS, 'verbs', { namespace: ns })
    if (attempts++ === 0)
      await client.patch(CONFIG_MAPS, 'verbs', { namespace: ns, type: 'merge', body: { data: { c: '1' } } })
    await client.update(CONFIG_MAPS, { ...cur, data: { done: 'yes' } })
  })
  assert.equal(attempts, 2)
  await client.delete(CONFIG_MAPS, 'verbs', { namespace: ns })
  assert.ok(isNotFound(await client.get(CONFIG_MAPS, 'verbs', { namespace: ns }).catch(e => e)))
  const unauth = new RestClient({ server: server.url, ca: server.ca, token: 'wrong' })
  const err = await unauth.get(CONFIG_MAPS, 'x', { namespace: ns }).catch(e => e)
  assert.equal(err.status?.code, 401)
  unauth.close()
})

test('informers list in pages, follow watch events, share per factory and freeze objects', async () => {
  for (let i = 0; i < 7; i++) await client.create(CONFIG_MAPS, cm(`inf-${i}`, { app: i % 2 ? 'odd' : 'even' }))
  const factory = new InformerFactory(client, { informerDefaults: { pageSize: 3 } })
  const all = factory.forResource(CONFIG_MAPS, { namespace: ns })
  assert.equal(factory.forResource(CONFIG_MAPS, { namespace: ns }), all, 'shared')
  const odd = factory.forResource(CONFIG_MAPS, { namespace: ns, labelSelector: 'app=odd' })
  assert.notEqual(odd, all)
  const log: string[] = []
  all.addEventHandler({
    onAdd: o => log.push(`add ${o.metadata.name}`),
    onUpdate: (_, o) => log.push(`update ${o.metadata.name}`),
    onDelete: o => log.push(`delete ${o.metadata.name}`),
  })
  const ac = new AbortController()
  factory.start(ac.signal)
  assert.equal(await factory.waitForSync(ac.signal), true)
  const names = () => all.lister.list({ namespace: ns }).filter(o => o.metadata.name!.startsWith('inf-'))
  assert.equal(names().length, 7)
  assert.equal(odd.lister.list().length, 3)
  const first = all.lister.get(`${ns}/inf-0`)!
  assert.equal(first.kind, 'ConfigMap')
  assert.throws(() => {
    ;(first.metadata.labels as Record<string, string>).app = 'mutated'
  }, TypeError)

  log.length = 0
  await client.create(CONFIG_MAPS, cm('inf-new', { app: 'odd' }))
  await client.patch(CONFIG_MAPS, 'inf-0', { namespace: ns, type: 'merge', body: { data: { x: 'y' } } })
  await client.delete(CONFIG_MAPS, 'inf-1', { namespace: ns })
  await until(() => log.length >= 3, 'three watch events')
  assert.deepEqual(log, ['add inf-new', 'update inf-0', 'delete inf-1'])
  await until(() => odd.lister.list().length === 3, 'the odd informer to see add and delete')
  assert.ok(odd.lister.get(`${ns}/inf-new`))
  assert.equal(all.lastResourceVersion() !== '', true)
  ac.abort()
  await factory.stopped()
})

test('the event recorder creates events and aggregates repeats into count', async () => {
  const subject = await client.create(CONFIG_MAPS, cm('evented'))
  const rec = new EventRecorder(client, { component: 'test-controller' })
  const obj = { ...subject, apiVersion: 'v1', kind: 'ConfigMap' }
  rec.event(obj, { type: 'Normal', reason: 'Tested', message: 'it works' })
  rec.event(obj, { type: 'Normal', reason: 'Tested', message: 'it works' })
  rec.event(obj, { type: 'Warning', reason: 'Other', message: 'different' })
  await rec.flush()
  const events = (await client.list<Event>(EVENTS, { namespace: ns })).items.filter(
    e => e.involvedObject.name === 'evented',
  )
  const tested = events.find(e => e.reason === 'Tested')!
  assert.equal(events.length, 2)
  assert.equal(tested.count, 2)
  assert.equal(tested.source?.component, 'test-controller')
  assert.equal(tested.involvedObject.uid, subject.metadata.uid)
  assert.match(tested.metadata.name!, /^evented\.[0-9a-f]+$/)
})

test('an informer re-watches from its last resourceVersion when the server ends the watch', async () => {
  const counts = { lists: 0, watches: 0 }
  const inner = new HttpTransport({ server: server.url, ca: server.ca })
  const counting: Transport = {
    request(req: TransportRequest) {
      if (req.path.includes('/configmaps')) {
        if (req.path.includes('watch=true')) counts.watches++
        else counts.lists++
      }
      return inner.request(req)
    },
    close: () => inner.close(),
  }
  const c = new RestClient({ server: server.url, token: server.token, transport: counting })
  const inf = new Informer(c, CONFIG_MAPS, { namespace: ns, watchTimeoutSeconds: () => 1 })
  const added: string[] = []
  inf.addEventHandler({ onAdd: o => added.push(o.metadata.name!) })
  const ac = new AbortController()
  const running = inf.run(ac.signal)
  await inf.waitForSync(ac.signal)
  await until(() => counts.watches >= 2, 'a second watch after the 1 s server timeout')
  await client.create(CONFIG_MAPS, cm('after-rewatch'))
  await until(() => added.includes('after-rewatch'), 'the event on the new watch')
  assert.equal(counts.lists, 1, 'no re-list for a normal end of the watch')
  ac.abort()
  await running
  c.close()
})
