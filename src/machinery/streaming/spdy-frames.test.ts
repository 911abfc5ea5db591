import assert from 'node:assert/strict'
import { test } from 'node:test'
import { encodeFrame, RstStatus, type SpdyFrame, SpdyFrameReader, SpdyProtocolError } from './spdy-frames.js'

const frames: { name: string; frame: SpdyFrame }[] = [
  { name: 'DATA', frame: { type: 'data', streamId: 3, fin: false, data: Buffer.from('hello') } },
  { name: 'DATA with FIN and no bytes', frame: { type: 'data', streamId: 1, fin: true, data: Buffer.alloc(0) } },
  {
    name: 'SYN_STREAM unidirectional',
    frame: {
      type: 'syn_stream',
      streamId: 5,
      assocId: 0,
      priority: 7,
      slot: 0,
      fin: false,
      unidirectional: true,
      headerBlock: Buffer.from([1, 2, 3]),
    },
  },
  { name: 'SYN_REPLY with FIN', frame: { type: 'syn_reply', streamId: 7, fin: true, headerBlock: Buffer.from([9]) } },
  { name: 'HEADERS', frame: { type: 'headers', streamId: 9, fin: false, headerBlock: Buffer.from([4, 5]) } },
  { name: 'RST_STREAM CANCEL', frame: { type: 'rst_stream', streamId: 11, status: RstStatus.cancel } },
  {
    name: 'SETTINGS',
    frame: { type: 'settings', clear: false, settings: [{ flags: 1, id: 7, value: 65536 }] },
  },
  { name: 'PING', frame: { type: 'ping', id: 0xfffffffe } },
  { name: 'GOAWAY', frame: { type: 'goaway', lastGoodStreamId: 13, status: 0 } },
  { name: 'WINDOW_UPDATE', frame: { type: 'window_update', streamId: 0, delta: 0x7fffffff } },
]

for (const { name, frame } of frames)
  test(`${name} survives encode and read`, () => {
    const [back, ...rest] = new SpdyFrameReader().push(encodeFrame(frame))
    assert.deepEqual(back, frame)
    assert.equal(rest.length, 0)
  })

test('a control frame is laid out as draft 3.1 says', () => {
  const ping = encodeFrame({ type: 'ping', id: 1 })
  assert.deepEqual([...ping], [0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 1])
  const data = encodeFrame({ type: 'data', streamId: 1, fin: true, data: Buffer.from('x') })
  assert.deepEqual([...data], [0, 0, 0, 1, 0x01, 0, 0, 1, 0x78])
})

test('frames split at every byte boundary come out whole and in order', () => {
  const all = Buffer.concat(frames.map(f => encodeFrame(f.frame)))
  for (const size of [1, 3, 7, 64]) {
    const reader = new SpdyFrameReader()
    const out: SpdyFrame[] = []
    for (let at = 0; at < all.length; at += size) out.push(...reader.push(all.subarray(at, at + size)))
    assert.deepEqual(
      out,
      frames.map(f => f.frame),
      `chunk size ${size}`,
    )
    assert.equal(reader.pending, 0)
  }
})

test('a control frame of another version or an unknown type is passed through as unknown', () => {
  const credential = encodeFrame({ type: 'unknown', version: 3, controlType: 10, flags: 0, payload: Buffer.from([1]) })
  const [f] = new SpdyFrameReader().push(credential)
  assert.equal(f?.type, 'unknown')
  const v2 = Buffer.from(encodeFrame({ type: 'ping', id: 1 }))
  v2.writeUInt16BE(0x8002, 0)
  assert.deepEqual(new SpdyFrameReader().push(v2)[0], {
    type: 'unknown',
    version: 2,
    controlType: 6,
    flags: 0,
    payload: Buffer.from([0, 0, 0, 1]),
  })
})

test('a truncated control payload is a protocol error', () => {
  const bad = Buffer.from([0x80, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02, 0, 1])
  assert.throws(() => new SpdyFrameReader().push(bad), SpdyProtocolError)
})
