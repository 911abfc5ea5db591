/** The CRI log writer and reader: lines, partial lines, timestamps. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CriLineWriter, logText, parseCriLog, rfc3339Nano } from './cri-log.js'

describe('CRI log format', () => {
  it('formats RFC3339 with nine fractional digits', () => {
    assert.equal(rfc3339Nano(Date.UTC(2024, 4, 1, 10, 0, 0, 123), 456_789), '2024-05-01T10:00:00.123456789Z')
    assert.equal(rfc3339Nano(Date.UTC(2024, 4, 1, 10, 0, 0, 0)), '2024-05-01T10:00:00.000000000Z')
  })

  it('writes complete lines as F and a trailing remainder at once as P', () => {
    const out: string[] = []
    const w = new CriLineWriter(
      'stdout',
      b => out.push(b.toString()),
      () => 'T',
    )
    w.push(Buffer.from('one\ntwo\n/ # '))
    w.push(Buffer.from('ls\n'))
    assert.deepEqual(out, ['T stdout F one\nT stdout F two\nT stdout P / # \n', 'T stdout F ls\n'])
    const entries = parseCriLog(out.join(''))
    assert.equal(logText(entries), 'one\ntwo\n/ # ls\n')
  })

  it('never re-encodes content: a character split across chunks survives byte for byte', () => {
    const out: Buffer[] = []
    const w = new CriLineWriter(
      'stderr',
      b => out.push(b),
      () => 'T',
    )
    const bytes = Buffer.from('héllo\n')
    w.push(bytes.subarray(0, 2))
    w.push(bytes.subarray(2))
    const file = Buffer.concat(out)
    const contents: Buffer[] = []
    for (let start = 0; start < file.length; ) {
      const nl = file.indexOf(0x0a, start)
      const line = file.subarray(start, nl)
      const partial = line.subarray(9, 10).toString() === 'P' // "T stderr P "
      contents.push(line.subarray(11), ...(partial ? [] : [Buffer.from('\n')]))
      start = nl + 1
    }
    assert.deepEqual(Buffer.concat(contents), bytes)
  })

  it('reads stdout and stderr apart and skips malformed lines', () => {
    const text = 'T stdout F a\nT stderr F b\ngarbage\nT stdout P c\nT stdout F d\n'
    assert.deepEqual([logText(parseCriLog(text), 'stdout'), logText(parseCriLog(text), 'stderr')], ['a\ncd\n', 'b\n'])
  })

  it("keeps a terminal's carriage returns (TTY containers log \\r\\n lines)", () => {
    const out: Buffer[] = []
    new CriLineWriter(
      'stdout',
      b => out.push(b),
      () => 'T',
    ).push(Buffer.from('\r\n; <<>> DiG\r\n$ '))
    assert.equal(logText(parseCriLog(Buffer.concat(out).toString())), '\r\n; <<>> DiG\r\n$ ')
  })
})
