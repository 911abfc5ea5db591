/**
 * Tests of the forward plugin against stub upstream servers on loopback: answers pass through
 * with the client's id, a truncated UDP answer is fetched again over TCP, a silent upstream is
 * skipped, no answer at all is SERVFAIL, and cluster-domain names are never forwarded.
 */
import assert from 'node:assert/strict'
import { createSocket, type Socket } from 'node:dgram'
import { createServer, type Server } from 'node:net'
import { after, test } from 'node:test'
import * as packet from 'dns-packet'
import {
  type Answer,
  type DecodedPacket,
  Flag,
  type Packet,
  Rcode,
  type RecordType,
  rcodeOf,
  replyTo,
  rr,
} from '../../message.js'
import { NEXT, queryFor, requestOf } from '../../plugin.js'
import { ForwardPlugin } from './forward.js'

type Behaviour = 'answer' | 'truncate' | 'silent'

interface Stub {
  port: number
  udpQueries: number
  tcpQueries: number
  close(): Promise<void>
}

/** A loopback DNS server: UDP answers per behaviour, TCP always answers in full. */
async function stubUpstream(behaviour: Behaviour): Promise<Stub> {
  const answer = (q: DecodedPacket): Packet => {
    const answers: Answer[] = []
    for (let i = 0; i < 3; i++) answers.push(rr(q.questions![0]!.name, 'A', 60, `192.0.2.${i + 1}`))
    return replyTo(q, { answers })
  }
  const udp: Socket = createSocket('udp4')
  const stub: Stub = { port: 0, udpQueries: 0, tcpQueries: 0, close: async () => {} }
  udp.on('message', (msg, rinfo) => {
    stub.udpQueries++
    if (behaviour === 'silent') return
    const q = packet.decode(msg)
    const resp = behaviour === 'truncate' ? { ...replyTo(q), flags: (replyTo(q).flags ?? 0) | Flag.TC } : answer(q)
    udp.send(packet.encode(resp), rinfo.port, rinfo.address)
  })
  await new Promise<void>(r => udp.bind(0, '127.0.0.1', r))
  stub.port = udp.address().port
  const tcp: Server = createServer(sock => {
    sock.on('data', data => {
      stub.tcpQueries++
      const out = packet.encode(answer(packet.decode(data.subarray(2))))
      const len = Buffer.alloc(2)
      len.writeUInt16BE(out.length)
      sock.end(Buffer.concat([len, out]))
    })
  })
  await new Promise<void>(r => tcp.listen(stub.port, '127.0.0.1', r))
  stub.close = async () => {
    await new Promise<void>(r => udp.close(() => r()))
    await new Promise<void>(r => tcp.close(() => r()))
  }
  return stub
}

const stubs: Stub[] = []
const plugins: ForwardPlugin[] = []
after(async () => {
  for (const p of plugins) p.close()
  await Promise.all(stubs.map(s => s.close()))
})

async function forwardTo(behaviours: Behaviour[]) {
  const up = await Promise.all(behaviours.map(stubUpstream))
  stubs.push(...up)
  const plugin = new ForwardPlugin({
    upstreams: up.map(s => ({ host: '127.0.0.1', port: s.port })),
    except: ['cluster.local.'],
    timeoutMs: 200,
  })
  plugins.push(plugin)
  const ask = async (name: string, type: RecordType = 'A') => {
    const msg = queryFor(name, type, 777)
    return plugin.serveDNS({ lookup: () => Promise.reject(new Error('unused')) }, requestOf(msg, 'udp'))
  }
  return { up, ask }
}

const ips = (p: Packet | typeof NEXT) => {
  assert.notEqual(p, NEXT)
  return ((p as Packet).answers ?? []).map(a => (a as { data: string }).data)
}

test('an upstream answer passes through with the client id', async () => {
  const { ask } = await forwardTo(['answer'])
  const resp = await ask('example.com')
  assert.equal((resp as Packet).id, 777)
  assert.equal(rcodeOf(resp as Packet), Rcode.NOERROR)
  assert.deepEqual(ips(resp), ['192.0.2.1', '192.0.2.2', '192.0.2.3'])
})

test('a truncated UDP answer is asked again over TCP', async () => {
  const { up, ask } = await forwardTo(['truncate'])
  assert.deepEqual(ips(await ask('big.example.com')), ['192.0.2.1', '192.0.2.2', '192.0.2.3'])
  assert.equal(up[0]!.tcpQueries, 1)
})

test('a silent upstream is skipped for the next one', async () => {
  const { up, ask } = await forwardTo(['silent', 'answer'])
  assert.deepEqual(ips(await ask('example.org')), ['192.0.2.1', '192.0.2.2', '192.0.2.3'])
  assert.equal(up[0]!.udpQueries, 1)
  assert.equal(up[1]!.udpQueries, 1)
})

test('when no upstream answers, the reply is SERVFAIL', async () => {
  const { ask } = await forwardTo(['silent', 'silent'])
  const resp = await ask('example.net')
  assert.equal(rcodeOf(resp as Packet), Rcode.SERVFAIL)
  assert.equal((resp as Packet).id, 777)
})

test('names in the cluster domain are never forwarded', async () => {
  const { up, ask } = await forwardTo(['answer'])
  assert.equal(await ask('web-0.nginx.default.svc.cluster.local'), NEXT)
  assert.equal(await ask('Cluster.Local'), NEXT)
  assert.equal(up[0]!.udpQueries, 0)
})
