/** Unit tests for table-driven decoding on hand-built messages and a small test table. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { decodeMessage, type UnknownField } from './decode.js'
import { compileSchema, type MessageTable } from './schema.js'
import { specialDecoders } from './special.js'
import { WireError } from './wire.js'
import { WireWriter } from './wire-writer.js'

const table: MessageTable = {
  Thing: {
    1: 'name string',
    2: 'count int32',
    3: 'replicas int32!',
    4: 'big int64',
    5: 'flag bool',
    6: 'ratio double',
    7: 'tags []string',
    8: 'ports []int32',
    9: 'labels map<string,string>',
    10: 'data map<string,bytes>',
    11: 'child Child',
    12: 'children []Child',
    13: '...Embedded',
    14: 'blob bytes',
    15: 'when Time',
    16: 'port IntOrString',
    17: 'limits map<string,Quantity>',
    18: 'managed FieldsV1',
    19: 'small float',
    20: 'byName map<string,Child>',
    21: 'u32 uint32',
    22: 'u64 uint64',
    23: 'seen map<string,Time>',
    24: 'required string!',
  },
  Child: { 1: 'name string!', 2: 'value int64' },
  Embedded: { 1: 'inlineName string', 2: 'inlineChild Child' },
  Node: { 1: 'next Node' },
}
const schema = compileSchema([table], new Set(specialDecoders.keys()))

function decode(build: (w: WireWriter) => void, unknown?: UnknownField[], name = 'Thing') {
  const w = new WireWriter()
  build(w)
  return decodeMessage(schema, name, w.finish(), {
    specials: specialDecoders,
    onUnknownField: unknown ? u => unknown.push(u) : undefined,
  })
}

describe('scalars', () => {
  test('an empty message is an empty object', () => {
    assert.deepEqual(
      decode(() => {}),
      {},
    )
  })

  test('each scalar type', () => {
    const got = decode(w =>
      w
        .string(1, 'web')
        .varint(2, 3)
        .varint(4, 2n ** 40n)
        .varint(5, true)
        .double(6, 0.5)
        .float(19, 1.25)
        .varint(21, 4000000000)
        .varint(22, 9)
        .bytes(14, [0, 255, 1]),
    )
    assert.deepEqual(got, {
      name: 'web',
      count: 3,
      big: 2 ** 40,
      flag: true,
      ratio: 0.5,
      small: 1.25,
      u32: 4000000000,
      u64: 9,
      blob: 'AP8B',
    })
  })

  test('negative int32 and int64 (10-byte varints)', () => {
    assert.deepEqual(
      decode(w => w.varint(2, -7).varint(4, -62135596800)),
      { count: -7, big: -62135596800 },
    )
  })

  test('zero values are dropped as omitempty would, except fields marked !', () => {
    // gogo writes every non-pointer scalar, so zeros are on the wire all the time.
    const got = decode(w => w.string(1, '').varint(2, 0).varint(5, false).varint(3, 0).string(24, '').bytes(14, []))
    assert.deepEqual(got, { replicas: 0, required: '' })
  })

  test('a repeated singular field: last one wins, and a later zero clears it', () => {
    assert.deepEqual(
      decode(w => w.string(1, 'a').string(1, 'b')),
      { name: 'b' },
    )
    assert.deepEqual(
      decode(w => w.varint(2, 5).varint(2, 0)),
      {},
    )
  })

  test('invalid UTF-8 becomes U+FFFD, as Go JSON writes it', () => {
    assert.deepEqual(
      decode(w => w.bytes(1, [0x61, 0xff, 0x62])),
      { name: 'a\uFFFDb' },
    )
  })
})

describe('repeated fields', () => {
  test('repeated strings keep their order', () => {
    assert.deepEqual(
      decode(w => w.string(7, 'x').string(7, '').string(7, 'z')),
      { tags: ['x', '', 'z'] },
    )
  })

  test('packed and unpacked numbers both decode, and mix', () => {
    assert.deepEqual(
      decode(w => w.packed(8, [80, 443, -1]).varint(8, 8080)),
      { ports: [80, 443, -1, 8080] },
    )
  })

  test('repeated messages, including empty ones', () => {
    assert.deepEqual(
      decode(w => w.message(12, c => c.string(1, 'a').varint(2, 1)).message(12, () => {})),
      { children: [{ name: 'a', value: 1 }, {}] },
    )
  })
})

describe('maps', () => {
  test('string and bytes values; a duplicate key keeps the last value', () => {
    const got = decode(w =>
      w
        .mapEntry(9, 'app', 'web')
        .mapEntry(9, 'tier', 'x')
        .mapEntry(9, 'tier', 'front')
        .message(10, e => e.string(1, 'key').bytes(2, [0x68, 0x69])),
    )
    assert.deepEqual(got, { labels: { app: 'web', tier: 'front' }, data: { key: 'aGk=' } })
  })

  test('a "__proto__" key is an own property, not a prototype change', () => {
    const got = decode(w =>
      w.mapEntry(9, '__proto__', 'x').message(20, e => e.string(1, '__proto__').message(2, () => {})),
    )
    const labels = got.labels as Record<string, unknown>
    assert.equal(Object.getPrototypeOf(labels), Object.prototype)
    assert.deepEqual(Object.keys(labels), ['__proto__'])
    assert.equal(Object.getOwnPropertyDescriptor(got.byName, '__proto__')?.value !== undefined, true)
  })

  test('a missing key or value takes its zero value', () => {
    const got = decode(w => w.message(9, e => e.string(2, 'only-value')).message(9, e => e.string(1, 'only-key')))
    assert.deepEqual(got, { labels: { '': 'only-value', 'only-key': '' } })
  })

  test('message and special values', () => {
    const got = decode(w =>
      w
        .message(20, e => e.string(1, 'a').message(2, c => c.string(1, 'A')))
        .message(17, e => e.string(1, 'cpu').message(2, q => q.string(1, '500m')))
        .message(23, e => e.string(1, 'gone').message(2, () => {})),
    )
    assert.deepEqual(got, { byName: { a: { name: 'A' } }, limits: { cpu: '500m' }, seen: { gone: null } })
  })
})

describe('messages', () => {
  test('a present but empty message stays as {} (emptyDir: {})', () => {
    assert.deepEqual(
      decode(w => w.message(11, () => {})),
      { child: {} },
    )
  })

  test('nested fields decode with their own rules', () => {
    assert.deepEqual(
      decode(w => w.message(11, c => c.string(1, '').varint(2, 0))),
      { child: { name: '' } },
    )
  })

  test('a repeated singular message merges into the first', () => {
    assert.deepEqual(
      decode(w => w.message(11, c => c.string(1, 'a')).message(11, c => c.varint(2, 2))),
      { child: { name: 'a', value: 2 } },
    )
  })

  test('an inlined message spreads its fields into the parent', () => {
    const got = decode(w => w.string(1, 'outer').message(13, e => e.string(1, 'in').message(2, c => c.string(1, 'c'))))
    assert.deepEqual(got, { name: 'outer', inlineName: 'in', inlineChild: { name: 'c' } })
  })

  test('nesting deeper than the limit is rejected', () => {
    let bytes: Uint8Array = new Uint8Array()
    for (let i = 0; i < 70; i++) bytes = new WireWriter().bytes(1, bytes).finish()
    assert.throws(() => decodeMessage(schema, 'Node', bytes, { specials: specialDecoders }), /nesting deeper than 64/)
  })
})

describe('special messages', () => {
  test('Time becomes RFC 3339 with whole seconds; the zero time is omitted', () => {
    assert.deepEqual(
      decode(w => w.message(15, t => t.varint(1, 1700000000).varint(2, 999))),
      { when: '2023-11-14T22:13:20Z' },
    )
    assert.deepEqual(
      decode(w => w.message(15, () => {})),
      {},
    )
  })

  test('Time outside the years 0000-9999 is rejected, as Go refuses to marshal it', () => {
    assert.throws(() => decode(w => w.message(15, t => t.varint(1, 253402300800))), WireError)
  })

  test('IntOrString is a number or a string', () => {
    assert.deepEqual(
      decode(w => w.message(16, p => p.varint(1, 0).varint(2, 8080).string(3, ''))),
      { port: 8080 },
    )
    assert.deepEqual(
      decode(w => w.message(16, p => p.varint(1, 1).varint(2, 0).string(3, 'http'))),
      { port: 'http' },
    )
    assert.deepEqual(
      decode(w => w.message(16, p => p.varint(2, -1))),
      { port: -1 },
    )
    // Go writes the zero IntOrString of a non-pointer field; JSON carries it as 0.
    assert.deepEqual(
      decode(w => w.message(16, () => {})),
      { port: 0 },
    )
  })

  test('Quantity keeps its string; an empty message is "0"', () => {
    const got = decode(w =>
      w
        .message(17, e => e.string(1, 'memory').message(2, q => q.string(1, '1Gi')))
        .message(17, e => e.string(1, 'cpu')),
    )
    assert.deepEqual(got, { limits: { memory: '1Gi', cpu: '0' } })
  })

  test('FieldsV1 is the JSON it carries', () => {
    assert.deepEqual(
      decode(w => w.message(18, f => f.string(1, '{"f:data":{".":{}}}'))),
      { managed: { 'f:data': { '.': {} } } },
    )
    assert.throws(() => decode(w => w.message(18, f => f.string(1, '{nope'))), /fieldsV1 does not hold JSON/)
  })
})

describe('unknown fields and bad wire types', () => {
  test('unknown fields are skipped and reported with their path', () => {
    const unknown: UnknownField[] = []
    const got = decode(
      w =>
        w
          .string(99, 'x')
          .string(1, 'kept')
          .message(12, c => c.string(1, 'a'))
          .message(12, c => c.varint(7, 1)),
      unknown,
    )
    assert.deepEqual(got, { name: 'kept', children: [{ name: 'a' }, {}] })
    assert.deepEqual(unknown, [
      { path: '.', message: 'Thing', field: 99, wireType: 2 },
      { path: 'children[1]', message: 'Child', field: 7, wireType: 0 },
    ])
  })

  test('a wire type that does not match the table is an error naming the path', () => {
    assert.throws(() => decode(w => w.varint(1, 5)), /name: wire type 0 for a string field/)
    assert.throws(() => decode(w => w.varint(11, 5)), /child: wire type 0 for a message/)
    assert.throws(() => decode(w => w.message(11, c => c.varint(1, 1))), /child\.name: wire type 0/)
  })
})
