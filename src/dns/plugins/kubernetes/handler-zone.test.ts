/**
 * Table tests of the kubernetes plugin outside Service names: the zone apex and its special
 * names, namespaces, pod records (verified mode), PTR, case, start-up SERVFAIL and hand-off of
 * names outside the zone.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Rcode, type RecordType, rcodeOf } from '../../message.js'
import { NEXT, queryFor, requestOf } from '../../plugin.js'
import { formatRecord } from '../../zone-text.js'
import { type Case, checkCase, fixtureIndex, fixtureSOA } from './handler.fixture.js'
import { KubernetesPlugin } from './kubernetes.js'

const cases: Case[] = [
  // The apex: SOA and NS answer; other types, and the svc/pod sub-trees, are NODATA.
  { qname: 'cluster.local.', qtype: 'SOA', rcode: 'NOERROR', answer: [fixtureSOA], ns: [] },
  {
    qname: 'cluster.local.',
    qtype: 'NS',
    rcode: 'NOERROR',
    answer: ['cluster.local. 5 IN NS ns.dns.cluster.local.'],
    extra: ['ns.dns.cluster.local. 5 IN A 10.96.0.10'],
  },
  { qname: 'cluster.local.', qtype: 'A', rcode: 'NOERROR' },
  { qname: 'svc.cluster.local.', qtype: 'A', rcode: 'NOERROR' },
  { qname: 'pod.cluster.local.', qtype: 'A', rcode: 'NOERROR' },
  { qname: 'svc.cluster.local.', qtype: 'NS', rcode: 'NOERROR' },
  { qname: 'ns.dns.cluster.local.', qtype: 'A', rcode: 'NOERROR', answer: ['ns.dns.cluster.local. 5 IN A 10.96.0.10'] },
  { qname: 'ns.dns.cluster.local.', qtype: 'AAAA', rcode: 'NOERROR' },
  // The schema version record (spec 2.2).
  {
    qname: 'dns-version.cluster.local.',
    qtype: 'TXT',
    rcode: 'NOERROR',
    answer: ['dns-version.cluster.local. 28800 IN TXT "1.1.0"'],
  },
  { qname: 'dns-version.cluster.local.', qtype: 'A', rcode: 'NOERROR' },
  // Names that cannot exist in the zone.
  { qname: 'foo.cluster.local.', qtype: 'NS', rcode: 'NXDOMAIN' },
  { qname: 'foo.svc.cluster.local.', qtype: 'NS', rcode: 'NXDOMAIN' },
  { qname: 'a.b.c.d.testns.svc.cluster.local.', qtype: 'A', rcode: 'NXDOMAIN' },
  // A namespace that exists is an (empty) name; one that does not is NXDOMAIN.
  { qname: 'testns.svc.cluster.local.', qtype: 'A', rcode: 'NOERROR' },
  { qname: 'testns.svc.cluster.local.', qtype: 'NS', rcode: 'NOERROR' },
  { qname: 'nsnoexist.svc.cluster.local.', qtype: 'A', rcode: 'NXDOMAIN' },
  { qname: 'podns.pod.cluster.local.', qtype: 'A', rcode: 'NOERROR' },
  // Pod records, verified: only for a pod with that IP in that namespace.
  {
    qname: '10-240-0-1.podns.pod.cluster.local.',
    qtype: 'A',
    rcode: 'NOERROR',
    answer: ['10-240-0-1.podns.pod.cluster.local. 5 IN A 10.240.0.1'],
  },
  { qname: '10-240-0-1.podns.pod.cluster.local.', qtype: 'AAAA', rcode: 'NOERROR' },
  {
    qname: 'fd00--2.podns.pod.cluster.local.',
    qtype: 'AAAA',
    rcode: 'NOERROR',
    answer: ['fd00--2.podns.pod.cluster.local. 5 IN AAAA fd00::2'],
  },
  { qname: '10-240-0-1.testns.pod.cluster.local.', qtype: 'A', rcode: 'NXDOMAIN' },
  { qname: '10-240-0-9.podns.pod.cluster.local.', qtype: 'A', rcode: 'NXDOMAIN' },
  { qname: '10-240-0-1.pod-nons.pod.cluster.local.', qtype: 'A', rcode: 'NXDOMAIN' },
  { qname: 'not-an-ip.podns.pod.cluster.local.', qtype: 'A', rcode: 'NXDOMAIN' },
  // PTR: a cluster IP names its Service; an endpoint address names the endpoint.
  {
    qname: '1.0.0.10.in-addr.arpa.',
    qtype: 'PTR',
    rcode: 'NOERROR',
    answer: ['1.0.0.10.in-addr.arpa. 5 IN PTR svc1.testns.svc.cluster.local.'],
    ns: [],
  },
  {
    qname: '10.0.244.10.in-addr.arpa.',
    qtype: 'PTR',
    rcode: 'NOERROR',
    answer: ['10.0.244.10.in-addr.arpa. 5 IN PTR web-0.nginx.default.svc.cluster.local.'],
    ns: [],
  },
  {
    qname: '2.0.0.172.in-addr.arpa.',
    qtype: 'PTR',
    rcode: 'NOERROR',
    answer: ['2.0.0.172.in-addr.arpa. 5 IN PTR 172-0-0-2.hdls1.testns.svc.cluster.local.'],
    ns: [],
  },
  {
    qname: '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa.',
    qtype: 'PTR',
    rcode: 'NOERROR',
    answer: [
      '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa. 5 IN PTR svc6.testns.svc.cluster.local.',
    ],
    ns: [],
  },
  // Case-insensitive lookups; the owner name keeps the case it was asked with.
  {
    qname: 'WEB-0.Nginx.DEFAULT.svc.Cluster.Local.',
    qtype: 'A',
    rcode: 'NOERROR',
    answer: ['WEB-0.Nginx.DEFAULT.svc.Cluster.Local. 5 IN A 10.244.0.10'],
  },
  { qname: 'SVC0.testns.SVC.cluster.local.', qtype: 'A', rcode: 'NXDOMAIN' },
  // Zone transfers are not offered.
  { qname: 'cluster.local.', qtype: 'AXFR', rcode: 'REFUSED', authoritative: false },
]

const index = fixtureIndex()
for (const tc of cases) {
  test(`${tc.qname} ${tc.qtype} → ${tc.rcode}`, () => checkCase(index, tc))
}

const serve = (plugin: KubernetesPlugin, name: string, type: string) =>
  plugin.serveDNS(
    { lookup: () => Promise.reject(new Error('no lookup')) },
    requestOf(queryFor(name, type as RecordType), 'udp'),
  )

test('names outside the zone, and unknown reverse names, go to the next plugin', async () => {
  const plugin = new KubernetesPlugin(fixtureIndex(), { zone: 'cluster.local' })
  assert.equal(await serve(plugin, 'example.com', 'A'), NEXT)
  assert.equal(await serve(plugin, 'cluster.local.example.com', 'A'), NEXT)
  assert.equal(await serve(plugin, '9.9.9.9.in-addr.arpa', 'PTR'), NEXT)
  assert.equal(await serve(plugin, '1.0.0.10.in-addr.arpa', 'A'), NEXT)
  assert.equal(await serve(plugin, '0.10.in-addr.arpa', 'PTR'), NEXT)
})

test('before the informers have synced, every zone name answers SERVFAIL with the SOA', async () => {
  const plugin = new KubernetesPlugin(fixtureIndex({ synced: false }), { zone: 'cluster.local' })
  for (const [name, type] of [
    ['svc0.testns.svc.cluster.local', 'A'],
    ['svc1.testns.svc.cluster.local', 'A'],
    ['cluster.local', 'SOA'],
  ] as const) {
    const resp = await serve(plugin, name, type)
    assert.notEqual(resp, NEXT)
    if (resp === NEXT) return
    assert.equal(rcodeOf(resp), Rcode.SERVFAIL, name)
    assert.deepEqual(resp.answers, [])
    assert.deepEqual(resp.authorities!.map(formatRecord), [fixtureSOA])
  }
  const ptr = await serve(plugin, '1.0.0.10.in-addr.arpa', 'PTR')
  assert.ok(ptr !== NEXT && rcodeOf(ptr) === Rcode.SERVFAIL)
  assert.equal(await serve(plugin, 'example.com', 'A'), NEXT)
})

test('the TTL is configurable and the SOA follows it', async () => {
  const plugin = new KubernetesPlugin(fixtureIndex(), { zone: 'cluster.local', ttl: 30 })
  const resp = await serve(plugin, 'svc1.testns.svc.cluster.local', 'A')
  assert.ok(resp !== NEXT)
  assert.deepEqual(resp.answers!.map(formatRecord), ['svc1.testns.svc.cluster.local. 30 IN A 10.0.0.1'])
  const nx = await serve(plugin, 'nope.testns.svc.cluster.local', 'A')
  assert.ok(nx !== NEXT)
  assert.deepEqual(nx.authorities!.map(formatRecord), [
    'cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1499347823 7200 1800 86400 30',
  ])
})

test('answers follow index changes at once', async () => {
  const index = fixtureIndex()
  const plugin = new KubernetesPlugin(index, { zone: 'cluster.local' })
  const a = async (name: string) => {
    const r = await serve(plugin, name, 'A')
    assert.ok(r !== NEXT)
    return { rcode: rcodeOf(r), ips: r.answers!.map(x => (x as { data: unknown }).data) }
  }
  assert.deepEqual(await a('web-1.nginx.default.svc.cluster.local'), { rcode: 0, ips: ['10.244.0.11'] })
  index.putEndpoints({
    namespace: 'default',
    name: 'nginx',
    subsets: [
      { addresses: [{ ip: '10.244.0.10', hostname: 'web-0' }], ports: [{ name: 'web', protocol: 'tcp', port: 80 }] },
    ],
  })
  assert.deepEqual(await a('web-1.nginx.default.svc.cluster.local'), { rcode: Rcode.NXDOMAIN, ips: [] })
  assert.deepEqual(await a('nginx.default.svc.cluster.local'), { rcode: 0, ips: ['10.244.0.10'] })
  index.deleteService('testns', 'svc1')
  assert.deepEqual(await a('svc1.testns.svc.cluster.local'), { rcode: Rcode.NXDOMAIN, ips: [] })
  index.deleteNamespace('podns')
  assert.deepEqual(await a('10-240-0-1.podns.pod.cluster.local'), { rcode: Rcode.NXDOMAIN, ips: [] })
})
