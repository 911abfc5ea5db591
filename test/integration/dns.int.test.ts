/**
 * The DNS server against the real API server (memory store, TLS, token auth): Services,
 * Endpoints (written here; the endpoints controller is not running) and Pods are created
 * through the REST client, and queries go to the DNS server over UDP and TCP on loopback.
 * Covers S1 (web-0.nginx...), S3 (SRV per pod), NXDOMAIN/NODATA, answers following an
 * Endpoints update, SERVFAIL before sync, and `dig` when dnsutils is installed.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { promisify } from 'node:util'
import type { Endpoints, Service } from '../../src/api/core.js'
import type { Pod } from '../../src/api/pod.js'
import { type ApiServer, startApiServer } from '../../src/apiserver/server.js'
import { ENDPOINTS, PODS, SERVICES } from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { DnsClient } from '../../src/dns/dns-client.js'
import { type DecodedPacket, Rcode, rcodeOf } from '../../src/dns/message.js'
import { type DnsServer, startDnsServer } from '../../src/dns/server.js'
import { formatRecord } from '../../src/dns/zone-text.js'
import { openStore } from '../../src/storage/registry.js'
import type { Store } from '../../src/storage/store.js'

let store: Store
let api: ApiServer
let client: RestClient
let dns: DnsServer
let ask: DnsClient
const ns = 'default'

async function until(cond: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await cond()) return
    await new Promise(r => setTimeout(r, 20))
  }
  assert.fail(`timed out waiting for ${what}`)
}

const headless = (name: string, port: { name?: string; port: number }): Service => ({
  metadata: { name, namespace: ns },
  spec: { clusterIP: 'None', selector: { app: name }, ports: [{ ...port, protocol: 'TCP' }] },
})

const endpoints = (name: string, pods: [string, string][], port: { name?: string; port: number }): Endpoints => ({
  metadata: { name, namespace: ns },
  subsets: [
    {
      addresses: pods.map(([hostname, ip]) => ({
        ip,
        hostname,
        targetRef: { kind: 'Pod', namespace: ns, name: hostname },
      })),
      ports: [{ ...port, protocol: 'TCP' }],
    },
  ],
})

async function createPod(name: string, subdomain: string, ip: string): Promise<void> {
  const pod = await client.create<Pod>(PODS, {
    metadata: { name, namespace: ns, labels: { app: subdomain } },
    spec: { hostname: name, subdomain, containers: [{ name: 'c', image: 'nginx' }] },
  })
  await client.updateStatus<Pod>(PODS, { ...pod, status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] } })
}

const data = (m: DecodedPacket) => (m.answers ?? []).map(a => (a as { data: unknown }).data)

before(async () => {
  store = await openStore('memory:')
  api = await startApiServer({ store, listen: { host: '127.0.0.1', port: 0 } })
  client = new RestClient({ server: api.url, token: api.token, ca: api.ca })
  await client.create(SERVICES, headless('nginx', { name: 'web', port: 80 }))
  await client.create(SERVICES, headless('kubia', { port: 8080 }))
  await client.create(SERVICES, {
    metadata: { name: 'frontend', namespace: ns },
    spec: { selector: { app: 'frontend' }, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  })
  for (const [i, ip] of ['10.244.0.10', '10.244.0.11', '10.244.0.12'].entries())
    await createPod(`web-${i}`, 'nginx', ip)
  for (const [i, ip] of ['10.244.1.10', '10.244.1.11', '10.244.1.12'].entries())
    await createPod(`kubia-${i}`, 'kubia', ip)
  await client.create(
    ENDPOINTS,
    endpoints(
      'nginx',
      [
        ['web-0', '10.244.0.10'],
        ['web-1', '10.244.0.11'],
      ],
      { name: 'web', port: 80 },
    ),
  )
  await client.create(
    ENDPOINTS,
    endpoints(
      'kubia',
      [
        ['kubia-0', '10.244.1.10'],
        ['kubia-1', '10.244.1.11'],
        ['kubia-2', '10.244.1.12'],
      ],
      { port: 8080 },
    ),
  )
  dns = await startDnsServer({ client, listen: [{ host: '127.0.0.1', port: 0 }], upstreams: [] })
  assert.ok(await dns.waitForSync(AbortSignal.timeout(10_000)), 'DNS informers synced')
  ask = new DnsClient({ host: '127.0.0.1', port: dns.port })
})

after(async () => {
  ask?.close()
  await dns?.close()
  client.close()
  await api.close()
  await store.close()
})

test('S1: the stable pod name answers its IP; the headless name lists ready endpoints', async () => {
  const web0 = await ask.ask('web-0.nginx.default.svc.cluster.local', 'A')
  assert.equal(rcodeOf(web0), Rcode.NOERROR)
  assert.ok(web0.flag_aa)
  assert.deepEqual(web0.answers!.map(formatRecord), ['web-0.nginx.default.svc.cluster.local. 5 IN A 10.244.0.10'])
  const all = await ask.ask('nginx.default.svc.cluster.local', 'A')
  assert.deepEqual(data(all).sort(), ['10.244.0.10', '10.244.0.11'])
})

test('S3: SRV on the bare headless name lists one record per pod', async () => {
  const srv = await ask.ask('kubia.default.svc.cluster.local', 'SRV', { transport: 'tcp' })
  assert.deepEqual(srv.answers!.map(formatRecord).sort(), [
    'kubia.default.svc.cluster.local. 5 IN SRV 0 33 8080 kubia-0.kubia.default.svc.cluster.local.',
    'kubia.default.svc.cluster.local. 5 IN SRV 0 33 8080 kubia-1.kubia.default.svc.cluster.local.',
    'kubia.default.svc.cluster.local. 5 IN SRV 0 33 8080 kubia-2.kubia.default.svc.cluster.local.',
  ])
  assert.equal(srv.additionals!.filter(a => a.type === 'A').length, 3)
})

test('ClusterIP Services, pod records and PTR', async () => {
  const svc = await client.get<Service>(SERVICES, 'frontend', { namespace: ns })
  const a = await ask.ask('frontend.default.svc.cluster.local', 'A')
  assert.deepEqual(data(a), [svc.spec!.clusterIP])
  const srv = await ask.ask('_http._tcp.frontend.default.svc.cluster.local', 'SRV')
  assert.deepEqual(srv.answers!.map(formatRecord), [
    '_http._tcp.frontend.default.svc.cluster.local. 5 IN SRV 0 100 80 frontend.default.svc.cluster.local.',
  ])
  assert.deepEqual(data(await ask.ask('10-244-0-12.default.pod.cluster.local', 'A')), ['10.244.0.12'])
  const ptr = await ask.ask('10.0.244.10.in-addr.arpa', 'PTR')
  assert.deepEqual(data(ptr), ['web-0.nginx.default.svc.cluster.local'])
  const kubernetes = await ask.ask('kubernetes.default.svc.cluster.local', 'A')
  assert.deepEqual(data(kubernetes), ['10.96.0.1'])
})

test('AAAA on an IPv4 name is NODATA, an unknown name NXDOMAIN, both with the SOA', async () => {
  const aaaa = await ask.ask('web-0.nginx.default.svc.cluster.local', 'AAAA')
  assert.equal(rcodeOf(aaaa), Rcode.NOERROR)
  assert.deepEqual(aaaa.answers, [])
  assert.equal(aaaa.authorities![0]!.type, 'SOA')
  const nx = await ask.ask('nope.default.svc.cluster.local', 'A')
  assert.equal(rcodeOf(nx), Rcode.NXDOMAIN)
  assert.equal(nx.authorities![0]!.type, 'SOA')
  assert.equal(rcodeOf(await ask.ask('web-2.nginx.default.svc.cluster.local', 'A')), Rcode.NXDOMAIN)
  assert.equal(rcodeOf(await ask.ask('default.svc.cluster.local', 'A')), Rcode.NOERROR)
  assert.equal(rcodeOf(await ask.ask('nosuchns.svc.cluster.local', 'A')), Rcode.NXDOMAIN)
})

test('answers follow the API: scaling the Endpoints up and down', async () => {
  const cur = await client.get<Endpoints>(ENDPOINTS, 'nginx', { namespace: ns })
  await client.update(ENDPOINTS, {
    ...cur,
    subsets: [
      { ...cur.subsets![0]!, addresses: [...cur.subsets![0]!.addresses!, { ip: '10.244.0.12', hostname: 'web-2' }] },
    ],
  })
  await until(
    async () => data(await ask.ask('web-2.nginx.default.svc.cluster.local', 'A'))[0] === '10.244.0.12',
    'web-2 to resolve',
  )
  const up = await client.get<Endpoints>(ENDPOINTS, 'nginx', { namespace: ns })
  await client.update(ENDPOINTS, {
    ...up,
    subsets: [{ ...up.subsets![0]!, addresses: [up.subsets![0]!.addresses![0]!] }],
  })
  await until(
    async () => rcodeOf(await ask.ask('web-1.nginx.default.svc.cluster.local', 'A')) === Rcode.NXDOMAIN,
    'web-1 to disappear',
  )
  assert.deepEqual(data(await ask.ask('nginx.default.svc.cluster.local', 'A')), ['10.244.0.10'])
  await client.delete(SERVICES, 'kubia', { namespace: ns })
  await until(
    async () => rcodeOf(await ask.ask('kubia.default.svc.cluster.local', 'SRV')) === Rcode.NXDOMAIN,
    'kubia to disappear',
  )
})

test('dig, when installed, lists the SRV targets', {
  skip: !existsSync('/usr/bin/dig') && 'dig not installed',
}, async () => {
  // NOTE: dig must run asynchronously: the DNS server answers from this very process.
  const { stdout: out } = await promisify(execFile)('/usr/bin/dig', [
    '@127.0.0.1',
    '-p',
    String(dns.port),
    'SRV',
    'nginx.default.svc.cluster.local',
    '+short',
    '+time=2',
    '+tries=1',
  ])
  const lines = out.trim().split('\n').filter(Boolean)
  assert.ok(lines.length >= 1, out)
  for (const line of lines) assert.match(line, /^0 \d+ 80 web-\d\.nginx\.default\.svc\.cluster\.local\.$/)
})

test('a DNS server whose informers have not synced answers cluster names SERVFAIL', async () => {
  const unreachable = new RestClient({ server: 'https://127.0.0.1:1', token: 'x', insecureSkipTLSVerify: true })
  const early = await startDnsServer({ client: unreachable, listen: [{ host: '127.0.0.1', port: 0 }], upstreams: [] })
  const c = new DnsClient({ host: '127.0.0.1', port: early.port })
  try {
    assert.equal(early.hasSynced(), false)
    const resp = await c.ask('web-0.nginx.default.svc.cluster.local', 'A')
    assert.equal(rcodeOf(resp), Rcode.SERVFAIL)
    assert.equal(rcodeOf(await c.ask('example.com', 'A')), Rcode.REFUSED)
  } finally {
    c.close()
    await early.close()
    unreachable.close()
  }
})
