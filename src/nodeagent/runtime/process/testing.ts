/**
 * Test helpers for the shim-based runtimes' tests (process and runc): output-collecting session
 * streams and a polling wait. Imported by tests only.
 */
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import type { ExecStreams } from '../runtime.js'

/** Streams for exec/attach that collect output. */
export function collectStreams(opts: { tty?: boolean; stdin?: PassThrough } = {}) {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const out: Buffer[] = []
  const err: Buffer[] = []
  stdout.on('data', d => out.push(d))
  stderr.on('data', d => err.push(d))
  const abort = new AbortController()
  const streams: ExecStreams & { tty: boolean } = {
    stdout,
    stderr,
    stdin: opts.stdin,
    tty: opts.tty ?? false,
    onResize: l => l({ width: 100, height: 30 }),
    signal: abort.signal,
  }
  return { streams, abort, out: () => Buffer.concat(out).toString(), err: () => Buffer.concat(err).toString() }
}

/** Polls check until it is truthy (15 s by default: loaded CI machines start node apps slowly). */
export async function until<T>(check: () => Promise<T | undefined | false>, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await check()
    if (v) return v
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 20))
  }
}
