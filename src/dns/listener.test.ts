/**
 * Tests of the UDP/TCP listeners with handleWire and a stub chain, over real loopback sockets:
 * one port for both transports, TC on UDP followed by the whole answer over TCP, several queries
 * on one TCP connection, and close.
 */
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { after, before, test } from 'node:test'
import * as packet from 'dns-packet'
import { silentLogger } from '../client/log.js'
import { DnsClient } from './dns-client.js'
import { type Listener, listenDns } from './listener.js'
import { type Answer, Rcode, rcodeOf, replyTo, rr } from './message.js'
import { chain } from './plugin.js'
import { handleWire } from './respond.js'

const run = chain([
  {
    name: 'test',
    serveDNS(_ctx, req) {
      const n = Number(/^n(\d+)\.test$/.exec(req.name)?.[1] ?? -1)
      if (n < 0) return replyTo(req.msg, { rcode: Rcode.NXDOMAIN })
      const answers: Answer[] = Array.from({ length: n }, (_, i) => rr(req.qname, 'A', 5, `10.1.${i >> 8}.${i & 255}`))
      return replyTo(req.msg, { answers })
    },
  },
])

let listener: Listener
let client: DnsClient
before(async () => {
  listener = await listenDns(
    [{ host: '127.0.0.1', port: 0 }],
    (raw, transport) => handleWire(raw, { transport, run, log: silentLogger }),
    { log: silentLogger },
  )
  client = new DnsClient({ host: '127.0.0.1', port: listener.addresses[0]!.port })
})
after(async () => {
  client.close()
  await listener.close()
})

test('port 0 binds UDP and TCP on the same free port', () => {
  assert.equal(listener.addresses.length, 1)
  assert.ok(listener.addresses[0]!.port > 0)
})

test('UDP and TCP both answer', async () => {
  const udp = await client.ask('n2.test', 'A')
  assert.equal(udp.answers!.length, 2)
  const tcp = await client.ask('n2.test', 'A', { transport: 'tcp' })
  assert.equal(tcp.answers!.length, 2)
  assert.equal(rcodeOf(await client.ask('nope.test', 'A')), Rcode.NXDOMAIN)
})

test('a large answer is truncated on UDP (TC) and whole on TCP', async () => {
  const udp = await client.ask('n100.test', 'A')
  assert.ok(udp.flag_tc)
  assert.ok(udp.answers!.length < 100)
  const tcp = await client.ask('n100.test', 'A', { transport: 'tcp' })
  assert.ok(!tcp.flag_tc)
  assert.equal(tcp.answers!.length, 100)
})

test('one TCP connection carries several queries, split across writes', async () => {
  const frames = [1, 2, 3].map(i => {
    const msg = packet.encode({ type: 'query', id: i, questions: [{ name: `n${i}.test`, type: 'A' }] })
    const frame = Buffer.alloc(2 + msg.length)
    frame.writeUInt16BE(msg.length)
    msg.copy(frame, 2)
    return frame
  })
  const all = Buffer.concat(frames)
  const answers = await new Promise<Map<number, number>>((resolve, reject) => {
    const got = new Map<number, number>()
    let buf = Buffer.alloc(0)
    const sock = connect({ host: '127.0.0.1', port: listener.addresses[0]!.port }, () => {
      sock.write(all.subarray(0, 5))
      sock.write(all.subarray(5))
    })
    sock.on('data', d => {
      buf = Buffer.concat([buf, d])
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const m = packet.decode(buf.subarray(2, 2 + buf.readUInt16BE(0)))
        buf = buf.subarray(2 + buf.readUInt16BE(0))
        got.set(m.id!, m.answers!.length)
      }
      if (got.size === 3) {
        sock.end()
        resolve(got)
      }
    })
    sock.on('error', reject)
  })
  assert.deepEqual(
    [...answers].sort(([a], [b]) => a - b),
    [
      [1, 1],
      [2, 2],
      [3, 3],
    ],
  )
})
