/** Unit tests for the wire reader, on bytes written by hand or by WireWriter. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { WireError, WireReader, WireType } from './wire.js'
import { WireWriter } from './wire-writer.js'

const reader = (bytes: number[] | Uint8Array) => new WireReader(Uint8Array.from(bytes))

describe('varints', () => {
  const cases: Array<{ name: string; bytes: number[]; value: bigint }> = [
    { name: 'zero', bytes: [0x00], value: 0n },
    { name: 'one byte', bytes: [0x7f], value: 127n },
    { name: 'two bytes (300)', bytes: [0xac, 0x02], value: 300n },
    { name: 'four bytes, top of the fast path', bytes: [0xff, 0xff, 0xff, 0x7f], value: 2n ** 28n - 1n },
    { name: 'five bytes (2^32 - 1)', bytes: [0xff, 0xff, 0xff, 0xff, 0x0f], value: 2n ** 32n - 1n },
    { name: 'past 2^53', bytes: [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10], value: 2n ** 53n },
    {
      name: 'ten bytes, max uint64',
      bytes: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
      value: 2n ** 64n - 1n,
    },
  ]
  for (const c of cases) {
    test(c.name, () => {
      const r = reader(c.bytes)
      assert.equal(r.varint(), c.value)
      assert.ok(r.done)
    })
  }

  test('negative int32 arrives as a 10-byte sign-extended varint (Go writes uint64(int32))', () => {
    const bytes = new WireWriter().rawVarint(-1).finish()
    assert.equal(bytes.length, 10)
    assert.equal(new WireReader(bytes).int32(), -1)
    assert.equal(new WireReader(new WireWriter().rawVarint(-2147483648).finish()).int32(), -2147483648)
  })

  test('negative int64 keeps its sign', () => {
    assert.equal(new WireReader(new WireWriter().rawVarint(-5).finish()).int64(), -5)
    // metav1.Time for year 1 (Go's zero time) is -62135596800 seconds.
    assert.equal(new WireReader(new WireWriter().rawVarint(-62135596800).finish()).int64(), -62135596800)
  })

  test('int32 keeps only the low 32 bits of a wider varint', () => {
    assert.equal(new WireReader(new WireWriter().rawVarint(2n ** 32n + 7n).finish()).int32(), 7)
  })

  test('uint64 and bool', () => {
    assert.equal(new WireReader(new WireWriter().rawVarint(2n ** 40n).finish()).uint64(), 2 ** 40)
    assert.equal(reader([0x00]).bool(), false)
    assert.equal(reader([0x02]).bool(), true)
  })

  test('an 11-byte varint is rejected', () => {
    assert.throws(() => reader([...Array(10).fill(0xff), 0x01]).varint(), WireError)
  })

  test('a varint cut short is rejected', () => {
    assert.throws(() => reader([0x80, 0x80]).varint(), /unexpected end of input/)
  })

  test('uint32 rejects values past 32 bits', () => {
    assert.throws(() => reader([0x80, 0x80, 0x80, 0x80, 0x10]).uint32(), /does not fit in 32 bits/)
  })
})

describe('keys', () => {
  test('field number and wire type', () => {
    const r = new WireReader(new WireWriter().key(17, WireType.LengthDelimited).finish())
    assert.deepEqual(r.tag(), { field: 17, wireType: 2 })
  })

  test('field 0 is invalid', () => {
    assert.throws(() => reader([0x00]).tag(), /invalid field number 0/)
  })
})

describe('fixed-width and length-delimited values', () => {
  test('double and float are little-endian', () => {
    const r = new WireReader(new WireWriter().double(1, 1.5).float(2, -0.25).finish())
    assert.deepEqual(r.tag(), { field: 1, wireType: WireType.Fixed64 })
    assert.equal(r.double(), 1.5)
    assert.deepEqual(r.tag(), { field: 2, wireType: WireType.Fixed32 })
    assert.equal(r.float(), -0.25)
  })

  test('bytes returns the payload without copying past it', () => {
    const r = reader([0x0a, 0x03, 0x61, 0x62, 0x63, 0x10, 0x01])
    r.tag()
    assert.deepEqual([...r.bytes()], [0x61, 0x62, 0x63])
    assert.deepEqual(r.tag(), { field: 2, wireType: WireType.Varint })
  })

  test('a length past the end is rejected', () => {
    assert.throws(() => reader([0x0a, 0x05, 0x61]).skip(WireType.LengthDelimited), WireError)
    const r = reader([0x0a, 0x05, 0x61])
    r.tag()
    assert.throws(() => r.bytes(), /truncated/)
  })

  test('fixed values cut short are rejected', () => {
    assert.throws(() => reader([1, 2, 3]).double(), /truncated/)
    assert.throws(() => reader([1, 2]).float(), /truncated/)
  })
})

describe('skip', () => {
  test('skips every supported wire type', () => {
    const bytes = new WireWriter().varint(1, -1).double(2, 3.25).string(3, 'skipped').float(4, 1).varint(5, 42).finish()
    const r = new WireReader(bytes)
    for (let i = 0; i < 4; i++) r.skip(r.tag().wireType)
    assert.deepEqual(r.tag(), { field: 5, wireType: WireType.Varint })
    assert.equal(r.int32(), 42)
    assert.ok(r.done)
  })

  test('groups (wire types 3 and 4) are rejected', () => {
    assert.throws(() => reader([]).skip(WireType.StartGroup), /unsupported wire type 3/)
    assert.throws(() => reader([]).skip(WireType.EndGroup), /unsupported wire type 4/)
  })
})
