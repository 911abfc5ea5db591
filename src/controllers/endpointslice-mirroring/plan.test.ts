/** Table-driven tests of mirroring custom Endpoints into EndpointSlices, and of the apiserver's slice. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Endpoints } from '../../api/core.js'
import type { EndpointSlice } from '../../api/discovery.js'
import { planApiServerSlice } from './apiserver-slice.js'
import { shouldMirror } from './controller.js'
import { addressToEndpoint, MirroringControllerName, type MirrorPlan, planMirroredSlices } from './plan.js'

const ep = (subsets: Endpoints['subsets'], meta: Partial<Endpoints['metadata']> = {}): Endpoints => ({
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'db', namespace: 'ns', uid: 'ep-uid', ...meta },
  subsets,
})
const pg = [{ name: 'pg', port: 5432, protocol: 'TCP' }]
const count = (p: MirrorPlan) => [p.create.length, p.update.length, p.delete.length]
const stored = (p: MirrorPlan): EndpointSlice[] =>
  p.create.map((s, i) => ({ ...s, metadata: { ...s.metadata, name: `db-${i}`, resourceVersion: '1' } }))

test('addressToEndpoint normalizes IPs and rejects the rest', () => {
  const cases: { ip: string; want: [string, string] | undefined }[] = [
    { ip: '10.0.0.1', want: ['10.0.0.1', 'IPv4'] },
    { ip: '010.000.000.001', want: ['10.0.0.1', 'IPv4'] },
    { ip: 'FD00::1', want: ['fd00::1', 'IPv6'] },
    { ip: '::ffff:10.0.0.1', want: ['10.0.0.1', 'IPv4'] },
    { ip: 'db.example.com', want: undefined },
    { ip: '10.0.0.256', want: undefined },
  ]
  for (const c of cases) {
    const got = addressToEndpoint({ ip: c.ip }, true)
    assert.deepEqual(got && [got.endpoint.addresses[0], got.addressType], c.want, c.ip)
  }
  const full = addressToEndpoint(
    { ip: '10.0.0.1', hostname: 'h', nodeName: 'n', targetRef: { kind: 'Pod', name: 'p' } },
    false,
  )
  assert.deepEqual(full?.endpoint, {
    addresses: ['10.0.0.1'],
    conditions: { ready: false },
    hostname: 'h',
    nodeName: 'n',
    targetRef: { kind: 'Pod', name: 'p' },
  })
})

test('planMirroredSlices mirrors a subset into one slice, then leaves it alone', () => {
  const e = ep([{ addresses: [{ ip: '10.0.0.1' }], notReadyAddresses: [{ ip: '10.0.0.2' }], ports: pg }], {
    labels: { team: 'db' },
    annotations: { note: 'x', 'endpoints.kubernetes.io/last-change-trigger-time': 't' },
  })
  const first = planMirroredSlices(e, [])
  assert.deepEqual(count(first), [1, 0, 0])
  const s = first.create[0]!
  assert.equal(s.metadata.generateName, 'db-')
  assert.deepEqual(s.metadata.labels, {
    team: 'db',
    'kubernetes.io/service-name': 'db',
    'endpointslice.kubernetes.io/managed-by': MirroringControllerName,
  })
  assert.deepEqual(s.metadata.annotations, { note: 'x' }, 'trigger time is not mirrored')
  assert.deepEqual(s.metadata.ownerReferences?.[0], {
    apiVersion: 'v1',
    kind: 'Endpoints',
    name: 'db',
    uid: 'ep-uid',
    controller: true,
    blockOwnerDeletion: true,
  })
  assert.deepEqual(
    s.endpoints.map(x => [x.addresses[0], x.conditions?.ready]),
    [
      ['10.0.0.1', true],
      ['10.0.0.2', false],
    ],
  )
  assert.deepEqual(count(planMirroredSlices(e, stored(first))), [0, 0, 0])
  const relabelled = planMirroredSlices({ ...e, metadata: { ...e.metadata, labels: { team: 'ops' } } }, stored(first))
  assert.deepEqual(count(relabelled), [0, 1, 0], 'label changes are mirrored')
  assert.equal(relabelled.update[0]!.metadata.name, 'db-0')
})

test('planMirroredSlices: one slice per port set and family; unused ones deleted or recycled', () => {
  const e = ep([
    { addresses: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }], ports: pg },
    { addresses: [{ ip: '10.0.0.2' }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  ])
  const first = planMirroredSlices(e, [])
  assert.deepEqual(first.create.map(s => [s.addressType, s.ports?.[0]?.port]).sort(), [
    ['IPv4', 5432],
    ['IPv4', 80],
    ['IPv6', 5432],
  ])
  const existing = stored(first)
  const moved = planMirroredSlices(
    ep([{ addresses: [{ ip: '10.0.0.3' }], ports: [{ name: 'x', port: 1, protocol: 'TCP' }] }]),
    existing,
  )
  assert.deepEqual(count(moved), [0, 1, 2], 'the new IPv4 slice reuses a deleted IPv4 one')
  assert.equal(moved.update[0]!.metadata.resourceVersion, '1')
  assert.deepEqual(count(planMirroredSlices(ep([]), existing)), [0, 0, 3])
})

test('planMirroredSlices counts invalid and skipped addresses', () => {
  const many = Array.from({ length: 5 }, (_, i) => ({ ip: `10.0.0.${i}` }))
  const plan = planMirroredSlices(ep([{ addresses: [{ ip: 'bogus' }, ...many], ports: pg }]), [], 3)
  assert.equal(plan.invalidAddresses, 1)
  assert.equal(plan.skippedAddresses, 3)
  assert.equal(plan.create[0]!.endpoints.length, 3)
})

test('shouldMirror skips skip-mirror and leader-election Endpoints', () => {
  assert.equal(shouldMirror(ep([])), true)
  assert.equal(shouldMirror(ep([], { labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } })), false)
  assert.equal(shouldMirror(ep([], { annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' } })), false)
  assert.equal(shouldMirror(undefined), false)
})

test('planApiServerSlice: the adapter’s kubernetes slice', () => {
  const k = ep([{ addresses: [{ ip: '192.0.2.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }], {
    name: 'kubernetes',
    namespace: 'default',
  })
  const first = planApiServerSlice(k, [])
  assert.deepEqual(first.create, {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['192.0.2.2'], conditions: { ready: true } }],
    ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
  })
  const current = { ...first.create!, metadata: { ...first.create!.metadata, resourceVersion: '3' } }
  const stray = { ...current, metadata: { ...current.metadata, name: 'kubernetes-abcde' } }
  const again = planApiServerSlice(k, [current, stray])
  assert.equal(again.create, undefined)
  assert.equal(again.update, undefined)
  assert.deepEqual(
    again.delete.map(s => s.metadata.name),
    ['kubernetes-abcde'],
  )
  const moved = planApiServerSlice(
    ep([{ addresses: [{ ip: '192.0.2.3' }], ports: [{ name: 'https', port: 6443 }] }], { name: 'kubernetes' }),
    [current],
  )
  assert.equal(moved.update?.metadata.resourceVersion, '3')
  assert.deepEqual(moved.update?.endpoints[0]?.addresses, ['192.0.2.3'])
})
