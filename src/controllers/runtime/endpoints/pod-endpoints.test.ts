/** Table-driven tests of the pod → endpoints rules shared by the Endpoints and EndpointSlice controllers. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Service, ServicePort } from '../../../api/core.js'
import type { Pod } from '../../../api/pod.js'
import {
  findPort,
  hasSelector,
  podEndpointsChanged,
  servicesToUpdateOnPodChange,
  shouldPodBeInEndpoints,
  shouldSetHostname,
} from './pod-endpoints.js'

const pod = (
  over: Partial<Pod['metadata']> = {},
  spec: Partial<Pod['spec']> = {},
  status: Pod['status'] = {},
): Pod => ({
  metadata: { name: 'web-0', namespace: 'default', uid: 'u0', resourceVersion: '1', labels: { app: 'nginx' }, ...over },
  spec: {
    containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }],
    ...spec,
  },
  status: { podIP: '10.244.0.5', podIPs: [{ ip: '10.244.0.5' }], ...status },
})
const svc = (name: string, selector?: Record<string, string>, ns = 'default'): Service => ({
  metadata: { name, namespace: ns },
  spec: { selector, clusterIP: 'None' },
})
const ready = { conditions: [{ type: 'Ready', status: 'True' as const }] }

test('shouldPodBeInEndpoints', () => {
  const cases: { name: string; pod: Pod; includeTerminating: boolean; want: boolean }[] = [
    { name: 'running pod with an IP', pod: pod(), includeTerminating: false, want: true },
    { name: 'no IP yet', pod: pod({}, {}, { podIP: '', podIPs: [] }), includeTerminating: false, want: false },
    { name: 'only status.podIP', pod: pod({}, {}, { podIPs: [] }), includeTerminating: false, want: true },
    { name: 'Succeeded is terminal', pod: pod({}, {}, { phase: 'Succeeded' }), includeTerminating: true, want: false },
    { name: 'Failed is terminal', pod: pod({}, {}, { phase: 'Failed' }), includeTerminating: true, want: false },
    {
      name: 'terminating is excluded',
      pod: pod({ deletionTimestamp: '2024-01-01T00:00:00Z' }),
      includeTerminating: false,
      want: false,
    },
    {
      name: 'terminating is kept when asked',
      pod: pod({ deletionTimestamp: '2024-01-01T00:00:00Z' }),
      includeTerminating: true,
      want: true,
    },
  ]
  for (const c of cases) assert.equal(shouldPodBeInEndpoints(c.pod, c.includeTerminating), c.want, c.name)
})

test('shouldSetHostname: hostname set, subdomain equals the service, same namespace', () => {
  const nginx = svc('nginx', { app: 'nginx' })
  const cases: { name: string; pod: Pod; want: boolean }[] = [
    { name: 'StatefulSet pod', pod: pod({}, { hostname: 'web-0', subdomain: 'nginx' }), want: true },
    { name: 'no hostname', pod: pod({}, { subdomain: 'nginx' }), want: false },
    { name: 'other subdomain', pod: pod({}, { hostname: 'web-0', subdomain: 'other' }), want: false },
    { name: 'no subdomain', pod: pod({}, { hostname: 'web-0' }), want: false },
    {
      name: 'other namespace',
      pod: pod({ namespace: 'kube-system' }, { hostname: 'web-0', subdomain: 'nginx' }),
      want: false,
    },
  ]
  for (const c of cases) assert.equal(shouldSetHostname(c.pod, nginx), c.want, c.name)
})

test('findPort resolves numeric and named target ports per pod', () => {
  const sidecar: Pod = pod(
    {},
    {
      initContainers: [
        { name: 'proxy', image: 'p', restartPolicy: 'Always', ports: [{ name: 'metrics', containerPort: 9090 }] },
        { name: 'init', image: 'i', ports: [{ name: 'setup', containerPort: 7070 }] },
      ],
    },
  )
  const cases: { name: string; port: ServicePort; pod: Pod; want: number | undefined }[] = [
    { name: 'number as is', port: { port: 80, targetPort: 9376 }, pod: pod(), want: 9376 },
    { name: 'unset targetPort is the port', port: { port: 80 }, pod: pod(), want: 80 },
    { name: 'S3 kubia: http → 8080', port: { port: 80, targetPort: 'http', protocol: 'TCP' }, pod: pod(), want: 8080 },
    {
      name: 'protocol must match',
      port: { port: 80, targetPort: 'http', protocol: 'UDP' },
      pod: pod(),
      want: undefined,
    },
    { name: 'unknown name', port: { port: 80, targetPort: 'web' }, pod: pod(), want: undefined },
    { name: 'sidecar port', port: { port: 9, targetPort: 'metrics' }, pod: sidecar, want: 9090 },
    { name: 'plain init container ignored', port: { port: 9, targetPort: 'setup' }, pod: sidecar, want: undefined },
  ]
  for (const c of cases) assert.equal(findPort(c.pod, c.port), c.want, c.name)
})

test('hasSelector: a missing or empty selector selects nothing', () => {
  assert.equal(hasSelector(svc('a')), false)
  assert.equal(hasSelector(svc('a', {})), false)
  assert.equal(hasSelector(svc('a', { app: 'x' })), true)
})

test('podEndpointsChanged', () => {
  const base = pod()
  const bump = (p: Pod): Pod => ({ ...p, metadata: { ...p.metadata, resourceVersion: '2' } })
  const cases: { name: string; cur: Pod; want: [boolean, boolean] }[] = [
    { name: 'annotation only', cur: bump(pod({ annotations: { a: 'b' } })), want: [false, false] },
    { name: 'became ready', cur: bump(pod({}, {}, ready)), want: [true, false] },
    {
      name: 'new IP',
      cur: bump(pod({}, {}, { podIP: '10.244.0.6', podIPs: [{ ip: '10.244.0.6' }] })),
      want: [true, false],
    },
    { name: 'terminating', cur: bump(pod({ deletionTimestamp: 'x' })), want: [true, false] },
    { name: 'labels changed', cur: bump(pod({ labels: { app: 'other' } })), want: [false, true] },
    { name: 'hostname changed', cur: bump(pod({}, { hostname: 'h' })), want: [false, true] },
  ]
  for (const c of cases) assert.deepEqual(podEndpointsChanged(base, c.cur), c.want, c.name)
})

test('servicesToUpdateOnPodChange', () => {
  const services = [svc('nginx', { app: 'nginx' }), svc('other', { app: 'other' }), svc('all-tier', { tier: 'web' })]
  const old = pod({ labels: { app: 'nginx', tier: 'web' } })
  const next = (labels: Record<string, string>, status: Pod['status'] = {}): Pod =>
    pod({ labels, resourceVersion: '2' }, {}, status)
  assert.deepEqual(servicesToUpdateOnPodChange(services, old, old), [], 'same resourceVersion: resync, nothing')
  assert.deepEqual(
    servicesToUpdateOnPodChange(services, old, next({ app: 'nginx', tier: 'web' }, ready)),
    ['default/nginx', 'default/all-tier'],
    'readiness: every selecting service',
  )
  assert.deepEqual(
    servicesToUpdateOnPodChange(services, old, next({ app: 'other', tier: 'web' })),
    ['default/other', 'default/nginx'],
    'labels only: services gained and lost',
  )
  assert.deepEqual(
    servicesToUpdateOnPodChange(services, old, next({ app: 'other', tier: 'web' }, ready)).sort(),
    ['default/all-tier', 'default/nginx', 'default/other'],
    'labels and readiness: the union',
  )
})
