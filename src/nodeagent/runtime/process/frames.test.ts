/** The attach frame codec survives any cut of the byte stream. */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { encodeFrame, FrameDecoder, FrameType } from './frames.js'

it('decodes frames cut at every possible point', () => {
  const bytes = Buffer.concat([
    encodeFrame(FrameType.Hello, JSON.stringify({ stdin: true })),
    encodeFrame(FrameType.Stdin, 'ls\n'),
    encodeFrame(FrameType.StdinEnd),
  ])
  for (let cut = 0; cut <= bytes.length; cut++) {
    const d = new FrameDecoder()
    const frames = [...d.push(bytes.subarray(0, cut)), ...d.push(bytes.subarray(cut))]
    assert.deepEqual(
      frames.map(f => [f.type, f.payload.toString()]),
      [
        [FrameType.Hello, '{"stdin":true}'],
        [FrameType.Stdin, 'ls\n'],
        [FrameType.StdinEnd, ''],
      ],
    )
  }
})
