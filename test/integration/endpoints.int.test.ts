/**
 * The Endpoints and EndpointSlice controllers against the real API server (memory store), with
 * the test acting as the node agent (pod IPs and Ready through pods/status): S1's headless
 * `nginx` with StatefulSet-style pods, readiness changes, publishNotReadyAddresses, S3's named
 * targetPort, Service deletion (with the garbage collector), placeholders, many pods.
 * Mirroring has its own file (endpointslice-mirroring.int.test.ts).
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { EndpointSubset, Endpoints, Service } from '../../src/api/core.js'
import type { EndpointSlice } from '../../src/api/discovery.js'
import type { Pod } from '../../src/api/pod.js'
import { type ApiServer, startApiServer } from '../../src/apiserver/server.js'
import { ENDPOINT_SLICES, ENDPOINTS, NAMESPACES, NODES, PODS, SERVICES } from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { EndpointsController } from '../../src/controllers/endpoints/controller.js'
import { EndpointSliceController } from '../../src/controllers/endpointslice/controller.js'
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
  while (Date.now() < end) {
    const v = await probe().catch(() => undefined)
    if (v !== undefined) return v
    await new Promise(r => setTimeout(r, 25))
  }
  assert.fail(`timed out waiting for ${what}`)
}

const ns = (namespace: string) => client.create(NAMESPACES, { metadata: { name: namespace } })

function headless(namespace: string, name: string, extra: Partial<Service['spec']> = {}): Promise<Service> {
  return client.create<Service>(SERVICES, {
    metadata: { name, namespace },
    spec: { clusterIP: 'None', selector: { app: name }, ports: [{ name: 'web', port: 80 }], ...extra },
  })
}

type PodOpts = { app: string; ip: string; ready: boolean; subdomain?: string; node?: string; ports?: object[] }

/** Creates a scheduled pod and, acting as its node agent, reports its IP and readiness. */
async function runPod(namespace: string, name: string, opts: PodOpts): Promise<Pod> {
  const pod = await client.create<Pod>(PODS, {
    metadata: { name, namespace, labels: { app: opts.app } },
    spec: {
      hostname: opts.subdomain ? name : undefined,
      subdomain: opts.subdomain,
      nodeName: opts.node ?? 'node-1',
      containers: [
        { name: 'main', image: 'nginx:1.9.1', ports: (opts.ports as []) ?? [{ name: 'web', containerPort: 80 }] },
      ],
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

/** The Endpoints once pred holds for their first subset. */
const endpointsWhen = (namespace: string, name: string, what: string, pred: (s: EndpointSubset) => boolean) =>
  until(async () => {
    const e = await getEndpoints(namespace, name)
    return e.subsets?.[0] && pred(e.subsets[0]) ? e : undefined
  }, what)

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
  const ep = await endpointsWhen('s1', 'nginx', 'two ready addresses', s => s.addresses?.length === 2)
  assert.deepEqual(ep.metadata.labels, { 'service.kubernetes.io/headless': '' })
  assert.ok(ep.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'])
  const address = (pod: Pod, ip: string, nodeName: string) => ({
    ip,
    hostname: pod.metadata.name,
    nodeName,
    targetRef: { kind: 'Pod', namespace: 's1', name: pod.metadata.name, uid: pod.metadata.uid },
  })
  assert.deepEqual(ep.subsets, [
    {
      addresses: [address(web0, '10.244.1.10', 'node-1'), address(web1, '10.244.2.11', 'node-2')],
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

test('a pod that turns not ready moves to notReadyAddresses; the slice keeps it with ready=false', async () => {
  await ns('ready')
  await headless('ready', 'nginx')
  await runPod('ready', 'web-0', { app: 'nginx', ip: '10.244.1.20', ready: true, subdomain: 'nginx' })
  const web1 = await runPod('ready', 'web-1', { app: 'nginx', ip: '10.244.1.21', ready: true, subdomain: 'nginx' })
  await endpointsWhen('ready', 'nginx', 'two ready addresses', s => s.addresses?.length === 2)
  const sliceBefore = (await slicesOf('ready', 'nginx'))[0]!
  await setReady(web1, false)
  const ep = await endpointsWhen('ready', 'nginx', 'web-1 not ready', s => s.notReadyAddresses?.length === 1)
  assert.deepEqual(
    ep.subsets?.[0]?.addresses?.map(a => a.hostname),
    ['web-0'],
  )
  assert.equal(ep.subsets?.[0]?.notReadyAddresses?.[0]?.hostname, 'web-1')
  const slice = await until(async () => {
    const s = (await slicesOf('ready', 'nginx'))[0]
    return s?.endpoints.find(e => e.targetRef?.name === 'web-1')?.conditions?.ready === false ? s : undefined
  }, 'slice endpoint web-1 ready=false')
  assert.equal(slice.metadata.name, sliceBefore.metadata.name, 'updated in place, not replaced')
  assert.deepEqual(slice.endpoints.find(e => e.targetRef?.name === 'web-1')?.conditions, {
    ready: false,
    serving: false,
    terminating: false,
  })
})

test('publishNotReadyAddresses publishes a not-ready pod as ready', async () => {
  await ns('pnra')
  await headless('pnra', 'peers', { publishNotReadyAddresses: true })
  await runPod('pnra', 'peers-0', { app: 'peers', ip: '10.244.1.30', ready: false, subdomain: 'peers' })
  const ep = await endpointsWhen('pnra', 'peers', 'a published address', s => s.addresses?.length === 1)
  assert.equal(ep.subsets?.[0]?.notReadyAddresses, undefined)
  assert.equal(ep.subsets?.[0]?.addresses?.[0]?.hostname, 'peers-0')
  const slice = await until(async () => (await slicesOf('pnra', 'peers'))[0], 'a slice')
  assert.deepEqual(slice.endpoints[0]?.conditions, { ready: true, serving: false, terminating: false })
})

test('S3 kubia: port 80 with targetPort named http resolves to containerPort 8080 per pod', async () => {
  await ns('s3')
  await client.create<Service>(SERVICES, {
    metadata: { name: 'kubia', namespace: 's3' },
    spec: { clusterIP: 'None', selector: { app: 'kubia' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  })
  const http8080 = [{ name: 'http', containerPort: 8080 }]
  await runPod('s3', 'kubia-0', { app: 'kubia', ip: '10.244.1.40', ready: true, subdomain: 'kubia', ports: http8080 })
  await runPod('s3', 'kubia-1', { app: 'kubia', ip: '10.244.1.41', ready: true, subdomain: 'kubia', ports: http8080 })
  const ep = await endpointsWhen('s3', 'kubia', 'two kubia addresses', s => s.addresses?.length === 2)
  assert.deepEqual(ep.subsets?.[0]?.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }])
  assert.deepEqual(
    ep.subsets?.[0]?.addresses?.map(a => a.hostname),
    ['kubia-0', 'kubia-1'],
  )
  const slice = await until(async () => {
    const s = (await slicesOf('s3', 'kubia'))[0]
    return s?.endpoints.length === 2 ? s : undefined
  }, 'a kubia slice')
  assert.deepEqual(slice.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }])
})

test('deleting the Service deletes its Endpoints (controller) and its slices (garbage collector)', async () => {
  await ns('gone')
  await headless('gone', 'nginx')
  await runPod('gone', 'web-0', { app: 'nginx', ip: '10.244.1.50', ready: true, subdomain: 'nginx' })
  await until(async () => ((await slicesOf('gone', 'nginx')).length ? true : undefined), 'a slice')
  await until(async () => ((await getEndpoints('gone', 'nginx')).subsets?.length ? true : undefined), 'endpoints')
  await client.delete(SERVICES, 'nginx', { namespace: 'gone' })
  await until(
    async () => (isNotFound(await getEndpoints('gone', 'nginx').catch(e => e)) ? true : undefined),
    'the Endpoints to go',
  )
  await until(async () => ((await slicesOf('gone', 'nginx')).length === 0 ? true : undefined), 'the slices to go')
})

test('a Service without pods gets empty Endpoints and a placeholder slice', async () => {
  await ns('empty')
  await headless('empty', 'lonely')
  const ep = await until(() => getEndpoints('empty', 'lonely'), 'endpoints')
  assert.equal(ep.subsets, undefined)
  const slice = await until(async () => (await slicesOf('empty', 'lonely'))[0], 'the placeholder slice')
  assert.deepEqual(slice.endpoints ?? [], [])
  assert.deepEqual(slice.ports ?? [], [])
})

test('many pods: Endpoints follow a readiness flip of all of them; slices pack 100 endpoints each', async () => {
  await ns('many')
  await client.create<Service>(SERVICES, {
    metadata: { name: 'big', namespace: 'many' },
    spec: { selector: { app: 'big' }, ports: [{ name: 'web', port: 80 }] },
  })
  const n = 250
  const pods = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      runPod('many', `big-${i}`, { app: 'big', ip: `10.245.${i >> 8}.${(i & 255) + 1}`, ready: false }),
    ),
  )
  await until(async () => {
    const e = await getEndpoints('many', 'big')
    return e.subsets?.[0]?.notReadyAddresses?.length === n ? true : undefined
  }, `${n} not-ready addresses`)
  await Promise.all(pods.map(p => setReady(p, true)))
  const ep = await endpointsWhen('many', 'big', `${n} ready addresses`, s => s.addresses?.length === n)
  assert.equal(ep.subsets?.[0]?.notReadyAddresses, undefined)
  assert.equal(ep.metadata.labels?.['service.kubernetes.io/headless'], undefined, 'ClusterIP service')
  const slices = await until(async () => {
    const s = await slicesOf('many', 'big')
    const ready = s.flatMap(x => x.endpoints).filter(e => e.conditions?.ready).length
    return ready === n ? s : undefined
  }, 'every slice endpoint ready')
  assert.deepEqual(
    slices.map(s => s.endpoints.length).sort((a, b) => a - b),
    [50, 100, 100],
  )
  assert.equal(new Set(slices.flatMap(s => s.endpoints.map(e => e.targetRef?.name))).size, n, 'no duplicates')
})
