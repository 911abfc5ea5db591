/**
 * EndpointSlice mirroring against the real API server (memory store): a selector-less Service
 * with custom Endpoints gets a mirrored slice that follows the Endpoints, and the apiserver's
 * `kubernetes` Endpoints (skip-mirror) gets the apiserver-style `kubernetes` slice instead.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Endpoints, Service } from '../../src/api/core.js'
import type { EndpointSlice } from '../../src/api/discovery.js'
import { type ApiServer, startApiServer } from '../../src/apiserver/server.js'
import { ENDPOINT_SLICES, ENDPOINTS, NAMESPACES, SERVICES } from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { EndpointsController } from '../../src/controllers/endpoints/controller.js'
import { ApiServerEndpointSliceController } from '../../src/controllers/endpointslice-mirroring/apiserver-slice.js'
import { EndpointSliceMirroringController } from '../../src/controllers/endpointslice-mirroring/controller.js'
import { Manager } from '../../src/controllers/runtime/manager.js'
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
  const informers = manager.informers
  manager.add(new EndpointsController({ client, informers }))
  manager.add(new EndpointSliceMirroringController({ client, informers }))
  manager.add(new ApiServerEndpointSliceController({ client, informers }))
  running = manager.start(stop.signal)
})

after(async () => {
  stop.abort()
  await running
  client.close()
  await server.close()
  await store.close()
})

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    const v = await probe().catch(() => undefined)
    if (v !== undefined) return v
    await new Promise(r => setTimeout(r, 25))
  }
  assert.fail(`timed out waiting for ${what}`)
}

const ns = (namespace: string) => client.create(NAMESPACES, { metadata: { name: namespace } })
const getEndpoints = (namespace: string, name: string) => client.get<Endpoints>(ENDPOINTS, name, { namespace })
const slicesOf = async (namespace: string, service: string) =>
  (
    await client.list<EndpointSlice>(ENDPOINT_SLICES, {
      namespace,
      labelSelector: `kubernetes.io/service-name=${service}`,
    })
  ).items

test('selector-less Service with custom Endpoints is mirrored into an EndpointSlice', async () => {
  await ns('custom')
  await client.create<Service>(SERVICES, {
    metadata: { name: 'external-db', namespace: 'custom' },
    spec: { ports: [{ name: 'pg', port: 5432 }] },
  })
  const custom = await client.create<Endpoints>(ENDPOINTS, {
    metadata: { name: 'external-db', namespace: 'custom', labels: { team: 'db' } },
    subsets: [{ addresses: [{ ip: '192.168.10.5' }], ports: [{ name: 'pg', port: 5432 }] }],
  })
  const slice = await until(async () => (await slicesOf('custom', 'external-db'))[0], 'a mirrored slice')
  assert.deepEqual(slice.metadata.labels, {
    team: 'db',
    'kubernetes.io/service-name': 'external-db',
    'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io',
  })
  assert.equal(slice.metadata.ownerReferences?.[0]?.kind, 'Endpoints')
  assert.equal(slice.metadata.ownerReferences?.[0]?.uid, custom.metadata.uid)
  assert.deepEqual(slice.endpoints, [{ addresses: ['192.168.10.5'], conditions: { ready: true } }])
  assert.deepEqual(slice.ports, [{ name: 'pg', port: 5432, protocol: 'TCP' }])
  // The Endpoints controller leaves custom Endpoints alone.
  const again = await getEndpoints('custom', 'external-db')
  assert.equal(again.metadata.resourceVersion, custom.metadata.resourceVersion)

  await client.update<Endpoints>(ENDPOINTS, {
    ...again,
    subsets: [{ addresses: [{ ip: '192.168.10.5' }, { ip: '192.168.10.6' }], ports: [{ name: 'pg', port: 5432 }] }],
  })
  const grown = await until(async () => {
    const s = (await slicesOf('custom', 'external-db'))[0]
    return s?.endpoints.length === 2 ? s : undefined
  }, 'the mirror to follow')
  assert.equal(grown.metadata.name, slice.metadata.name, 'updated in place')
})

test('the kubernetes Service gets the apiserver-style slice, not a mirrored one', async t => {
  const ep = await getEndpoints('default', 'kubernetes').catch(() => undefined)
  if (!ep?.subsets?.length) {
    t.skip('a host with only loopback addresses publishes no kubernetes Endpoints')
    return
  }
  const slices = await until(async () => {
    const s = await slicesOf('default', 'kubernetes')
    return s.length === 1 ? s : undefined
  }, 'the kubernetes slice')
  const slice = slices[0]!
  assert.equal(slice.metadata.name, 'kubernetes')
  assert.deepEqual(slice.metadata.labels, { 'kubernetes.io/service-name': 'kubernetes' })
  assert.deepEqual(
    slice.endpoints.map(e => e.addresses[0]),
    ep.subsets[0]!.addresses!.map(a => a.ip),
  )
  assert.deepEqual(slice.ports, [{ name: 'https', port: ep.subsets[0]!.ports![0]!.port, protocol: 'TCP' }])
})
