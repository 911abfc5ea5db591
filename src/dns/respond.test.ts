/**
 * Tests of handleWire: validation (FORMERR, NOTIMP, dropped responses), EDNS0 (OPT echoed,
 * BADVERS), SERVFAIL for a handler that throws, and UDP truncation with TC.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import * as packet from 'dns-packet'
import { silentLogger } from '../client/log.js'
import { type Answer, Flag, Rcode, rcodeOf, replyTo, rr } from './message.js'
import { type Chain, chain, type Handler, NEXT } from './plugin.js'
import { encodeWithin, handleWire, sizeLimit } from './respond.js'

/** Answers big.test with n A records, boom.test by throwing, anything else NXDOMAIN. */
const handler: Handler = {
  name: 'test',
  serveDNS(_ctx, req) {
    if (req.name === 'boom.test') throw new Error('kaboom')
    const m = /^big(\d+)\.test$/.exec(req.name)
    if (!m) return replyTo(req.msg, { rcode: Rcode.NXDOMAIN })
    const answers: Answer[] = []
    for (let i = 0; i < Number(m[1]); i++) answers.push(rr(req.qname, 'A', 5, `10.0.${i >> 8}.${i & 255}`))
    return replyTo(req.msg, { answers, additionals: [rr('extra.test', 'A', 5, '10.9.9.9')] })
  },
}
const run: Chain = chain([handler, { name: 'never', serveDNS: () => NEXT }])
const wire = (raw: Buffer, transport: 'udp' | 'tcp' = 'udp') => handleWire(raw, { transport, run, log: silentLogger })

const opt = (udpPayloadSize: number, ednsVersion = 0) =>
  ({
    type: 'OPT',
    name: '.',
    udpPayloadSize,
    extendedRcode: 0,
    ednsVersion,
    flags: 0,
    flag_do: false,
    options: [],
  }) as Answer
const query = (name: string, extra: Partial<packet.Packet> = {}) =>
  packet.encode({ type: 'query', id: 4242, flags: Flag.RD, questions: [{ name, type: 'A', class: 'IN' }], ...extra })

test('an answer keeps the id, and a query without EDNS gets no OPT', async () => {
  const resp = packet.decode((await wire(query('nope.test')))!)
  assert.equal(resp.id, 4242)
  assert.equal(rcodeOf(resp), Rcode.NXDOMAIN)
  assert.ok(resp.flag_qr && resp.flag_rd && resp.flag_ra)
  assert.deepEqual(resp.additionals, [])
})

test('EDNS0: our OPT answers theirs; a version above 0 is BADVERS', async () => {
  const resp = packet.decode((await wire(query('nope.test', { additionals: [opt(4096)] })))!)
  const o = resp.additionals!.filter(a => a.type === 'OPT')
  assert.equal(o.length, 1)
  assert.equal((o[0] as { ednsVersion: number }).ednsVersion, 0)
  const bad = packet.decode((await wire(query('nope.test', { additionals: [opt(4096, 1)] })))!)
  const badOpt = bad.additionals!.find(a => a.type === 'OPT') as { extendedRcode: number }
  assert.equal(((badOpt.extendedRcode << 4) | (bad.flags! & 0xf)) >>> 0, Rcode.BADVERS)
  assert.deepEqual(bad.answers, [])
})

test('malformed queries: FORMERR; other opcodes: NOTIMP; responses and runts: dropped', async () => {
  const garbage = Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0x3f, 0x41])
  const formerr = (await wire(garbage))!
  assert.equal(formerr.readUInt16BE(0), 0x1234)
  assert.equal(formerr.readUInt16BE(2) & 0xf, Rcode.FORMERR)
  const twoQuestions = packet.encode({
    type: 'query',
    id: 1,
    questions: [
      { name: 'a.test', type: 'A' },
      { name: 'b.test', type: 'A' },
    ],
  })
  assert.equal(rcodeOf(packet.decode((await wire(twoQuestions))!)), Rcode.FORMERR)
  const notify = query('a.test', { flags: 4 << 11 })
  assert.equal(rcodeOf(packet.decode((await wire(notify))!)), Rcode.NOTIMP)
  assert.equal(await wire(query('a.test', { type: 'response' })), undefined)
  assert.equal(await wire(Buffer.from([1, 2, 3])), undefined)
})

test('a handler that throws is answered SERVFAIL', async () => {
  assert.equal(rcodeOf(packet.decode((await wire(query('boom.test')))!)), Rcode.SERVFAIL)
})

test('UDP: extras go first, then TC with the answers that fit; EDNS raises the limit; TCP is whole', async () => {
  const small = packet.decode((await wire(query('big3.test')))!)
  assert.equal(small.answers!.length, 3)
  assert.equal(small.additionals!.length, 1)
  assert.ok(!small.flag_tc)

  const raw = (await wire(query('big40.test')))!
  assert.ok(raw.length <= 512)
  const cut = packet.decode(raw)
  assert.ok(cut.flag_tc)
  assert.ok(cut.answers!.length > 0 && cut.answers!.length < 40)
  assert.deepEqual(cut.additionals, [])

  const edns = packet.decode((await wire(query('big40.test', { additionals: [opt(4096)] })))!)
  assert.ok(!edns.flag_tc)
  assert.equal(edns.answers!.length, 40)

  const tcp = packet.decode((await wire(query('big1000.test'), 'tcp'))!)
  assert.ok(!tcp.flag_tc)
  assert.equal(tcp.answers!.length, 1000)
})

test('sizeLimit clamps the advertised size; encodeWithin drops extras without TC when that suffices', () => {
  assert.equal(sizeLimit(undefined), 512)
  assert.equal(sizeLimit({ udpPayloadSize: 100 }), 512)
  assert.equal(sizeLimit({ udpPayloadSize: 1232 }), 1232)
  assert.equal(sizeLimit({ udpPayloadSize: 65000 }), 4096)
  const answers = Array.from({ length: 8 }, (_, i) => rr('a.test', 'A', 5, `10.0.0.${i}`))
  const extras = Array.from({ length: 20 }, (_, i) => rr('extra-name-that-is-long.test', 'A', 5, `10.1.0.${i}`))
  const resp = replyTo({ id: 1, questions: [{ name: 'a.test', type: 'A' }] }, { answers, additionals: extras })
  const out = packet.decode(encodeWithin(resp, 512))
  assert.ok(!out.flag_tc)
  assert.equal(out.answers!.length, 8)
  assert.equal(out.additionals!.length, 0)
})
