/**
 * The attach protocol between the node agent and a container's shim, over the shim's unix
 * socket: frames of `[type u8][length u32be][payload]`. Pure codec, no I/O.
 */

/** Frame types. Shim → agent: Stdout, Stderr, Exit. Agent → shim: Hello (first), Stdin, StdinEnd, Resize. */
export const FrameType = {
  Stdin: 0,
  Stdout: 1,
  Stderr: 2,
  /** Payload: JSON `{ exitCode }`; the shim closes the connection after it. */
  Exit: 3,
  /** Payload: JSON `{ width, height }`. */
  Resize: 4,
  /** The client's stdin reached EOF (closes the container's stdin when it was started stdinOnce). */
  StdinEnd: 5,
  /** Payload: JSON `{ stdin: boolean }`: whether this session attaches stdin. */
  Hello: 6,
} as const

/** One decoded frame. */
export interface Frame {
  type: number
  payload: Buffer
}

/** Encodes one frame. */
export function encodeFrame(type: number, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload
  const header = Buffer.alloc(5)
  header.writeUInt8(type, 0)
  header.writeUInt32BE(body.length, 1)
  return Buffer.concat([header, body])
}

/** Reassembles frames from a byte stream cut at arbitrary points. */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0)

  /** Adds bytes; returns the frames completed by them. */
  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk
    const frames: Frame[] = []
    while (this.buf.length >= 5) {
      const len = this.buf.readUInt32BE(1)
      if (this.buf.length < 5 + len) break
      frames.push({ type: this.buf.readUInt8(0), payload: this.buf.subarray(5, 5 + len) })
      this.buf = this.buf.subarray(5 + len)
    }
    return frames
  }
}
