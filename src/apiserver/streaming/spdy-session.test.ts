import assert from 'node:assert/strict'
import { once } from 'node:events'
import { Duplex, PassThrough } from 'node:stream'
import { test } from 'node:test'
import { encodeFrame, RstStatus, type SpdyFrame, SpdyFrameReader } from '../../machinery/streaming/spdy-frames.js'
import { HeaderCompressor, HeaderDecompressor, type SpdyHeaders } from '../../machinery/streaming/spdy-headers.js'
import { SpdySession as Session, type SpdySession, type SpdyStream } from './spdy-session.js'

/** A fake spdystream client on one end of an in-memory connection to a SpdySession. */
function connect() {
  const toServer = new PassThrough()
  const toClient = new PassThrough()
  const session: SpdySession = new Session(Duplex.from({ readable: toServer, writable: toClient }))
  const tx = new HeaderCompressor()
  const rx = new HeaderDecompressor()
  const reader = new SpdyFrameReader()
  const frames: SpdyFrame[] = []
  const headers: SpdyHeaders[] = []
  let waiters: (() => void)[] = []
  let chain = Promise.resolve()
  toClient.on('data', (chunk: Buffer) => {
    for (const f of reader.push(chunk))
      chain = chain.then(async () => {
        if (f.type === 'syn_reply') headers.push(await rx.decompress(f.headerBlock).catch(() => ({})))
        frames.push(f)
        for (const w of waiters.splice(0)) w()
      })
  })
  return {
    session,
    frames,
    headers,
    async open(streamId: number, h: SpdyHeaders, fin = false) {
      const headerBlock = await tx.compress(h)
      const unidirectional = false
      toServer.write(
        encodeFrame({
          type: 'syn_stream',
          streamId,
          assocId: 0,
          priority: 0,
          slot: 0,
          fin,
          unidirectional,
          headerBlock,
        }),
      )
    },
    send(f: SpdyFrame) {
      toServer.write(encodeFrame(f))
    },
    raw: (b: Buffer) => toServer.write(b),
    async until(pred: () => boolean) {
      while (!pred()) await new Promise<void>(r => waiters.push(r))
    },
    close() {
      waiters = []
      toServer.end()
      tx.close()
      rx.close()
    },
  }
}

test('every SYN_STREAM is answered with a SYN_REPLY and surfaces as a stream with its headers', async () => {
  const c = connect()
  const seen: SpdyStream[] = []
  c.session.on('stream', (s: SpdyStream) => seen.push(s))
  await c.open(1, { streamtype: 'error', port: '80', requestid: '0' })
  await c.open(3, { streamtype: 'data', port: '80', requestid: '0' })
  await c.until(() => c.frames.filter(f => f.type === 'syn_reply').length === 2)
  assert.deepEqual(
    seen.map(s => [s.id, s.streamType, s.headers.port]),
    [
      [1, 'error', '80'],
      [3, 'data', '80'],
    ],
  )
  assert.deepEqual(c.headers, [{}, {}], 'empty header blocks, sharing one deflate context')
  c.close()
})

test('DATA reaches the stream, FIN ends it, and writes come back as DATA then FIN', async () => {
  const c = connect()
  const [stream] = (await Promise.all([once(c.session, 'stream'), c.open(1, { streamtype: 'stdin' })]))[0] as [
    SpdyStream,
  ]
  c.send({ type: 'data', streamId: 1, fin: false, data: Buffer.from('hello ') })
  c.send({ type: 'data', streamId: 1, fin: true, data: Buffer.from('world') })
  let got = ''
  stream.on('data', d => (got += d))
  await once(stream, 'end')
  assert.equal(got, 'hello world')
  stream.end(Buffer.alloc(70_000, 'x'))
  await c.until(() => c.frames.some(f => f.type === 'data' && f.fin))
  const data = c.frames.filter(f => f.type === 'data')
  assert.deepEqual(
    data.map(f => [f.data.length, f.fin]),
    [
      [32768, false],
      [32768, false],
      [4464, false],
      [0, true],
    ],
  )
  c.close()
})

test('PING is echoed; RST_STREAM destroys the stream', async () => {
  const c = connect()
  const [stream] = (await Promise.all([once(c.session, 'stream'), c.open(1, { streamtype: 'data' })]))[0] as [
    SpdyStream,
  ]
  c.send({ type: 'ping', id: 7 })
  await c.until(() => c.frames.some(f => f.type === 'ping'))
  assert.deepEqual(c.frames.at(-1), { type: 'ping', id: 7 })
  c.send({ type: 'rst_stream', streamId: 1, status: RstStatus.cancel })
  await once(stream, 'close')
  assert.ok(stream.destroyed)
  c.close()
})

test('a stream destroyed early is reset with CANCEL', async () => {
  const c = connect()
  const [stream] = (await Promise.all([once(c.session, 'stream'), c.open(1, { streamtype: 'data' })]))[0] as [
    SpdyStream,
  ]
  stream.destroy()
  await c.until(() => c.frames.some(f => f.type === 'rst_stream'))
  assert.deepEqual(c.frames.at(-1), { type: 'rst_stream', streamId: 1, status: RstStatus.cancel })
  c.close()
})

test('a malformed frame gets GOAWAY with PROTOCOL_ERROR and the session closes', async () => {
  const c = connect()
  const closed = once(c.session, 'close')
  c.raw(Buffer.from([0x80, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0, 1]))
  await closed
  assert.deepEqual(c.frames.at(-1), { type: 'goaway', lastGoodStreamId: 0, status: 1 })
  c.close()
})

test('close() sends GOAWAY naming the last stream and ends the connection', async () => {
  const c = connect()
  await Promise.all([once(c.session, 'stream'), c.open(5, { streamtype: 'error' })])
  await c.session.close()
  await c.until(() => c.frames.some(f => f.type === 'goaway'))
  assert.deepEqual(c.frames.at(-1), { type: 'goaway', lastGoodStreamId: 5, status: 0 })
  c.close()
})
