/** Table-driven tests of Endpoints subsets: ready split, hostnames, per-pod ports, repacking. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { EndpointSubset, Service } from '../../api/core.js'
import type { Pod } from '../../api/pod.js'
import { computeSubsets, repackSubsets } from './subsets.js'

const readyCond = (status: 'True' | 'False') => ({ conditions: [{ type: 'Ready', status }] })
const mkPod = (i: number, opts: { ready?: boolean; port?: number; terminating?: boolean; ip?: string } = {}): Pod => ({
  metadata: {
    name: `web-${i}`,
    namespace: 'default',
    uid: `uid-${i}`,
    labels: { app: 'nginx' },
    ...(opts.terminating ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
  },
  spec: {
    hostname: `web-${i}`,
    subdomain: 'nginx',
    nodeName: 'node-1',
    containers: [{ name: 'nginx', image: 'nginx', ports: [{ name: 'web', containerPort: opts.port ?? 80 }] }],
  },
  status: {
    podIP: opts.ip ?? `10.244.0.${i + 10}`,
    podIPs: [{ ip: opts.ip ?? `10.244.0.${i + 10}` }],
    ...readyCond(opts.ready === false ? 'False' : 'True'),
  },
})
const mkSvc = (spec: Service['spec'] = {}): Service => ({
  metadata: { name: 'nginx', namespace: 'default' },
  spec: {
    clusterIP: 'None',
    selector: { app: 'nginx' },
    ports: [{ name: 'web', port: 80, targetPort: 'web', protocol: 'TCP' }],
    ...spec,
  },
})
const addr = (i: number, hostname = true) => ({
  ip: `10.244.0.${i + 10}`,
  ...(hostname ? { hostname: `web-${i}` } : {}),
  nodeName: 'node-1',
  targetRef: { kind: 'Pod', namespace: 'default', name: `web-${i}`, uid: `uid-${i}` },
})
const webPort = { name: 'web', port: 80, protocol: 'TCP' }

test('computeSubsets', () => {
  const cases: { name: string; svc: Service; pods: Pod[]; want: EndpointSubset[] }[] = [
    {
      name: 'S1: ready StatefulSet pods carry hostnames and targetRefs',
      svc: mkSvc(),
      pods: [mkPod(0), mkPod(1)],
      want: [{ addresses: [addr(0), addr(1)], ports: [webPort] }],
    },
    {
      name: 'a not-ready pod goes to notReadyAddresses',
      svc: mkSvc(),
      pods: [mkPod(0), mkPod(1, { ready: false })],
      want: [{ addresses: [addr(0)], notReadyAddresses: [addr(1)], ports: [webPort] }],
    },
    {
      name: 'publishNotReadyAddresses publishes every pod as ready',
      svc: mkSvc({ publishNotReadyAddresses: true }),
      pods: [mkPod(0, { ready: false }), mkPod(1, { terminating: true })],
      want: [{ addresses: [addr(0), addr(1)], ports: [webPort] }],
    },
    {
      name: 'terminating pods are left out',
      svc: mkSvc(),
      pods: [mkPod(0), mkPod(1, { terminating: true })],
      want: [{ addresses: [addr(0)], ports: [webPort] }],
    },
    {
      name: 'hostname only for the governing service',
      svc: { ...mkSvc(), metadata: { name: 'other', namespace: 'default' } },
      pods: [mkPod(0)],
      want: [{ addresses: [addr(0, false)], ports: [webPort] }],
    },
    {
      name: 'named targetPort resolved per pod: different ports make different subsets',
      svc: mkSvc(),
      pods: [mkPod(0, { port: 8080 }), mkPod(1, { port: 8080 }), mkPod(2, { port: 9090 })],
      want: [
        { addresses: [addr(2)], ports: [{ ...webPort, port: 9090 }] },
        { addresses: [addr(0), addr(1)], ports: [{ ...webPort, port: 8080 }] },
      ],
    },
    {
      name: 'a pod without the named port is skipped',
      svc: mkSvc({ ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] }),
      pods: [mkPod(0)],
      want: [],
    },
    {
      name: 'headless without ports lists addresses without ports',
      svc: mkSvc({ ports: [] }),
      pods: [mkPod(0)],
      want: [{ addresses: [addr(0)] }],
    },
    {
      name: 'a ClusterIP service without ports has no subsets',
      svc: mkSvc({ ports: [], clusterIP: '10.96.0.9' }),
      pods: [mkPod(0)],
      want: [],
    },
    {
      name: 'no IP of the service family',
      svc: mkSvc({ ipFamilies: ['IPv6'] }),
      pods: [mkPod(0)],
      want: [],
    },
  ]
  for (const c of cases)
    assert.deepEqual(sortForCompare(computeSubsets(c.svc, c.pods).subsets), sortForCompare(c.want), c.name)
})

test('computeSubsets counts ready and not-ready addresses per port', () => {
  const svc = mkSvc({
    ports: [
      { name: 'web', port: 80, targetPort: 80, protocol: 'TCP' },
      { name: 'alt', port: 81, targetPort: 81, protocol: 'TCP' },
    ],
  })
  const got = computeSubsets(svc, [mkPod(0), mkPod(1, { ready: false })])
  assert.equal(got.ready, 2)
  assert.equal(got.notReady, 2)
  assert.equal(got.subsets.length, 1, 'both ports share one subset')
  assert.equal(got.subsets[0]!.ports!.length, 2)
})

test('repackSubsets merges ports offered by the same addresses; not ready wins', () => {
  const a = addr(0)
  const b = addr(1)
  const p1 = { name: 'a', port: 1, protocol: 'TCP' }
  const p2 = { name: 'b', port: 2, protocol: 'TCP' }
  const got = repackSubsets([
    { addresses: [a], ports: [p1] },
    { addresses: [b], ports: [p1] },
    { addresses: [a], ports: [p2] },
    { notReadyAddresses: [b], ports: [p2] },
    { addresses: [b], ports: [p2] },
  ])
  assert.deepEqual(
    sortForCompare(got),
    sortForCompare([
      { addresses: [a, b], ports: [p1] },
      { addresses: [a], notReadyAddresses: [b], ports: [p2] },
    ]),
  )
  assert.deepEqual(repackSubsets(got), got, 'repacking is idempotent and the order canonical')
  assert.deepEqual(repackSubsets([...got].reverse()), got, 'input order does not matter')
})

/** Subset order is a hash order: compare as a set of subsets. */
function sortForCompare(subsets: EndpointSubset[]): string[] {
  return subsets.map(canonical).sort()
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map(k => `${k}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`
  return JSON.stringify(v)
}
