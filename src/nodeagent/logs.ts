/**
 * Reads CRI-format container logs (`<RFC3339Nano> <stdout|stderr> <F|P> <content>`) the way the
 * kubelet serves `kubectl logs`: the CRI prefix stripped (or the timestamp kept, trailing zeros
 * trimmed, with `timestamps`), `tailLines` counted in whole lines, `sinceTime` filtering,
 * `limitBytes` cutting, and `follow` polling for appended entries until the container stops.
 * Lines are parsed by the shim's own CRI log module (runtime/process/cri-log.ts).
 */
import { open } from 'node:fs/promises'
import { PassThrough, type Readable } from 'node:stream'
import type { Clock } from '../client/clock.js'
import { type LogEntry, parseCriLog } from './runtime/process/cri-log.js'

/** One parsed log entry with its time in ms since the epoch. */
export interface CriEntry extends LogEntry {
  ms: number
}

/** Parses one line of a CRI log file; undefined for malformed lines. */
export function parseCriLine(line: string): CriEntry | undefined {
  const e = parseCriLog(line)[0]
  const ms = e ? Date.parse(e.time) : Number.NaN
  return e && !Number.isNaN(ms) ? { ...e, ms } : undefined
}

/** RFC3339Nano as Go prints it: fractional seconds without trailing zeros. */
export function trimNanos(time: string): string {
  return time.replace(/\.(\d*?)0+(Z|[+-]\d\d:\d\d)$/, (_, d: string, z: string) => (d ? `.${d}${z}` : z))
}

/** Options of openLog. */
export interface LogReadOptions {
  follow: boolean
  timestamps: boolean
  tailLines?: number
  /** Only entries at or after this time (ms since the epoch). */
  sinceMs?: number
  limitBytes?: number
}

/** Formats an entry as the user sees it; the timestamp prefixes only the first fragment of a line. */
function render(e: CriEntry, timestamps: boolean, lineStart: boolean): string {
  const text = e.partial ? e.content : `${e.content}\n`
  return timestamps && lineStart ? `${trimNanos(e.time)} ${text}` : text
}

/** The entries of the last n whole lines (a line is its partial entries plus the final one). */
export function tail(entries: CriEntry[], n: number): CriEntry[] {
  if (n <= 0) return []
  let lines = 0
  for (let i = entries.length - 1; i >= 0; i--) {
    if (!entries[i]!.partial && lines++ === n) return entries.slice(i + 1)
  }
  return entries
}

/**
 * Streams the log at path. With follow, keeps polling (every pollMs on clock) until
 * isRunning() turns false, then drains what is left and ends. Destroying the stream stops it.
 */
export function openLog(
  path: string,
  opts: LogReadOptions,
  deps: { clock: Clock; isRunning?: () => Promise<boolean>; pollMs?: number },
): Readable {
  const out = new PassThrough()
  let budget = opts.limitBytes ?? Number.POSITIVE_INFINITY
  let lineStart = true
  const emit = async (entries: CriEntry[]) => {
    for (const e of entries) {
      if (opts.sinceMs !== undefined && e.ms < opts.sinceMs) continue
      let chunk = Buffer.from(render(e, opts.timestamps, lineStart))
      lineStart = !e.partial
      if (chunk.length > budget) chunk = chunk.subarray(0, budget)
      budget -= chunk.length
      if (chunk.length && !out.write(chunk)) await new Promise(r => out.once('drain', r))
      if (budget <= 0) return false
    }
    return true
  }
  const pump = async () => {
    const file = await open(path, 'r')
    try {
      let pos = 0
      let rest = ''
      const readNew = async (): Promise<CriEntry[]> => {
        const { size } = await file.stat()
        if (size <= pos) return []
        const buf = Buffer.alloc(size - pos)
        const { bytesRead } = await file.read(buf, 0, buf.length, pos)
        pos += bytesRead
        const lines = (rest + buf.subarray(0, bytesRead).toString('utf8')).split('\n')
        rest = lines.pop() ?? ''
        return lines.map(parseCriLine).filter((e): e is CriEntry => !!e)
      }
      let first = await readNew()
      if (opts.tailLines !== undefined) first = tail(first, opts.tailLines)
      if (!(await emit(first)) || !opts.follow) return
      const pollMs = deps.pollMs ?? 250
      while (!out.destroyed) {
        const more = await readNew()
        if (more.length) {
          if (!(await emit(more))) return
          continue
        }
        if (deps.isRunning && !(await deps.isRunning())) {
          await emit(await readNew())
          return
        }
        await deps.clock.sleep(pollMs)
      }
    } finally {
      await file.close()
    }
  }
  pump().then(
    () => out.end(),
    err => out.destroy(err),
  )
  return out
}
