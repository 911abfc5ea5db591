/** Tests of the lean converters: what of a Service, Endpoints or Pod DNS keeps. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { toLeanEndpoints, toLeanNamespace, toLeanPod, toLeanService } from './object.js'

test('a ClusterIP Service keeps canonical cluster IPs and lower-case ports', () => {
  const svc = toLeanService({
    metadata: { name: 'Web', namespace: 'default' },
    spec: {
      clusterIP: '10.96.0.20',
      clusterIPs: ['10.96.0.20', 'FD00:0::20'],
      ports: [
        { name: 'HTTP', port: 80 },
        { port: 53, protocol: 'UDP' },
      ],
    },
  })
  assert.deepEqual(svc, {
    namespace: 'default',
    name: 'web',
    type: 'ClusterIP',
    clusterIPs: ['10.96.0.20', 'fd00::20'],
    headless: false,
    externalName: '',
    ports: [
      { name: 'http', protocol: 'tcp', port: 80 },
      { name: '', protocol: 'udp', port: 53 },
    ],
  })
})

test('headless and ExternalName Services have no cluster IPs', () => {
  const headless = toLeanService({ metadata: { name: 'nginx', namespace: 'default' }, spec: { clusterIP: 'None' } })
  assert.equal(headless.headless, true)
  assert.deepEqual(headless.clusterIPs, [])
  const ext = toLeanService({
    metadata: { name: 'ext', namespace: 'default' },
    spec: { type: 'ExternalName', externalName: 'Example.COM.' },
  })
  assert.equal(ext.headless, false)
  assert.equal(ext.externalName, 'example.com')
  assert.deepEqual(ext.clusterIPs, [])
})

test('Endpoints keep ready addresses only, and a portless subset gets the -1 sentinel', () => {
  const ep = toLeanEndpoints({
    metadata: { name: 'nginx', namespace: 'default' },
    subsets: [
      {
        addresses: [{ ip: '10.244.0.10', hostname: 'web-0' }, { ip: '10.244.0.11' }],
        notReadyAddresses: [{ ip: '10.244.0.12', hostname: 'web-2' }],
        ports: [{ name: 'web', port: 80, protocol: 'TCP' }],
      },
      { addresses: [{ ip: '10.244.0.13' }] },
    ],
  })
  assert.deepEqual(ep.subsets, [
    {
      addresses: [
        { ip: '10.244.0.10', hostname: 'web-0' },
        { ip: '10.244.0.11', hostname: '' },
      ],
      ports: [{ name: 'web', protocol: 'tcp', port: 80 }],
    },
    { addresses: [{ ip: '10.244.0.13', hostname: '' }], ports: [{ name: '', protocol: '', port: -1 }] },
  ])
})

test('a Pod keeps status.podIPs, or status.podIP alone', () => {
  assert.deepEqual(
    toLeanPod({
      metadata: { name: 'a', namespace: 'ns' },
      spec: { containers: [] },
      status: { podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] },
    }).ips,
    ['10.0.0.1', 'fd00::1'],
  )
  assert.deepEqual(
    toLeanPod({ metadata: { name: 'a', namespace: 'ns' }, spec: { containers: [] }, status: { podIP: '10.0.0.2' } })
      .ips,
    ['10.0.0.2'],
  )
  assert.deepEqual(toLeanPod({ metadata: { name: 'a', namespace: 'ns' }, spec: { containers: [] } }).ips, [])
  assert.equal(toLeanNamespace({ metadata: { name: 'Default' } }), 'default')
})
