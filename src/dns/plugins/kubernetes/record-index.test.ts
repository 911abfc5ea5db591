/** Tests of RecordIndex: replacing objects re-indexes their IPs; deletes clean every index. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RecordIndex } from './record-index.js'

const http = { name: 'http', protocol: 'tcp', port: 80 }

test('services are found by name and cluster IP; an update moves the IP', () => {
  let now = 5_000
  const index = new RecordIndex({ now: () => now })
  const svc = {
    namespace: 'ns',
    name: 'a',
    type: 'ClusterIP',
    clusterIPs: ['10.0.0.1'],
    headless: false,
    externalName: '',
    ports: [http],
  }
  index.putService(svc)
  assert.equal(index.service('ns', 'a'), svc)
  assert.deepEqual(index.servicesByClusterIP('10.0.0.1'), [svc])
  now = 9_000
  index.putService({ ...svc, clusterIPs: ['10.0.0.2'] })
  assert.deepEqual(index.servicesByClusterIP('10.0.0.1'), [])
  assert.equal(index.servicesByClusterIP('10.0.0.2').length, 1)
  assert.equal(index.serial(), 9)
  index.deleteService('ns', 'a')
  assert.equal(index.service('ns', 'a'), undefined)
  assert.deepEqual(index.servicesByClusterIP('10.0.0.2'), [])
})

test('endpoints and pods are indexed by every address', () => {
  const index = new RecordIndex()
  const ep = {
    namespace: 'ns',
    name: 'h',
    subsets: [
      {
        addresses: [
          { ip: '10.1.0.1', hostname: 'h-0' },
          { ip: '10.1.0.2', hostname: 'h-1' },
        ],
        ports: [http],
      },
    ],
  }
  index.putEndpoints(ep)
  assert.deepEqual(index.endpointsByIP('10.1.0.2'), [ep])
  index.putEndpoints({ ...ep, subsets: [{ ...ep.subsets[0]!, addresses: [ep.subsets[0]!.addresses[0]!] }] })
  assert.deepEqual(index.endpointsByIP('10.1.0.2'), [])
  assert.equal(index.endpointsByIP('10.1.0.1').length, 1)
  index.deleteEndpoints('ns', 'h')
  assert.deepEqual(index.endpointsByIP('10.1.0.1'), [])

  index.putPod({ namespace: 'ns', name: 'p', ips: ['10.1.0.9'] })
  index.putPod({ namespace: 'other', name: 'p', ips: ['10.1.0.9'] })
  assert.equal(index.podsByIP('10.1.0.9').length, 2)
  index.deletePod('ns', 'p')
  assert.deepEqual(
    index.podsByIP('10.1.0.9').map(p => p.namespace),
    ['other'],
  )
  assert.deepEqual(index.counts(), { services: 0, endpoints: 0, pods: 1, namespaces: 0 })
})

test('namespaces and the synced predicate', () => {
  let synced = false
  const index = new RecordIndex({ synced: () => synced })
  assert.equal(index.hasSynced(), false)
  synced = true
  assert.equal(index.hasSynced(), true)
  index.putNamespace('default')
  assert.ok(index.hasNamespace('default'))
  index.deleteNamespace('default')
  assert.ok(!index.hasNamespace('default'))
})
