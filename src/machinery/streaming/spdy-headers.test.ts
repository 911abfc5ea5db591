import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { inflateSync } from 'node:zlib'
import { spdy3Dictionary } from './spdy-dictionary.js'
import { encodeFrame, SpdyFrameReader } from './spdy-frames.js'
import {
  decodeHeaderBlock,
  encodeHeaderBlock,
  HeaderCompressor,
  HeaderDecompressor,
  type SpdyHeaders,
} from './spdy-headers.js'

test('the SPDY/3 dictionary is the 1,423 bytes spdy-transport ships', () => {
  assert.equal(spdy3Dictionary.length, 1423)
  assert.equal(
    createHash('sha256').update(spdy3Dictionary).digest('hex'),
    '51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02',
  )
})

test('a header block is count, then length-prefixed names and values', () => {
  const block = encodeHeaderBlock({ streamtype: 'error', port: '80' })
  assert.equal(block.readUInt32BE(0), 2)
  assert.equal(block.readUInt32BE(4), 'streamtype'.length)
  assert.deepEqual(decodeHeaderBlock(block), { streamtype: 'error', port: '80' })
  assert.deepEqual(decodeHeaderBlock(encodeHeaderBlock({})), {})
  assert.throws(() => decodeHeaderBlock(block.subarray(0, block.length - 1)), /truncated/)
})

test('names are lowercased and repeated names are NUL-joined', () => {
  const one = encodeHeaderBlock({ A: '1' })
  const twice = Buffer.concat([Buffer.from([0, 0, 0, 2]), one.subarray(4), encodeHeaderBlock({ a: '2' }).subarray(4)])
  assert.deepEqual(decodeHeaderBlock(twice), { a: '1\u00002' })
})

test('several header blocks share one zlib context per direction, across frames', async () => {
  const tx = new HeaderCompressor()
  const rx = new HeaderDecompressor()
  const blocks: SpdyHeaders[] = [
    { streamtype: 'error', port: '8080', requestid: '0' },
    { streamtype: 'data', port: '8080', requestid: '0' },
    { streamtype: 'error', port: '8080', requestid: '1' },
    {},
  ]
  const compressed = await Promise.all(blocks.map(b => tx.compress(b)))
  // Later blocks lean on earlier ones: the third repeats the first almost verbatim.
  assert.ok(compressed[2]!.length < compressed[0]!.length)
  // Each block is self-delimiting (Z_SYNC_FLUSH ends it on 00 00 ff ff) ...
  for (const c of compressed) assert.deepEqual([...c.subarray(-4)], [0, 0, 0xff, 0xff])
  // ... but only the context as a whole inflates: a block alone refers to history it lacks.
  const wire = Buffer.concat(
    compressed.map((headerBlock, i) =>
      encodeFrame({
        type: 'syn_stream',
        streamId: 1 + 2 * i,
        assocId: 0,
        priority: 0,
        slot: 0,
        fin: false,
        unidirectional: false,
        headerBlock,
      }),
    ),
  )
  const frames = new SpdyFrameReader().push(wire)
  const decoded = []
  for (const f of frames) if (f.type === 'syn_stream') decoded.push(await rx.decompress(f.headerBlock))
  assert.deepEqual(decoded, blocks)
  tx.close()
  rx.close()
})

test('the compressed stream carries the dictionary id, as Go and spdy-transport expect', async () => {
  const tx = new HeaderCompressor()
  const first = await tx.compress({ a: 'b' })
  assert.equal(first[1]! & 0x20, 0x20, 'FDICT flag set')
  const plain = inflateSync(first, { dictionary: spdy3Dictionary, finishFlush: 2 })
  assert.deepEqual(decodeHeaderBlock(plain), { a: 'b' })
  tx.close()
})

test('garbage from the peer rejects, and the context stays failed', async () => {
  const rx = new HeaderDecompressor()
  await assert.rejects(rx.decompress(Buffer.from('not zlib at all')))
  await assert.rejects(rx.decompress(Buffer.from([0x78, 0xbb])))
  rx.close()
})
