/** Table-driven tests of EndpointSlice planning: endpoints, packing, minimal churn, placeholders. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Node, Service } from '../../api/core.js'
import type { EndpointSlice } from '../../api/discovery.js'
import type { Pod } from '../../api/pod.js'
import { ControllerName, podToEndpoint, sliceLabels } from './desired.js'
import { planEndpointSlices, type SliceInputs, type SlicePlan } from './plan.js'

const svc = (spec: Service['spec'] = {}, labels?: Record<string, string>): Service => ({
  metadata: { name: 'nginx', namespace: 'default', uid: 'svc-uid', labels },
  spec: {
    clusterIP: 'None',
    ipFamilies: ['IPv4'],
    selector: { app: 'nginx' },
    ports: [{ name: 'web', port: 80, targetPort: 'web', protocol: 'TCP' }],
    ...spec,
  },
})
const pod = (i: number, opts: { ready?: boolean; port?: number; node?: string; terminating?: boolean } = {}): Pod => ({
  metadata: {
    name: `web-${i}`,
    namespace: 'default',
    uid: `uid-${i}`,
    ...(opts.terminating ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
  },
  spec: {
    hostname: `web-${i}`,
    subdomain: 'nginx',
    nodeName: opts.node ?? 'node-a',
    containers: [{ name: 'c', image: 'i', ports: [{ name: 'web', containerPort: opts.port ?? 80 }] }],
  },
  status: {
    podIPs: [{ ip: `10.0.${i >> 8}.${i & 255}` }],
    conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
  },
})
const nodes: Record<string, Node> = {
  'node-a': { metadata: { name: 'node-a', labels: { 'topology.kubernetes.io/zone': 'zone-a' } } },
  'node-b': { metadata: { name: 'node-b' } },
}
const inputs = (pods: Pod[], existing: EndpointSlice[] = [], service = svc()): SliceInputs => ({
  service,
  pods,
  existing,
  getNode: n => nodes[n],
  controllerName: ControllerName,
})
/** Pretends the server stored the plan's creates under names s-0, s-1… */
const store = (plan: SlicePlan, existing: EndpointSlice[] = []): EndpointSlice[] => {
  const kept = existing.filter(e => !plan.delete.some(d => d.metadata.name === e.metadata.name))
  const updated = kept.map(e => plan.update.find(u => u.metadata.name === e.metadata.name) ?? e)
  return [
    ...updated,
    ...plan.create.map((c, i) => ({
      ...c,
      metadata: { ...c.metadata, name: `s-${existing.length + i}`, resourceVersion: '1' },
    })),
  ]
}
const count = (p: SlicePlan) => [p.create.length, p.update.length, p.delete.length]

test('podToEndpoint: conditions, hostname, node and zone', () => {
  const cases: { name: string; pod: Pod; service?: Service; want: object }[] = [
    { name: 'ready', pod: pod(1), want: { ready: true, serving: true, terminating: false } },
    { name: 'not ready', pod: pod(1, { ready: false }), want: { ready: false, serving: false, terminating: false } },
    {
      name: 'terminating ready pod is serving but not ready',
      pod: pod(1, { terminating: true }),
      want: { ready: false, serving: true, terminating: true },
    },
    {
      name: 'publishNotReadyAddresses: always ready',
      pod: pod(1, { ready: false, terminating: true }),
      service: svc({ publishNotReadyAddresses: true }),
      want: { ready: true, serving: false, terminating: true },
    },
  ]
  for (const c of cases)
    assert.deepEqual(podToEndpoint(c.pod, nodes['node-a'], c.service ?? svc(), 'IPv4').conditions, c.want, c.name)
  const ep = podToEndpoint(pod(1), nodes['node-a'], svc(), 'IPv4')
  assert.deepEqual(
    { addresses: ep.addresses, hostname: ep.hostname, nodeName: ep.nodeName, zone: ep.zone },
    { addresses: ['10.0.0.1'], hostname: 'web-1', nodeName: 'node-a', zone: 'zone-a' },
  )
  assert.equal(podToEndpoint(pod(1), nodes['node-b'], svc(), 'IPv4').zone, undefined)
  assert.equal(
    podToEndpoint(pod(1), undefined, { ...svc(), metadata: { name: 'x', namespace: 'default' } }, 'IPv4').hostname,
    undefined,
  )
  assert.deepEqual(podToEndpoint(pod(1), undefined, svc(), 'IPv6').addresses, [], 'no address of that family')
})

test('sliceLabels mirrors service labels but keeps the reserved ones', () => {
  const s = svc({}, { team: 'a', 'kubernetes.io/service-name': 'evil' })
  const { labels, changed } = sliceLabels({ 'kubernetes.io/service-name': 'nginx' }, s, ControllerName)
  assert.deepEqual(labels, {
    team: 'a',
    'service.kubernetes.io/headless': '',
    'kubernetes.io/service-name': 'nginx',
    'endpointslice.kubernetes.io/managed-by': ControllerName,
  })
  assert.equal(changed, true)
  assert.equal(sliceLabels(labels, s, ControllerName).changed, false)
})

test('planEndpointSlices: first sync creates one slice; a second sync changes nothing', () => {
  const pods = [pod(0), pod(1, { ready: false })]
  const first = planEndpointSlices(inputs(pods))
  assert.deepEqual(count(first), [1, 0, 0])
  const slice = first.create[0]!
  assert.equal(slice.metadata.generateName, 'nginx-')
  assert.deepEqual(slice.ports, [{ name: 'web', port: 80, protocol: 'TCP' }])
  assert.equal(slice.endpoints.length, 2)
  assert.deepEqual(slice.metadata.ownerReferences?.[0]?.uid, 'svc-uid')
  assert.deepEqual(count(planEndpointSlices(inputs(pods, store(first)))), [0, 0, 0])
})

test('planEndpointSlices packs at most 100 per slice and updates in place', () => {
  const pods = Array.from({ length: 250 }, (_, i) => pod(i))
  const first = planEndpointSlices(inputs(pods))
  assert.deepEqual(
    first.create.map(s => s.endpoints.length),
    [100, 100, 50],
  )
  const existing = store(first)
  // One pod turns not ready: only its slice is rewritten.
  const flipped = pods.map((p, i) => (i === 7 ? pod(7, { ready: false }) : p))
  const second = planEndpointSlices(inputs(flipped, existing))
  assert.deepEqual(count(second), [0, 1, 0])
  assert.equal(second.update[0]!.endpoints.length, 100)
  // Ten more pods fill the half-empty slice instead of making a new one.
  const more = [...pods, ...Array.from({ length: 10 }, (_, i) => pod(250 + i))]
  const third = planEndpointSlices(inputs(more, existing))
  assert.deepEqual(count(third), [0, 1, 0])
  assert.equal(third.update[0]!.endpoints.length, 60)
  // Emptying a slice deletes it.
  const fewer = pods.filter((_, i) => i >= 100)
  const fourth = planEndpointSlices(inputs(fewer, existing))
  assert.deepEqual(count(fourth), [0, 0, 1])
})

test('planEndpointSlices groups pods by their resolved ports', () => {
  const plan = planEndpointSlices(inputs([pod(0, { port: 8080 }), pod(1, { port: 9090 }), pod(2, { port: 8080 })]))
  assert.deepEqual(plan.create.map(s => [s.ports?.[0]?.port, s.endpoints.length]).sort(), [
    [8080, 2],
    [9090, 1],
  ])
})

test('planEndpointSlices keeps one placeholder slice when nothing is published', () => {
  const first = planEndpointSlices(inputs([]))
  assert.deepEqual(count(first), [1, 0, 0])
  assert.deepEqual(first.create[0]!.ports, [])
  const existing = store(first)
  assert.deepEqual(count(planEndpointSlices(inputs([], existing))), [0, 0, 0], 'placeholder kept as is')
  // Pods arrive: the placeholder is reused (a create turned into an update of a slice to delete).
  const filled = planEndpointSlices(inputs([pod(0)], existing))
  assert.deepEqual(count(filled), [0, 1, 0])
  assert.equal(filled.update[0]!.metadata.name, 's-0')
  assert.equal(filled.update[0]!.endpoints.length, 1)
})

test('planEndpointSlices: unknown node leaves the pod out (and reports it) unless publishNotReadyAddresses', () => {
  const plan = planEndpointSlices(inputs([pod(0), pod(1, { node: 'node-x' })]))
  assert.deepEqual(plan.podsOnMissingNodes, ['web-1'])
  assert.equal(plan.create[0]!.endpoints.length, 1)
  const published = planEndpointSlices(
    inputs([pod(1, { node: 'node-x' })], [], svc({ publishNotReadyAddresses: true })),
  )
  assert.deepEqual(published.podsOnMissingNodes, [])
  assert.equal(published.create[0]!.endpoints.length, 1)
})

test('planEndpointSlices deletes slices of another Service uid or of an unsupported family', () => {
  const first = store(planEndpointSlices(inputs([pod(0)])))
  const recreated = { ...svc(), metadata: { ...svc().metadata, uid: 'new-uid' } }
  const plan = planEndpointSlices(inputs([pod(0)], first, recreated))
  assert.deepEqual(count(plan), [1, 0, 1], 'the old owner’s slice is not reused')
  const v6 = { ...first[0]!, metadata: { ...first[0]!.metadata, name: 'v6' }, addressType: 'IPv6' }
  assert.deepEqual(
    planEndpointSlices(inputs([pod(0)], [...first, v6])).delete.map(s => s.metadata.name),
    ['v6'],
  )
})

test('planEndpointSlices: service label change rewrites labels only', () => {
  const existing = store(planEndpointSlices(inputs([pod(0)])))
  const plan = planEndpointSlices(inputs([pod(0)], existing, svc({}, { team: 'b' })))
  assert.deepEqual(count(plan), [0, 1, 0])
  assert.equal(plan.update[0]!.metadata.labels?.team, 'b')
})
