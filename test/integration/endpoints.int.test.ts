/**
 * The Endpoints, EndpointSlice and mirroring controllers against the real API server (memory
 * store), with the test acting as the node agent (pod IPs and Ready through pods/status):
 * S1's headless `nginx` with StatefulSet-style pods, readiness changes, publishNotReadyAddresses,
 * S3's named targetPort, selector-less Services with custom Endpoints, and Service deletion.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Endpoints, Service } from '../../src/api/core.js'
import type { EndpointSlice } from '../../src/api/discovery.js'
import type { Pod } from '../../src/api/pod.js'
import { type ApiServer, startApiServer } from '../../src/apiserver/server.js'
import { ENDPOINT_SLICES, ENDPOINTS, NAMESPACES, NODES, PODS, SERVICES } from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { EndpointsController } from '../../src/controllers/endpoints/controller.js'
import { EndpointSliceController } from '../../src/controllers/endpointslice/controller.js'
import { ApiServerEndpointSliceController } from '../../src/controllers/endpointslice-mirroring/apiserver-slice.js'
import { EndpointSliceMirroringController } from '../../src/controllers/endpointslice-mirroring/controller.js'
import { GarbageCollector } from '../../src/controllers/garbage-collector/collector.js'
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
  await client.create(NODES, { metadata: { name: 'node-1', labels: { 'topology.kubernetes.io/zone': 'zone-a' } } })
  await client.create(NODES, { metadata: { name: 'node-2' } })
  const manager = new Manager({ client })
  const informers = manager.informers
  manager.add(new EndpointsController({ client, informers }))
  manager.add(new EndpointSliceController({ client, informers }))
  manager.add(new EndpointSliceMirroringController({ client, informers }))
  manager.add(new ApiServerEndpointSliceController({ client, informers }))
  manager.add(new GarbageCollector({ client, informers }))
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
  let last: unknown
  while (Date.now() < end) {
    try {
      const v = await probe()
      if (v !== undefined) return v
    } catch (e) {
      last = e
    }
    await new Promise(r => setTimeout(r, 25))
  }
  assert.fail(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`)
}

const ns = (namespace: string) => client.create(NAMESPACES, { metadata: { name: namespace } })

function headless(namespace: string, name: string, extra: Partial<Service['spec']> = {}): Promise<Service> {
  return client.create<Service>(SERVICES, {
    metadata: { name, namespace },
    spec: { clusterIP: 'None', selector: { app: name }, ports: [{ name: 'web', port: 80 }], ...extra },
  })
}

/** Creates a scheduled pod and, acting as its node agent, reports its IP and readiness. */
async function runPod(
  namespace: string,
  name: string,
  opts: {
    app: string
    ip: string
    ready: boolean
    subdomain?: string
    node?: string
    ports?: Pod['spec']['containers'][0]['ports']
  },
): Promise<Pod> {
  const pod = await client.create<Pod>(PODS, {
    metadata: { name, namespace, labels: { app: opts.app } },
    spec: {
      hostname: opts.subdomain ? name : undefined,
      subdomain: opts.subdomain,
      nodeName: opts.node ?? 'node-1',
      containers: [{ name: 'main', image: 'nginx:1.9.1', ports: opts.ports ?? [{ name: 'web', containerPort: 80 }] }],
    },
  })
  return setReady(pod, opts.ready, opts.ip)
}

async function setReady(pod: Pod, ready: boolean, ip?: string): Promise<Pod> {
  const cur = await client.get<Pod>(PODS, pod.metadata.name!, { namespace: pod.metadata.namespace })
  const podIP = ip ?? cur.status?.podIP
  const status: Pod['status'] = {
    ...cur.status,
    phase: 'Running',
    podIP,
    podIPs: [{ ip: podIP! }],
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date().toISOString() }],
  }
  return client.updateStatus<Pod>(PODS, { ...cur, status }, { namespace: pod.metadata.namespace })
}

const getEndpoints = (namespace: string, name: string) => client.get<Endpoints>(ENDPOINTS, name, { namespace })
const slicesOf = async (namespace: string, service: string) =>
  (
    await client.list<EndpointSlice>(ENDPOINT_SLICES, {
      namespace,
      labelSelector: `kubernetes.io/service-name=${service}`,
    })
  ).items

test('S1: headless nginx → Endpoints and an EndpointSlice with hostnames and targetRefs', async () => {
  await ns('s1')
  const svc = await headless('s1', 'nginx')
  const web0 = await runPod('s1', 'web-0', { app: 'nginx', ip: '10.244.1.10', ready: true, subdomain: 'nginx' })
  const web1 = await runPod('s1', 'web-1', {
    app: 'nginx',
    ip: '10.244.2.11',
    ready: true,
    subdomain: 'nginx',
    node: 'node-2',
  })
  const ep = await until(async () => {
    const e = await getEndpoints('s1', 'nginx')
    return e.subsets?.[0]?.addresses?.length === 2 ? e : undefined
  }, 'two ready addresses')
  assert.deepEqual(ep.metadata.labels, { 'service.kubernetes.io/headless': '' })
  assert.ok(ep.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'])
  assert.deepEqual(ep.subsets, [
    {
      addresses: [
        {
          ip: '10.244.1.10',
          hostname: 'web-0',
          nodeName: 'node-1',
          targetRef: { kind: 'Pod', namespace: 's1', name: 'web-0', uid: web0.metadata.uid },
        },
        {
          ip: '10.244.2.11',
          hostname: 'web-1',
          nodeName: 'node-2',
          targetRef: { kind: 'Pod', namespace: 's1', name: 'web-1', uid: web1.metadata.uid },
        },
      ],
      ports: [{ name: 'web', port: 80, protocol: 'TCP' }],
    },
  ])

  const slice = await until(async () => {
    const s = await slicesOf('s1', 'nginx')
    return s.length === 1 && s[0]!.endpoints?.length === 2 ? s[0] : undefined
  }, 'one slice with two endpoints')
  assert.match(slice.metadata.name!, /^nginx-[a-z0-9]{5}$/)
  assert.equal(slice.metadata.generateName, 'nginx-')
  assert.equal(slice.addressType, 'IPv4')
  assert.deepEqual(slice.metadata.labels, {
    'kubernetes.io/service-name': 'nginx',
    'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    'service.kubernetes.io/headless': '',
  })
  const owner = slice.metadata.ownerReferences?.[0]
  assert.deepEqual(owner && { kind: owner.kind, name: owner.name, uid: owner.uid, controller: owner.controller }, {
    kind: 'Service',
    name: 'nginx',
    uid: svc.metadata.uid,
    controller: true,
  })
  assert.deepEqual(slice.ports, [{ name: 'web', port: 80, protocol: 'TCP' }])
  const byName = Object.fromEntries(slice.endpoints.map(e => [e.targetRef?.name, e]))
  assert.deepEqual(byName['web-0'], {
    addresses: ['10.244.1.10'],
    conditions: { ready: true, serving: true, terminating: false },
    hostname: 'web-0',
    nodeName: 'node-1',
    zone: 'zone-a',
    targetRef: { kind: 'Pod', namespace: 's1', name: 'web-0', uid: web0.metadata.uid },
  })
  assert.equal(byName['web-1']?.hostname, 'web-1')
  assert.equal(byName['web-1']?.zone, undefined, 'node-2 has no zone label')
})
