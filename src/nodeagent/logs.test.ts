/** CRI log reading: prefix stripping, timestamps, tail, since, limitBytes, partial lines, follow until exit. */
import assert from 'node:assert/strict'
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { realClock } from '../machinery/clock.js'
import { type LogReadOptions, openLog, parseCriLine, trimNanos } from './logs.js'

let dir: string
let path: string
const lines = [
  '2025-01-02T03:04:05.100000000Z stdout F first',
  '2025-01-02T03:04:06.000000000Z stderr F oops',
  '2025-01-02T03:04:07.123456789Z stdout P par',
  '2025-01-02T03:04:07.200000000Z stdout F tial',
  '2025-01-02T03:04:08.000000000Z stdout F last',
]
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'petset-logs-'))
  path = join(dir, '0.log')
  await writeFile(path, `${lines.join('\n')}\n`)
})
after(() => rm(dir, { recursive: true, force: true }))

const text = async (r: Readable) => {
  let s = ''
  for await (const c of r) s += c
  return s
}
const read = (opts: Partial<LogReadOptions>, file = path) =>
  text(openLog(file, { follow: false, timestamps: false, ...opts }, { clock: realClock }))

describe('parseCriLine', () => {
  it('parses and rejects', () => {
    assert.deepEqual(parseCriLine('2025-01-02T03:04:05.1Z stdout F a b'), {
      time: '2025-01-02T03:04:05.1Z',
      ms: Date.UTC(2025, 0, 2, 3, 4, 5, 100),
      stream: 'stdout',
      partial: false,
      content: 'a b',
    })
    assert.equal(parseCriLine('2025-01-02T03:04:05Z stdout F ')?.content, '')
    assert.equal(parseCriLine('garbage'), undefined)
  })
  it('trims trailing nano zeros like Go', () => {
    assert.equal(trimNanos('2025-01-02T03:04:05.100000000Z'), '2025-01-02T03:04:05.1Z')
    assert.equal(trimNanos('2025-01-02T03:04:05.000000000Z'), '2025-01-02T03:04:05Z')
    assert.equal(trimNanos('2025-01-02T03:04:05.123456789Z'), '2025-01-02T03:04:05.123456789Z')
  })
})

describe('openLog', () => {
  it('strips the CRI prefix and joins partial lines', async () => {
    assert.equal(await read({}), 'first\noops\npartial\nlast\n')
  })
  it('timestamps keep the (trimmed) time of each entry', async () => {
    assert.equal((await read({ timestamps: true, tailLines: 1 })).trim(), '2025-01-02T03:04:08Z last')
    assert.equal(
      await read({ timestamps: true, tailLines: 2 }),
      '2025-01-02T03:04:07.123456789Z partial\n2025-01-02T03:04:08Z last\n',
    )
  })
  it('tailLines counts whole lines', async () => {
    assert.equal(await read({ tailLines: 2 }), 'partial\nlast\n')
    assert.equal(await read({ tailLines: 0 }), '')
    assert.equal(await read({ tailLines: 100 }), 'first\noops\npartial\nlast\n')
  })
  it('sinceMs drops older entries', async () => {
    assert.equal(await read({ sinceMs: Date.UTC(2025, 0, 2, 3, 4, 6) }), 'oops\npartial\nlast\n')
  })
  it('limitBytes cuts the output', async () => {
    assert.equal(await read({ limitBytes: 8 }), 'first\noo')
  })
  it('follow streams appended lines until the container stops', async () => {
    const file = join(dir, 'follow.log')
    await writeFile(file, '2025-01-02T03:04:05Z stdout F one\n')
    let running = true
    const keepAlive = setInterval(() => {}, 5) // realClock timers are unref'd
    const stream = openLog(
      file,
      { follow: true, timestamps: false },
      { clock: realClock, pollMs: 10, isRunning: async () => running },
    )
    const got = text(stream)
    await new Promise(r => setTimeout(r, 50))
    await appendFile(file, '2025-01-02T03:04:06Z stdout F tw')
    await new Promise(r => setTimeout(r, 50))
    await appendFile(file, 'o\n')
    await new Promise(r => setTimeout(r, 50))
    running = false
    assert.equal(await got, 'one\ntwo\n')
    clearInterval(keepAlive)
  })
})
