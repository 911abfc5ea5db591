import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Endpoints, Service } from '../../api/core.js'
import { buildRules, clusterAddresses, type RuleOptions } from './service-table.js'

const svc = (name: string, spec: Service['spec'], namespace = 'default'): Service => ({
  metadata: { name, namespace },
  spec,
})
const eps = (name: string, subsets: Endpoints['subsets'], namespace = 'default'): Endpoints => ({
  metadata: { name, namespace },
  subsets,
})

function rulesOf(services: Service[], endpoints: Endpoints[], opts: Partial<RuleOptions> = {}) {
  const byKey = new Map(endpoints.map(e => [`${e.metadata.namespace}/${e.metadata.name}`, e]))
  return buildRules(services, (ns, name) => byKey.get(`${ns}/${name}`), { nodePortAddresses: ['127.0.0.1'], ...opts })
}

const web = svc('web', {
  clusterIP: '10.96.0.20',
  clusterIPs: ['10.96.0.20'],
  ports: [
    { name: 'http', port: 80, targetPort: 'http' },
    { name: 'dns', port: 53, protocol: 'UDP' },
    { name: 'sctp', port: 9, protocol: 'SCTP' },
  ],
})
const webEndpoints = eps('web', [
  {
    addresses: [{ ip: '10.244.1.3' }, { ip: '10.244.1.2' }],
    notReadyAddresses: [{ ip: '10.244.1.9' }],
    ports: [
      { name: 'http', port: 8080, protocol: 'TCP' },
      { name: 'dns', port: 5353, protocol: 'UDP' },
    ],
  },
  { addresses: [{ ip: '10.244.2.2' }, { ip: '10.244.1.2' }], ports: [{ name: 'http', port: 8080 }] },
])

test('ClusterIP rules: one per port and protocol, ready addresses only, target ports from Endpoints', () => {
  const rules = rulesOf([web], [webEndpoints])
  assert.deepEqual(
    rules.map(r => [r.key, r.kind, r.service, r.backends.map(b => `${b.ip}:${b.port}`)]),
    [
      ['TCP 10.96.0.20:80', 'ClusterIP', 'default/web:http', ['10.244.1.2:8080', '10.244.1.3:8080', '10.244.2.2:8080']],
      ['UDP 10.96.0.20:53', 'ClusterIP', 'default/web:dns', ['10.244.1.2:5353', '10.244.1.3:5353']],
    ],
  )
  assert.deepEqual([...clusterAddresses(rules)], ['10.96.0.20'])
})

test('a Service without Endpoints still gets its listener (connections are rejected)', () => {
  const rules = rulesOf([web], [])
  assert.equal(rules.length, 2)
  assert.deepEqual(
    rules.map(r => r.backends),
    [[], []],
  )
})

test('an unnamed port matches the unnamed endpoint port', () => {
  const s = svc('one', { clusterIP: '10.96.0.21', ports: [{ port: 80, targetPort: 8080 }] })
  const e = eps('one', [{ addresses: [{ ip: '10.244.1.5' }], ports: [{ port: 8080 }] }])
  assert.deepEqual(rulesOf([s], [e])[0]!.backends, [{ ip: '10.244.1.5', port: 8080 }])
})

test('headless, ExternalName, IPv6-only and portless Services get nothing', () => {
  const rules = rulesOf(
    [
      svc('headless', { clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 80 }] }),
      svc('ext', { type: 'ExternalName', externalName: 'example.com', ports: [{ port: 80 }] }),
      svc('v6', { clusterIP: 'fd00::10', clusterIPs: ['fd00::10'], ports: [{ port: 80 }] }),
      svc('noports', { clusterIP: '10.96.0.22' }),
      svc('pending', { ports: [{ port: 80 }] }),
    ],
    [],
  )
  assert.deepEqual(rules, [])
})

test('NodePort and LoadBalancer Services also listen on the node-port addresses', () => {
  const s = svc('np', {
    type: 'NodePort',
    clusterIP: '10.96.0.23',
    ports: [{ name: 'http', port: 80, nodePort: 30080 }],
  })
  const lb = svc('lb', { type: 'LoadBalancer', clusterIP: '10.96.0.24', ports: [{ port: 81, nodePort: 30081 }] })
  const keys = rulesOf([s, lb], [], { nodePortAddresses: ['127.0.0.1', '10.244.1.1'] }).map(r => `${r.kind} ${r.key}`)
  assert.deepEqual(keys, [
    'NodePort TCP 10.244.1.1:30080',
    'NodePort TCP 10.244.1.1:30081',
    'ClusterIP TCP 10.96.0.23:80',
    'ClusterIP TCP 10.96.0.24:81',
    'NodePort TCP 127.0.0.1:30080',
    'NodePort TCP 127.0.0.1:30081',
  ])
  assert.deepEqual([...clusterAddresses(rulesOf([s], []))], ['10.96.0.23'], 'NodePort addresses are never added')
})

test('excluded address:ports are left alone (the cluster DNS serves kube-dns itself)', () => {
  const dns = svc(
    'kube-dns',
    {
      clusterIP: '10.96.0.10',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        { name: 'metrics', port: 9153 },
      ],
    },
    'kube-system',
  )
  assert.deepEqual(
    rulesOf([dns], [], { exclude: [{ ip: '10.96.0.10', port: 53 }] }).map(r => r.key),
    ['TCP 10.96.0.10:9153'],
  )
  assert.deepEqual(
    rulesOf([dns], [], { exclude: [{ ip: '10.96.0.10', port: 53, protocol: 'UDP' }] }).map(r => r.key),
    ['TCP 10.96.0.10:53', 'TCP 10.96.0.10:9153'],
  )
})

test('overrides replace the Endpoints of a Service (the API server on loopback)', () => {
  const kubernetes = svc('kubernetes', {
    clusterIP: '10.96.0.1',
    ports: [{ name: 'https', port: 443, targetPort: 6443 }],
  })
  const e = eps('kubernetes', [{ addresses: [{ ip: '192.0.2.2' }], ports: [{ name: 'https', port: 6443 }] }])
  const [rule] = rulesOf([kubernetes], [e], { overrides: { 'default/kubernetes': [{ ip: '127.0.0.1', port: 6443 }] } })
  assert.deepEqual(rule!.backends, [{ ip: '127.0.0.1', port: 6443 }])
})

test('ClientIP affinity carries its timeout (default 10800 s)', () => {
  const a = svc('a', { clusterIP: '10.96.0.30', sessionAffinity: 'ClientIP', ports: [{ port: 80 }] })
  const b = svc('b', {
    clusterIP: '10.96.0.31',
    sessionAffinity: 'ClientIP',
    sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
    ports: [{ port: 80 }],
  })
  const c = svc('c', { clusterIP: '10.96.0.32', ports: [{ port: 80 }] })
  assert.deepEqual(
    rulesOf([a, b, c], []).map(r => r.affinityTimeoutSeconds),
    [10800, 60, undefined],
  )
})
