/**
 * Test support: builds protobuf wire bytes by hand so tests can feed the decoder exact encodings
 * (10-byte negative varints, packed and unpacked repeats, duplicate fields). The server never
 * encodes protobuf (responses are JSON), so nothing outside tests should import this module.
 */
import { WireType } from './wire.js'

/** Appends fields to a growing buffer; every method returns this for chaining. */
export class WireWriter {
  private readonly chunks: number[] = []

  /** A raw varint (no key), for building keys or packed payloads. */
  rawVarint(value: number | bigint): this {
    let v = BigInt.asUintN(64, BigInt(value))
    while (v >= 0x80n) {
      this.chunks.push(Number(v & 0x7fn) | 0x80)
      v >>= 7n
    }
    this.chunks.push(Number(v))
    return this
  }

  /** A field key. */
  key(field: number, wireType: number): this {
    return this.rawVarint((field << 3) | wireType)
  }

  /** A varint field; negative numbers are sign-extended to 64 bits (10 bytes), as Go does for int32. */
  varint(field: number, value: number | bigint | boolean): this {
    const v = typeof value === 'boolean' ? (value ? 1 : 0) : value
    return this.key(field, WireType.Varint).rawVarint(v)
  }

  /** A length-delimited field holding raw bytes. */
  bytes(field: number, value: Uint8Array | number[]): this {
    this.key(field, WireType.LengthDelimited).rawVarint(value.length)
    for (const b of value) this.chunks.push(b)
    return this
  }

  /** A string field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value))
  }

  /** A nested message built by the callback. */
  message(field: number, build: (w: WireWriter) => void): this {
    const inner = new WireWriter()
    build(inner)
    return this.bytes(field, inner.finish())
  }

  /** A map entry (key 1, value 2) holding a string value. */
  mapEntry(field: number, key: string, value: string): this {
    return this.message(field, w => w.string(1, key).string(2, value))
  }

  /** A packed repeated varint field. */
  packed(field: number, values: Array<number | bigint>): this {
    const inner = new WireWriter()
    for (const v of values) inner.rawVarint(v)
    return this.bytes(field, inner.finish())
  }

  /** A double field (8 bytes, little-endian). */
  double(field: number, value: number): this {
    const b = new Uint8Array(8)
    new DataView(b.buffer).setFloat64(0, value, true)
    this.key(field, WireType.Fixed64)
    for (const x of b) this.chunks.push(x)
    return this
  }

  /** A float field (4 bytes, little-endian). */
  float(field: number, value: number): this {
    const b = new Uint8Array(4)
    new DataView(b.buffer).setFloat32(0, value, true)
    this.key(field, WireType.Fixed32)
    for (const x of b) this.chunks.push(x)
    return this
  }

  /** The bytes written so far. */
  finish(): Uint8Array {
    return Uint8Array.from(this.chunks)
  }
}
