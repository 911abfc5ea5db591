/**
 * Table tests of the kubernetes plugin for Service names (CoreDNS's handler_test.go): ClusterIP,
 * headless, per-endpoint, SRV (named and bare), ExternalName, and NXDOMAIN versus NODATA.
 */
import { test } from 'node:test'
import { type Case, checkCase, fixtureIndex } from './handler.fixture.js'

const cases: Case[] = [
  // ClusterIP Services: A is the cluster IP, whether or not the Service has endpoints.
  {
    qname: 'svc1.testns.svc.cluster.local.',
    qtype: 'A',
    rcode: 'NOERROR',
    answer: ['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1'],
  },
  {
    qname: 'svcempty.testns.svc.cluster.local.',
    qtype: 'A',
    rcode: 'NOERROR',
    answer: ['svcempty.testns.svc.cluster.local. 5 IN A 10.0.0.2'],
  },
  // AAAA on an IPv4-only name: NODATA with the SOA.
  { qname: 'svc1.testns.svc.cluster.local.', qtype: 'AAAA', rcode: 'NOERROR' },
  {
    qname: 'svc6.testns.svc.cluster.local.',
    qtype: 'AAAA',
    rcode: 'NOERROR',
    answer: ['svc6.testns.svc.cluster.local. 5 IN AAAA 1234:abcd::1'],
  },
  {
    qname: 'svc-dual-stack.testns.svc.cluster.local.',
    qtype: 'A',
    rcode: 'NOERROR',
    answer: ['svc-dual-stack.testns.svc.cluster.local. 5 IN A 10.0.0.3'],
  },
  {
    qname: 'svc-dual-stack.testns.svc.cluster.local.',
    qtype: 'AAAA',
    rcode: 'NOERROR',
    answer: ['svc-dual-stack.testns.svc.cluster.local. 5 IN AAAA 10::3'],
  },
  // SRV for a named port of a ClusterIP Service: target is the Service name, its A in additional.
  {
    qname: '_http._tcp.svc1.testns.svc.cluster.local.',
    qtype: 'SRV',
    rcode: 'NOERROR',
    answer: ['_http._tcp.svc1.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc1.testns.svc.cluster.local.'],
    extra: ['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1'],
  },
  // SRV on the bare Service name lists every port, unnamed ones included (CoreDNS).
  {
    qname: 'multiport.testns.svc.cluster.local.',
    qtype: 'SRV',
    rcode: 'NOERROR',
    answer: [
      'multiport.testns.svc.cluster.local. 5 IN SRV 0 33 80 multiport.testns.svc.cluster.local.',
      'multiport.testns.svc.cluster.local. 5 IN SRV 0 33 53 multiport.testns.svc.cluster.local.',
      'multiport.testns.svc.cluster.local. 5 IN SRV 0 33 8080 multiport.testns.svc.cluster.local.',
    ],
    extra: ['multiport.testns.svc.cluster.local. 5 IN A 10.0.0.4'],
  },
  {
    qname: '_dns._udp.multiport.testns.svc.cluster.local.',
    qtype: 'SRV',
    rcode: 'NOERROR',
    answer: ['_dns._udp.multiport.testns.svc.cluster.local. 5 IN SRV 0 100 53 multiport.testns.svc.cluster.local.'],
    extra: ['multiport.testns.svc.cluster.local. 5 IN A 10.0.0.4'],
  },
  // Port name with the wrong protocol, or an unknown port: the name does not exist.
  { qname: '_dns._tcp.multiport.testns.svc.cluster.local.', qtype: 'SRV', rcode: 'NXDOMAIN' },
  { qname: '_nope._tcp.svc1.testns.svc.cluster.local.', qtype: 'SRV', rcode: 'NXDOMAIN' },
  // A named-port name exists, so A on it answers the cluster IP (CoreDNS).
  {
    qname: '_http._tcp.svc1.testns.svc.cluster.local.',
    qtype: 'A',
    rcode: 'NOERROR',
    answer: ['_http._tcp.svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1'],
  },
  {
    qname: 'svc6.testns.svc.cluster.local.',
    qtype: 'SRV',
    rcode: 'NOERROR',
    answer: ['svc6.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc6.testns.svc.cluster.local.'],
    extra: ['svc6.testns.svc.cluster.local. 5 IN AAAA 1234:abcd::1'],
  },
  // Headless: one A per ready endpoint address.
  {
    qname: 'hdls1.testns.svc.cluster.local.',
    qtype: 'A',
    rcode: 'NOERROR',
    answer: [
      'hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.2',
      'hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.3',
      'hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.4',
      'hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.5',
    ],
  },
  {
    qname: 'hdls1.testns.svc.cluster.local.',
    qtype: 'AAAA',
    rcode: 'NOERROR',
    answer: [
      'hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::1',
      'hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::2',
    ],
  },
  {
    qname: 'hdlsprtls.testns.svc.cluster.local.',
    qtype: 'A',
    rcode: 'NOERROR',
    answer: ['hdlsprtls.testns.svc.cluster.local. 5 IN A 172.0.0.20'],
  },
  // A headless Service without ready endpoints is NXDOMAIN (the spec, 2.4.1).
  { qname: 'hdlsempty.testns.svc.cluster.local.', qtype: 'A', rcode: 'NXDOMAIN' },
  // Endpoints by hostname (several IPs per hostname) and by dashed IP when they have none.
  {
    qname: 'dup-name.hdls1.testns.svc.cluster.local.',
    qtype: 'A',
    rcode: 'NOERROR',
    answer: [
      'dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.4',
      'dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.5',
    ],
  },
  {
    qname: '172-0-0-2.hdls1.testns.svc.cluster.local.',
    qtype: 'A',
    rcode: 'NOERROR',
    answer: ['172-0-0-2.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.2'],
  },
  {
    qname: '172-0-0-20.hdlsprtls.testns.svc.cluster.local.',
    qtype: 'A',
    rcode: 'NOERROR',
    answer: ['172-0-0-20.hdlsprtls.testns.svc.cluster.local. 5 IN A 172.0.0.20'],
  },
  {
    qname: '5678-abcd--2.hdls1.testns.svc.cluster.local.',
    qtype: 'AAAA',
    rcode: 'NOERROR',
    answer: ['5678-abcd--2.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::2'],
  },
  // An endpoint with a hostname answers only by it, not by its dashed IP.
  { qname: '172-0-0-4.hdls1.testns.svc.cluster.local.', qtype: 'A', rcode: 'NXDOMAIN' },
  { qname: 'bogusendpoint.hdls1.testns.svc.cluster.local.', qtype: 'A', rcode: 'NXDOMAIN' },
  { qname: 'bogusendpoint.svc0.testns.svc.cluster.local.', qtype: 'A', rcode: 'NXDOMAIN' },
  // Endpoint names of a ClusterIP Service resolve too (so its PTR targets do).
  {
    qname: 'ep1a.svc1.testns.svc.cluster.local.',
    qtype: 'A',
    rcode: 'NOERROR',
    answer: ['ep1a.svc1.testns.svc.cluster.local. 5 IN A 172.0.0.1'],
  },
  // SRV of a headless Service: one per endpoint and port, target the endpoint's name, 100/n weight.
  {
    qname: '_http._tcp.hdls1.testns.svc.cluster.local.',
    qtype: 'SRV',
    rcode: 'NOERROR',
    answer: [
      '_http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 172-0-0-2.hdls1.testns.svc.cluster.local.',
      '_http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 172-0-0-3.hdls1.testns.svc.cluster.local.',
      '_http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 5678-abcd--1.hdls1.testns.svc.cluster.local.',
      '_http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 5678-abcd--2.hdls1.testns.svc.cluster.local.',
      '_http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 dup-name.hdls1.testns.svc.cluster.local.',
    ],
    extra: [
      '172-0-0-2.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.2',
      '172-0-0-3.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.3',
      '5678-abcd--1.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::1',
      '5678-abcd--2.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::2',
      'dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.4',
      'dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.5',
    ],
  },
  // S1: the stable per-pod name of a StatefulSet pod, and its named-port SRV.
  {
    qname: 'web-0.nginx.default.svc.cluster.local.',
    qtype: 'A',
    rcode: 'NOERROR',
    answer: ['web-0.nginx.default.svc.cluster.local. 5 IN A 10.244.0.10'],
  },
  { qname: 'web-0.nginx.default.svc.cluster.local.', qtype: 'AAAA', rcode: 'NOERROR' },
  { qname: 'web-2.nginx.default.svc.cluster.local.', qtype: 'A', rcode: 'NXDOMAIN' },
  {
    qname: '_web._tcp.nginx.default.svc.cluster.local.',
    qtype: 'SRV',
    rcode: 'NOERROR',
    answer: [
      '_web._tcp.nginx.default.svc.cluster.local. 5 IN SRV 0 50 80 web-0.nginx.default.svc.cluster.local.',
      '_web._tcp.nginx.default.svc.cluster.local. 5 IN SRV 0 50 80 web-1.nginx.default.svc.cluster.local.',
    ],
    extra: [
      'web-0.nginx.default.svc.cluster.local. 5 IN A 10.244.0.10',
      'web-1.nginx.default.svc.cluster.local. 5 IN A 10.244.0.11',
    ],
  },
  // S3: `dig SRV kubia.default.svc.cluster.local` lists one record per pod (an unnamed port).
  {
    qname: 'kubia.default.svc.cluster.local.',
    qtype: 'SRV',
    rcode: 'NOERROR',
    answer: [
      'kubia.default.svc.cluster.local. 5 IN SRV 0 33 80 kubia-0.kubia.default.svc.cluster.local.',
      'kubia.default.svc.cluster.local. 5 IN SRV 0 33 80 kubia-1.kubia.default.svc.cluster.local.',
      'kubia.default.svc.cluster.local. 5 IN SRV 0 33 80 kubia-2.kubia.default.svc.cluster.local.',
    ],
    extra: [
      'kubia-0.kubia.default.svc.cluster.local. 5 IN A 10.244.1.1',
      'kubia-1.kubia.default.svc.cluster.local. 5 IN A 10.244.1.2',
      'kubia-2.kubia.default.svc.cluster.local. 5 IN A 10.244.1.3',
    ],
  },
  // A portless headless Service has address records but no SRV: NODATA.
  { qname: 'hdlsprtls.testns.svc.cluster.local.', qtype: 'SRV', rcode: 'NOERROR' },
  // ExternalName: a CNAME, completed through the chain (upstream or the zone itself).
  {
    qname: 'external.testns.svc.cluster.local.',
    qtype: 'CNAME',
    rcode: 'NOERROR',
    answer: ['external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test.'],
  },
  {
    qname: 'external.testns.svc.cluster.local.',
    qtype: 'A',
    rcode: 'NOERROR',
    answer: ['external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test.', 'ext.interwebs.test. 5 IN A 1.2.3.4'],
  },
  {
    qname: 'external-to-service.testns.svc.cluster.local',
    qtype: 'A',
    rcode: 'NOERROR',
    answer: [
      'external-to-service.testns.svc.cluster.local. 5 IN CNAME svc1.testns.svc.cluster.local.',
      'svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1',
    ],
  },
  // No SRV for an ExternalName (CoreDNS), and no endpoints below it.
  { qname: 'external.testns.svc.cluster.local.', qtype: 'SRV', rcode: 'NOERROR' },
  { qname: 'endpoint.external.testns.svc.cluster.local.', qtype: 'CNAME', rcode: 'NXDOMAIN' },
  // CNAME on an address name: the name exists, no CNAME.
  { qname: 'svc1.testns.svc.cluster.local.', qtype: 'CNAME', rcode: 'NOERROR' },
  // Unknown Services and namespaces.
  { qname: 'svc0.testns.svc.cluster.local.', qtype: 'A', rcode: 'NXDOMAIN' },
  { qname: 'svc0.testns.svc.cluster.local.', qtype: 'AAAA', rcode: 'NXDOMAIN' },
  { qname: 'svc1.nsnoexist.svc.cluster.local.', qtype: 'A', rcode: 'NXDOMAIN' },
  // Types the zone has no data of, on existing names: NODATA.
  { qname: 'svc1.testns.svc.cluster.local.', qtype: 'MX', rcode: 'NOERROR' },
  { qname: 'svc1.testns.svc.cluster.local.', qtype: 'SOA', rcode: 'NOERROR' },
  { qname: 'svc1.testns.svc.cluster.local.', qtype: 'TXT', rcode: 'NOERROR' },
  { qname: 'svc1.testns.svc.cluster.local.', qtype: 'UNKNOWN_65', rcode: 'NOERROR' },
  { qname: 'svc0.testns.svc.cluster.local.', qtype: 'MX', rcode: 'NXDOMAIN' },
]

const index = fixtureIndex()
for (const tc of cases) {
  test(`${tc.qname} ${tc.qtype} → ${tc.rcode}`, () => checkCase(index, tc))
}
