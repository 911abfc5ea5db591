/** Tests of the IP forms: canonical text, dashed labels, reverse names. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { canonicalIP, dashedIP, ipFromReverseName, isReverseName, reverseName, undashIP } from './ip.js'

test('canonicalIP compresses IPv6 and rejects non-addresses', () => {
  assert.equal(canonicalIP('10.0.0.1'), '10.0.0.1')
  assert.equal(canonicalIP('5678:ABCD:0:0:0:0:0:1'), '5678:abcd::1')
  assert.equal(canonicalIP('fd00:0000::0002'), 'fd00::2')
  assert.equal(canonicalIP('web-0'), undefined)
  assert.equal(canonicalIP('10.0.0.256'), undefined)
})

test('dashed labels round-trip (CoreDNS rule: 3 dashes without "--" is IPv4)', () => {
  const cases: [string, string][] = [
    ['10.244.0.10', '10-244-0-10'],
    ['5678:abcd::1', '5678-abcd--1'],
    ['fd00::2', 'fd00--2'],
  ]
  for (const [ip, label] of cases) {
    assert.equal(dashedIP(ip), label)
    assert.equal(undashIP(label), ip)
  }
  assert.equal(undashIP('web-0'), undefined)
  assert.equal(undashIP('1-2-3'), undefined)
})

test('reverse names parse only when complete', () => {
  assert.equal(ipFromReverseName('1.0.0.10.in-addr.arpa'), '10.0.0.1')
  assert.equal(ipFromReverseName('0.10.in-addr.arpa'), undefined)
  assert.equal(ipFromReverseName('01.0.0.10.in-addr.arpa'), undefined)
  assert.equal(ipFromReverseName('300.0.0.10.in-addr.arpa'), undefined)
  assert.equal(ipFromReverseName(`${reverseName('5678:abcd::1')}`), '5678:abcd::1')
  assert.equal(ipFromReverseName('1.0.ip6.arpa'), undefined)
  assert.equal(reverseName('10.0.0.1'), '1.0.0.10.in-addr.arpa')
  assert.equal(reverseName('1234:abcd::1'), '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa')
  assert.ok(isReverseName('in-addr.arpa') && isReverseName('10.in-addr.arpa') && isReverseName('1.ip6.arpa'))
  assert.ok(!isReverseName('arpa') && !isReverseName('example.com'))
})
