/** Pod DNS: each dnsPolicy, host-network, dnsConfig merging, resolv.conf parsing. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Pod } from '../api/pod.js'
import { parseResolvConf, podDnsConfig } from './dns-config.js'

const pod = (spec: Partial<Pod['spec']> = {}): Pod => ({
  metadata: { name: 'p', namespace: 'prod' },
  spec: { containers: [], ...spec },
})
const cluster = { servers: ['10.96.0.10'] }
const host = parseResolvConf(
  '# comment\nnameserver 192.168.1.1\nnameserver 8.8.8.8\nsearch corp.example\noptions edns0\n',
)

describe('podDnsConfig', () => {
  it('parses resolv.conf', () =>
    assert.deepEqual(host, { nameservers: ['192.168.1.1', '8.8.8.8'], searches: ['corp.example'], options: ['edns0'] }))
  it('ClusterFirst (the default): cluster DNS, the search path, ndots:5', () =>
    assert.deepEqual(podDnsConfig(pod(), cluster, host), {
      nameservers: ['10.96.0.10'],
      searches: ['prod.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example'],
      options: ['ndots:5'],
    }))
  it('ClusterFirst on the host network, Default, or without a cluster DNS: the node resolver', () => {
    assert.equal(podDnsConfig(pod({ hostNetwork: true }), cluster, host), undefined)
    assert.equal(podDnsConfig(pod({ dnsPolicy: 'Default' }), cluster, host), undefined)
    assert.equal(podDnsConfig(pod(), {}, host), undefined)
  })
  it('ClusterFirstWithHostNet uses the cluster DNS', () =>
    assert.deepEqual(
      podDnsConfig(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), cluster)?.nameservers,
      ['10.96.0.10'],
    ))
  it('None takes dnsConfig only', () =>
    assert.deepEqual(
      podDnsConfig(
        pod({
          dnsPolicy: 'None',
          dnsConfig: { nameservers: ['1.1.1.1'], searches: ['a.example'], options: [{ name: 'ndots', value: '2' }] },
        }),
        cluster,
        host,
      ),
      { nameservers: ['1.1.1.1'], searches: ['a.example'], options: ['ndots:2'] },
    ))
  it('dnsConfig merges into ClusterFirst and Default', () => {
    const extra = {
      nameservers: ['1.1.1.1'],
      searches: ['x.example'],
      options: [{ name: 'ndots', value: '1' }, { name: 'rotate' }],
    }
    assert.deepEqual(podDnsConfig(pod({ dnsConfig: extra }), cluster), {
      nameservers: ['10.96.0.10', '1.1.1.1'],
      searches: ['prod.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'x.example'],
      options: ['ndots:1', 'rotate'],
    })
    assert.deepEqual(podDnsConfig(pod({ dnsPolicy: 'Default', dnsConfig: extra }), cluster, host), {
      nameservers: ['192.168.1.1', '8.8.8.8', '1.1.1.1'],
      searches: ['corp.example', 'x.example'],
      options: ['edns0', 'ndots:1', 'rotate'],
    })
  })
})
