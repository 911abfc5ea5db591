/**
 * Protobuf wire-format reader: varints, fixed-width numbers, length-delimited fields and skipping.
 * It knows nothing about Kubernetes; message tables and JSON shaping live in schema.ts and decode.ts.
 * Malformed input throws WireError and never reads past the end of the buffer.
 */

/** The wire types of the protobuf encoding (groups, 3 and 4, are obsolete and rejected). */
export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  StartGroup: 3,
  EndGroup: 4,
  Fixed32: 5,
} as const

/** Malformed protobuf input; index.ts turns it into a 400 BadRequest. */
export class WireError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WireError'
  }
}

/** One field key: the field number and how its value is encoded. */
export interface Tag {
  field: number
  wireType: number
}

/** Sequential reader over one message's bytes. */
export class WireReader {
  private pos = 0
  private readonly view: DataView

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  }

  /** True once every byte has been consumed. */
  get done(): boolean {
    return this.pos >= this.buf.length
  }

  /** Reads a field key; field 0 is invalid in every message. */
  tag(): Tag {
    const key = this.uint32()
    const field = key >>> 3
    if (field === 0) throw new WireError(`invalid field number 0 at offset ${this.pos}`)
    return { field, wireType: key & 7 }
  }

  /** Reads a varint as an unsigned 64-bit value (at most 10 bytes; bits past 64 are dropped). */
  varint(): bigint {
    // NOTE: the first 28 bits fit a 32-bit signed shift; the rest go through BigInt.
    let low = 0
    for (let i = 0; i < 4; i++) {
      const b = this.byte()
      low |= (b & 0x7f) << (7 * i)
      if (b < 0x80) return BigInt(low >>> 0)
    }
    let value = BigInt(low >>> 0)
    for (let shift = 28n; shift < 70n; shift += 7n) {
      const b = this.byte()
      value |= BigInt(b & 0x7f) << shift
      if (b < 0x80) return BigInt.asUintN(64, value)
    }
    throw new WireError('varint is longer than 10 bytes')
  }

  /** Reads a varint that must fit in 32 unsigned bits (keys and lengths). */
  uint32(): number {
    const v = this.varint()
    if (v > 0xffffffffn) throw new WireError(`varint ${v} does not fit in 32 bits`)
    return Number(v)
  }

  /** int32: negative values arrive sign-extended to 10 bytes; keep the low 32 bits. */
  int32(): number {
    return Number(BigInt.asIntN(32, this.varint()))
  }

  /** int64 as a JS number (exact up to 2^53, like every JSON number JS parses). */
  int64(): number {
    return Number(BigInt.asIntN(64, this.varint()))
  }

  /** uint64 as a JS number. */
  uint64(): number {
    return Number(this.varint())
  }

  /** bool: any non-zero varint is true. */
  bool(): boolean {
    return this.varint() !== 0n
  }

  /** double: 8 little-endian bytes. */
  double(): number {
    return this.view.getFloat64(this.take(8), true)
  }

  /** float: 4 little-endian bytes. */
  float(): number {
    return this.view.getFloat32(this.take(4), true)
  }

  /** Length-delimited payload, as a view into the input (no copy). */
  bytes(): Uint8Array {
    const length = this.uint32()
    const start = this.take(length)
    return this.buf.subarray(start, start + length)
  }

  /** Skips one value of the given wire type. */
  skip(wireType: number): void {
    switch (wireType) {
      case WireType.Varint:
        this.varint()
        return
      case WireType.Fixed64:
        this.take(8)
        return
      case WireType.LengthDelimited:
        this.bytes()
        return
      case WireType.Fixed32:
        this.take(4)
        return
      default:
        throw new WireError(`unsupported wire type ${wireType}`)
    }
  }

  private byte(): number {
    if (this.pos >= this.buf.length) throw new WireError('unexpected end of input')
    return this.buf[this.pos++]!
  }

  /** Advances by n bytes and returns where they start. */
  private take(n: number): number {
    if (n > this.buf.length - this.pos) throw new WireError(`truncated: need ${n} bytes at offset ${this.pos}`)
    const start = this.pos
    this.pos += n
    return start
  }
}
