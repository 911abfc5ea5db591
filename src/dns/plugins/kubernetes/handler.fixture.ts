/**
 * The world the kubernetes handler tests answer from (CoreDNS's APIConnServeTest): lean objects
 * fed straight into a RecordIndex, plus a runner for table cases written as zone-file text.
 * Test support only: imported by *.test.ts files, never by the server.
 */
import assert from 'node:assert/strict'
import { type Answer, type Packet, Rcode, type RecordType, rcodeOf, replyTo, rr } from '../../message.js'
import { chain, type Handler, NEXT, queryFor, requestOf } from '../../plugin.js'
import { formatRecord, normalizeRecordText } from '../../zone-text.js'
import { KubernetesPlugin } from './kubernetes.js'
import type { LeanEndpoints, LeanPort, LeanService } from './object.js'
import { RecordIndex } from './record-index.js'

/** The SOA every negative answer of the fixture carries (serial 1499347823, as CoreDNS's tests). */
export const fixtureSOA =
  'cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1499347823 7200 1800 86400 5'

/** One table case: the question and the expected response, records as zone-file text. */
export interface Case {
  qname: string
  qtype: RecordType | string
  rcode: keyof typeof Rcode
  answer?: string[]
  /** Authority section; negative answers default to [fixtureSOA]. */
  ns?: string[]
  extra?: string[]
  /** Whether AA is expected (default: true for NOERROR and NXDOMAIN). */
  authoritative?: boolean
}

const tcp = (name: string, port: number): LeanPort => ({ name, protocol: 'tcp', port })
const svc = (namespace: string, name: string, s: Partial<LeanService>): LeanService => ({
  namespace,
  name,
  type: 'ClusterIP',
  clusterIPs: [],
  headless: false,
  externalName: '',
  ports: [],
  ...s,
})
const eps = (namespace: string, name: string, subsets: LeanEndpoints['subsets']): LeanEndpoints => ({
  namespace,
  name,
  subsets,
})
const addr = (ip: string, hostname = '') => ({ ip, hostname })

/** A RecordIndex holding the fixture objects (synced unless told otherwise). */
export function fixtureIndex(opts: { synced?: boolean } = {}): RecordIndex {
  const index = new RecordIndex({ now: () => 1499347823_000, synced: () => opts.synced ?? true })
  for (const ns of ['testns', 'default', 'kube-system', 'podns']) index.putNamespace(ns)
  index.putService(svc('testns', 'svc1', { clusterIPs: ['10.0.0.1'], ports: [tcp('http', 80)] }))
  index.putEndpoints(eps('testns', 'svc1', [{ addresses: [addr('172.0.0.1', 'ep1a')], ports: [tcp('http', 80)] }]))
  index.putService(svc('testns', 'svcempty', { clusterIPs: ['10.0.0.2'], ports: [tcp('http', 80)] }))
  index.putEndpoints(eps('testns', 'svcempty', [{ addresses: [], ports: [tcp('http', 80)] }]))
  index.putService(svc('testns', 'svc6', { clusterIPs: ['1234:abcd::1'], ports: [tcp('http', 80)] }))
  index.putService(svc('testns', 'svc-dual-stack', { clusterIPs: ['10.0.0.3', '10::3'], ports: [tcp('http', 80)] }))
  index.putService(
    svc('testns', 'multiport', {
      clusterIPs: ['10.0.0.4'],
      ports: [tcp('http', 80), { name: 'dns', protocol: 'udp', port: 53 }, tcp('', 8080)],
    }),
  )
  index.putService(svc('testns', 'hdls1', { headless: true, ports: [tcp('http', 80)] }))
  index.putEndpoints(
    eps('testns', 'hdls1', [
      {
        addresses: [
          addr('172.0.0.2'),
          addr('172.0.0.3'),
          addr('172.0.0.4', 'dup-name'),
          addr('172.0.0.5', 'dup-name'),
          addr('5678:abcd::1'),
          addr('5678:abcd::2'),
        ],
        ports: [tcp('http', 80)],
      },
    ]),
  )
  index.putService(svc('testns', 'hdlsprtls', { headless: true }))
  index.putEndpoints(eps('testns', 'hdlsprtls', [{ addresses: [addr('172.0.0.20')], ports: [tcp('', -1)] }]))
  index.putService(svc('testns', 'hdlsempty', { headless: true, ports: [tcp('http', 80)] }))
  index.putService(svc('testns', 'external', { type: 'ExternalName', externalName: 'ext.interwebs.test' }))
  index.putService(
    svc('testns', 'external-to-service', { type: 'ExternalName', externalName: 'svc1.testns.svc.cluster.local' }),
  )
  // S1 and S3: StatefulSet pods behind headless Services.
  index.putService(svc('default', 'nginx', { headless: true, ports: [tcp('web', 80)] }))
  index.putEndpoints(
    eps('default', 'nginx', [
      { addresses: [addr('10.244.0.10', 'web-0'), addr('10.244.0.11', 'web-1')], ports: [tcp('web', 80)] },
    ]),
  )
  index.putService(svc('default', 'kubia', { headless: true, ports: [tcp('', 80)] }))
  index.putEndpoints(
    eps('default', 'kubia', [
      {
        addresses: [addr('10.244.1.1', 'kubia-0'), addr('10.244.1.2', 'kubia-1'), addr('10.244.1.3', 'kubia-2')],
        ports: [tcp('', 80)],
      },
    ]),
  )
  index.putService(
    svc('kube-system', 'kube-dns', {
      clusterIPs: ['10.96.0.10'],
      ports: [{ name: 'dns', protocol: 'udp', port: 53 }, tcp('dns-tcp', 53)],
    }),
  )
  index.putPod({ namespace: 'podns', name: 'foo', ips: ['10.240.0.1'] })
  index.putPod({ namespace: 'podns', name: 'bar', ips: ['10.240.0.2', 'fd00::2'] })
  return index
}

/** Stands in for the forward plugin: answers ext.interwebs.test and nothing else. */
export const upstreamStub: Handler = {
  name: 'upstream-stub',
  serveDNS(_ctx, req) {
    if (req.name !== 'ext.interwebs.test') return NEXT
    const answers: Answer[] = req.qtype === 'A' ? [rr(req.qname, 'A', 5, '1.2.3.4')] : []
    return replyTo(req.msg, { answers })
  },
}

/** Runs the query through kubernetes → upstreamStub and returns the response. */
export async function ask(index: RecordIndex, qname: string, qtype: string): Promise<Packet> {
  const run = chain([new KubernetesPlugin(index, { zone: 'cluster.local.' }), upstreamStub])
  return run(requestOf(queryFor(qname, qtype as RecordType), 'udp'))
}

const sorted = (rrs: Answer[] | undefined) =>
  (rrs ?? [])
    .filter(a => a.type !== 'OPT')
    .map(formatRecord)
    .sort()
const expected = (lines: string[] | undefined) => (lines ?? []).map(normalizeRecordText).sort()

/** Asserts one case against index. */
export async function checkCase(index: RecordIndex, tc: Case): Promise<void> {
  const resp = await ask(index, tc.qname, tc.qtype)
  const what = `${tc.qname} ${tc.qtype}`
  assert.equal(rcodeOf(resp), Rcode[tc.rcode], `${what}: rcode`)
  assert.deepEqual(sorted(resp.answers), expected(tc.answer), `${what}: answer`)
  const negative = !tc.answer?.length && tc.rcode !== 'REFUSED'
  assert.deepEqual(sorted(resp.authorities), expected(tc.ns ?? (negative ? [fixtureSOA] : [])), `${what}: authority`)
  assert.deepEqual(sorted(resp.additionals), expected(tc.extra), `${what}: additional`)
  const aa = tc.authoritative ?? (tc.rcode === 'NOERROR' || tc.rcode === 'NXDOMAIN')
  assert.equal(((resp.flags ?? 0) & (1 << 10)) !== 0, aa, `${what}: AA`)
}
