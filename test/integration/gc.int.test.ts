/**
 * The garbage collector against the real API server (memory store): background, foreground and
 * orphan propagation, dangling references with a live co-owner, and a StatefulSet owner when
 * the apps group is served. Real discovery, real informers, real REST client.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { KObject, OwnerReference } from '../../src/api/meta.js'
import { type ApiServer, startApiServer } from '../../src/apiserver/server.js'
import { discoverResources } from '../../src/client/discovery.js'
import { CONFIG_MAPS, NAMESPACES, type ResourceRef, SECRETS, STATEFUL_SETS } from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { GarbageCollector } from '../../src/controllers/garbage-collector/collector.js'
import { Manager } from '../../src/controllers/runtime/manager.js'
import { isNotFound } from '../../src/machinery/status-error.js'
import { openStore } from '../../src/storage/registry.js'
import type { Store } from '../../src/storage/store.js'

let store: Store
let server: ApiServer
let client: RestClient
let gc: GarbageCollector
const stop = new AbortController()
let running: Promise<void>
const ns = 'gc-test'

before(async () => {
  store = await openStore('memory:')
  server = await startApiServer({ store, listen: { host: '127.0.0.1', port: 0 } })
  client = new RestClient({ server: server.url, token: server.token, ca: server.ca })
  await client.create(NAMESPACES, { metadata: { name: ns } })
  const manager = new Manager({ client })
  gc = new GarbageCollector({ client, informers: manager.informers })
  manager.add(gc)
  running = manager.start(stop.signal)
})

after(async () => {
  stop.abort()
  await running
  client.close()
  await server.close()
  await store.close()
})

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await cond()) return
    await new Promise(r => setTimeout(r, 20))
  }
  assert.fail(`timed out waiting for ${what}`)
}

const gone = (ref: ResourceRef, name: string) => async () =>
  isNotFound(await client.get(ref, name, { namespace: ns }).catch(e => e))

function ownedBy(owner: KObject, kind: string, apiVersion = 'v1', block = false): OwnerReference[] {
  return [
    {
      apiVersion,
      kind,
      name: owner.metadata.name!,
      uid: owner.metadata.uid!,
      ...(block ? { blockOwnerDeletion: true, controller: true } : {}),
    },
  ]
}

function create(ref: ResourceRef, name: string, extra: Partial<KObject['metadata']> = {}): Promise<KObject> {
  return client.create(ref, { metadata: { name, namespace: ns, ...extra } })
}

test('background: deleting the owner deletes its dependents; a live co-owner keeps a dependent', async () => {
  const owner = await create(CONFIG_MAPS, 'bg-owner')
  const other = await create(CONFIG_MAPS, 'bg-other')
  await create(CONFIG_MAPS, 'bg-dep', { ownerReferences: ownedBy(owner, 'ConfigMap') })
  await create(SECRETS, 'bg-secret', { ownerReferences: ownedBy(owner, 'ConfigMap') })
  await create(CONFIG_MAPS, 'bg-shared', {
    ownerReferences: [...ownedBy(owner, 'ConfigMap'), ...ownedBy(other, 'ConfigMap')],
  })
  await client.delete(CONFIG_MAPS, 'bg-owner', { namespace: ns, propagationPolicy: 'Background' })
  await until(gone(CONFIG_MAPS, 'bg-dep'), 'bg-dep deleted')
  await until(gone(SECRETS, 'bg-secret'), 'bg-secret deleted')
  await until(async () => {
    const shared = await client.get(CONFIG_MAPS, 'bg-shared', { namespace: ns })
    return shared.metadata.ownerReferences?.length === 1
  }, 'dangling reference removed from bg-shared')
  const shared = await client.get(CONFIG_MAPS, 'bg-shared', { namespace: ns })
  assert.equal(shared.metadata.ownerReferences![0]!.uid, other.metadata.uid)
})

test('a dependent whose owner never existed is collected', async () => {
  await create(CONFIG_MAPS, 'stray', {
    ownerReferences: [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000000' },
    ],
  })
  await until(gone(CONFIG_MAPS, 'stray'), 'stray deleted')
})

test('foreground: the owner stays until its blocking dependents are gone, then is deleted', async () => {
  const owner = await create(CONFIG_MAPS, 'fg-owner')
  await create(CONFIG_MAPS, 'fg-dep', {
    ownerReferences: ownedBy(owner, 'ConfigMap', 'v1', true),
    finalizers: ['example.com/hold'],
  })
  await create(CONFIG_MAPS, 'fg-dep-2', { ownerReferences: ownedBy(owner, 'ConfigMap', 'v1', true) })
  await client.delete(CONFIG_MAPS, 'fg-owner', { namespace: ns, propagationPolicy: 'Foreground' })
  await until(gone(CONFIG_MAPS, 'fg-dep-2'), 'fg-dep-2 deleted')
  await until(
    async () => !!(await client.get(CONFIG_MAPS, 'fg-dep', { namespace: ns })).metadata.deletionTimestamp,
    'fg-dep marked',
  )
  const held = await client.get(CONFIG_MAPS, 'fg-owner', { namespace: ns })
  assert.ok(held.metadata.deletionTimestamp, 'owner is being deleted')
  assert.ok(held.metadata.finalizers?.includes('foregroundDeletion'), 'owner held by foregroundDeletion')

  // Watch the owner so we see its DELETED event once the last blocking dependent is gone.
  const events: string[] = []
  const ac = new AbortController()
  const watching = (async () => {
    for await (const ev of client.watch(CONFIG_MAPS, {
      namespace: ns,
      fieldSelector: 'metadata.name=fg-owner',
      resourceVersion: held.metadata.resourceVersion,
      signal: ac.signal,
    })) {
      events.push(ev.type)
      if (ev.type === 'DELETED') return
    }
  })()
  await client.patch(CONFIG_MAPS, 'fg-dep', { namespace: ns, type: 'merge', body: { metadata: { finalizers: null } } })
  await until(() => events.includes('DELETED'), 'owner DELETED event')
  ac.abort()
  await watching
  assert.ok(await gone(CONFIG_MAPS, 'fg-owner')())
})

test('orphan: dependents survive with the owner reference removed', async () => {
  const owner = await create(CONFIG_MAPS, 'or-owner')
  await create(CONFIG_MAPS, 'or-dep', { ownerReferences: ownedBy(owner, 'ConfigMap', 'v1', true) })
  await create(SECRETS, 'or-secret', { ownerReferences: ownedBy(owner, 'ConfigMap') })
  await client.delete(CONFIG_MAPS, 'or-owner', { namespace: ns, propagationPolicy: 'Orphan' })
  await until(gone(CONFIG_MAPS, 'or-owner'), 'or-owner deleted')
  const dep = await client.get(CONFIG_MAPS, 'or-dep', { namespace: ns })
  const secret = await client.get(SECRETS, 'or-secret', { namespace: ns })
  assert.deepEqual(dep.metadata.ownerReferences ?? [], [])
  assert.deepEqual(secret.metadata.ownerReferences ?? [], [])
  await new Promise(r => setTimeout(r, 200))
  assert.ok(await client.get(CONFIG_MAPS, 'or-dep', { namespace: ns }), 'still there later')
})

test('a StatefulSet owner (when apps/v1 is served): dependents go with it', async t => {
  const served = await discoverResources(client)
  if (!served.resources.some(r => r.group === 'apps' && r.resource === 'statefulsets')) {
    t.skip('apps/v1 statefulsets not served yet')
    return
  }
  const labels = { app: 'web' }
  const set = await client.create(STATEFUL_SETS, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: ns },
    spec: {
      replicas: 0,
      serviceName: 'web',
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    },
  })
  await create(CONFIG_MAPS, 'web-config', { ownerReferences: ownedBy(set, 'StatefulSet', 'apps/v1', true) })
  await client.delete(STATEFUL_SETS, 'web', { namespace: ns })
  await until(gone(CONFIG_MAPS, 'web-config'), 'web-config deleted')
})
