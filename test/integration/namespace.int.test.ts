/**
 * The namespace controller against the real API server (memory store): deleting a namespace
 * empties it (including pods stuck terminating, force-deleted while no node agent exists), sets
 * the deletion conditions, and finalizes it so the server removes it; an object with a
 * finalizer holds the namespace (NamespaceFinalizersRemaining) until the finalizer goes.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Namespace } from '../../src/api/core.js'
import { type ApiServer, startApiServer } from '../../src/apiserver/server.js'
import { CONFIG_MAPS, NAMESPACES, PODS, SECRETS } from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { GarbageCollector } from '../../src/controllers/garbage-collector/collector.js'
import { NamespaceController } from '../../src/controllers/namespace/controller.js'
import { Manager } from '../../src/controllers/runtime/manager.js'
import { isNotFound } from '../../src/machinery/status-error.js'
import { openStore } from '../../src/storage/registry.js'
import type { Store } from '../../src/storage/store.js'

let store: Store
let server: ApiServer
let client: RestClient
const stop = new AbortController()
let running: Promise<void>

before(async () => {
  store = await openStore('memory:')
  server = await startApiServer({ store, listen: { host: '127.0.0.1', port: 0 } })
  client = new RestClient({ server: server.url, token: server.token, ca: server.ca })
  const manager = new Manager({ client })
  manager.add(new NamespaceController({ client, informers: manager.informers, recheckAfterMs: 100 }))
  manager.add(new GarbageCollector({ client, informers: manager.informers }))
  running = manager.start(stop.signal)
})

after(async () => {
  stop.abort()
  await running
  client.close()
  await server.close()
  await store.close()
})

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await cond()) return
    await new Promise(r => setTimeout(r, 25))
  }
  assert.fail(`timed out waiting for ${what}`)
}

const namespaceGone = (name: string) => async () => isNotFound(await client.get(NAMESPACES, name).catch(e => e))

test('deleting a namespace deletes its content and then the namespace', async () => {
  const ns = 'doomed'
  await client.create(NAMESPACES, { metadata: { name: ns } })
  for (let i = 0; i < 5; i++) await client.create(CONFIG_MAPS, { metadata: { name: `cm-${i}`, namespace: ns } })
  await client.create(SECRETS, { metadata: { name: 's', namespace: ns }, stringData: { k: 'v' } })
  await client.create(PODS, {
    metadata: { name: 'p', namespace: ns },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  })
  // A scheduled pod is deleted gracefully (it stays Terminating): the controller force-deletes it.
  await client.create(PODS, {
    metadata: { name: 'scheduled', namespace: ns },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox' }] },
  })
  await client.delete(PODS, 'scheduled', { namespace: ns })
  const marked = await client.get(PODS, 'scheduled', { namespace: ns })
  assert.ok(marked.metadata.deletionTimestamp, 'graceful deletion leaves the pod terminating')
  await client.delete(NAMESPACES, ns)
  const terminating = await client.get<Namespace>(NAMESPACES, ns).catch(() => undefined)
  if (terminating) assert.equal(terminating.status?.phase, 'Terminating')
  await until(namespaceGone(ns), 'the namespace to disappear')
  for (const ref of [CONFIG_MAPS, SECRETS, PODS]) {
    const left = await client.list(ref, { namespace: ns })
    assert.deepEqual(
      left.items.map(o => o.metadata.name),
      [],
      `${ref.resource} left behind`,
    )
  }
})

test('content with a finalizer holds the namespace, with conditions, until the finalizer goes', async () => {
  const ns = 'held'
  await client.create(NAMESPACES, { metadata: { name: ns } })
  await client.create(CONFIG_MAPS, { metadata: { name: 'keep', namespace: ns, finalizers: ['example.com/hold'] } })
  await client.create(CONFIG_MAPS, { metadata: { name: 'free', namespace: ns } })
  await client.delete(NAMESPACES, ns)
  await until(async () => {
    const cur = await client.get<Namespace>(NAMESPACES, ns)
    const c = cur.status?.conditions?.find(x => x.type === 'NamespaceFinalizersRemaining')
    return c?.status === 'True'
  }, 'NamespaceFinalizersRemaining=True')
  const cur = await client.get<Namespace>(NAMESPACES, ns)
  const byType = Object.fromEntries((cur.status?.conditions ?? []).map(c => [c.type, c]))
  assert.equal(
    byType.NamespaceFinalizersRemaining!.message,
    'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
  )
  assert.equal(byType.NamespaceContentRemaining!.reason, 'SomeResourcesRemain')
  assert.equal(byType.NamespaceDeletionDiscoveryFailure!.status, 'False')
  assert.equal(cur.status?.phase, 'Terminating')
  assert.ok(isNotFound(await client.get(CONFIG_MAPS, 'free', { namespace: ns }).catch(e => e)))

  await client.patch(CONFIG_MAPS, 'keep', { namespace: ns, type: 'merge', body: { metadata: { finalizers: null } } })
  await until(namespaceGone(ns), 'the namespace to disappear once the finalizer is removed')
})
