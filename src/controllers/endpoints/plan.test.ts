/** Table-driven tests of planEndpoints and truncation (pure). */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { EndpointSubset, Endpoints, Service } from '../../api/core.js'
import type { Pod } from '../../api/pod.js'
import { AnnotationLastChangeTriggerTime, LabelHeadlessService } from '../runtime/endpoints/pod-endpoints.js'
import { formatTriggerTime } from '../runtime/endpoints/trigger-time.js'
import { AnnotationOverCapacity, planEndpoints, truncateSubsets } from './plan.js'

const svc = (spec: Service['spec'] = {}, labels?: Record<string, string>): Service => ({
  metadata: { name: 'nginx', namespace: 'default', uid: 's1', labels },
  spec: { clusterIP: 'None', selector: { app: 'nginx' }, ports: [{ name: 'web', port: 80, protocol: 'TCP' }], ...spec },
})
const pod = (i: number): Pod => ({
  metadata: { name: `p-${i}`, namespace: 'default', uid: `u-${i}` },
  spec: { nodeName: 'n', containers: [{ name: 'c', image: 'i' }] },
  status: { podIPs: [{ ip: `10.0.${i >> 8}.${i & 255}` }], conditions: [{ type: 'Ready', status: 'True' }] },
})

test('planEndpoints: create, then nothing while unchanged, then update', () => {
  const s = svc({}, { team: 'a' })
  const first = planEndpoints(s, [pod(1)], undefined, Date.UTC(2024, 0, 1))
  assert.equal(first.action, 'create')
  const ep = first.endpoints!
  assert.equal(ep.metadata.name, 'nginx')
  assert.deepEqual(ep.metadata.labels, { team: 'a', [LabelHeadlessService]: '' })
  assert.equal(ep.metadata.annotations?.[AnnotationLastChangeTriggerTime], '2024-01-01T00:00:00Z')
  assert.equal(ep.metadata.annotations?.[AnnotationOverCapacity], undefined)

  const stored: Endpoints = { ...ep, metadata: { ...ep.metadata, resourceVersion: '7' } }
  assert.equal(planEndpoints(s, [pod(1)], stored).action, undefined, 'same subsets and labels: no write')

  const grown = planEndpoints(s, [pod(1), pod(2)], stored)
  assert.equal(grown.action, 'update')
  assert.equal(grown.endpoints!.metadata.resourceVersion, '7', 'updates carry the precondition')
  assert.equal(
    grown.endpoints!.metadata.annotations?.[AnnotationLastChangeTriggerTime],
    undefined,
    'no trigger: cleared',
  )

  const relabelled = planEndpoints(svc({}, { team: 'b' }), [pod(1)], stored)
  assert.equal(relabelled.action, 'update', 'service labels are mirrored')
  assert.deepEqual(relabelled.endpoints!.metadata.labels, { team: 'b', [LabelHeadlessService]: '' })
})

test('planEndpoints: a ClusterIP service gets no headless label', () => {
  const p = planEndpoints(svc({ clusterIP: '10.96.0.10' }), [pod(1)], undefined)
  assert.deepEqual(p.endpoints!.metadata.labels, {})
})

test('planEndpoints: a missing list equals an empty one', () => {
  const stored: Endpoints = {
    metadata: { name: 'nginx', namespace: 'default', resourceVersion: '3', labels: { [LabelHeadlessService]: '' } },
  }
  assert.equal(planEndpoints(svc(), [], stored).action, undefined)
})

test('planEndpoints truncates at 1000 addresses and annotates', () => {
  const pods = Array.from({ length: 1200 }, (_, i) => pod(i))
  const p = planEndpoints(svc(), pods, undefined)
  const n = p.endpoints!.subsets!.reduce((a, s) => a + (s.addresses?.length ?? 0), 0)
  assert.equal(n, 1000)
  assert.equal(p.endpoints!.metadata.annotations?.[AnnotationOverCapacity], 'truncated')
})

test('truncateSubsets keeps ready addresses first, proportionally', () => {
  const addrs = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ ip: `${prefix}.${i}` }))
  const cases: { name: string; subsets: EndpointSubset[]; want: [number, number][] | undefined }[] = [
    { name: 'under capacity', subsets: [{ addresses: addrs('1', 5) }], want: undefined },
    {
      name: 'not ready trimmed to fill the room left',
      subsets: [
        { addresses: addrs('1', 6), notReadyAddresses: addrs('2', 4) },
        { addresses: addrs('3', 2), notReadyAddresses: addrs('4', 4) },
      ],
      want: [
        [6, 1],
        [2, 1],
      ],
    },
    {
      name: 'too many ready: not ready all dropped, ready split by proportion',
      subsets: [{ addresses: addrs('1', 9), notReadyAddresses: addrs('2', 3) }, { addresses: addrs('3', 3) }],
      want: [
        [8, 0],
        [2, 0],
      ],
    },
  ]
  for (const c of cases) {
    const got = truncateSubsets(c.subsets, 10)
    assert.deepEqual(
      got?.map(s => [s.addresses?.length ?? 0, s.notReadyAddresses?.length ?? 0]),
      c.want,
      c.name,
    )
  }
})

test('formatTriggerTime drops trailing zeros like RFC3339Nano', () => {
  assert.equal(formatTriggerTime(Date.UTC(2024, 0, 2, 3, 4, 5, 600)), '2024-01-02T03:04:05.6Z')
  assert.equal(formatTriggerTime(Date.UTC(2024, 0, 2, 3, 4, 5, 0)), '2024-01-02T03:04:05Z')
  assert.equal(formatTriggerTime(Date.UTC(2024, 0, 2, 3, 4, 5, 123)), '2024-01-02T03:04:05.123Z')
})
