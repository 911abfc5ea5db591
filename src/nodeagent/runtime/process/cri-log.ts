/**
 * The CRI container log format (`<RFC3339Nano> <stdout|stderr> <F|P> <content>`), written by the
 * shim and read back by tests and log readers. Byte-oriented: content is never decoded, so a
 * multi-byte character split across reads survives. No I/O here.
 */

/** A log stream name as it appears in the file. */
export type LogStream = 'stdout' | 'stderr'

/** One parsed log entry: `partial` entries continue on the next entry of the same stream. */
export interface LogEntry {
  time: string
  stream: LogStream
  partial: boolean
  content: string
}

/** RFC3339 with nanoseconds and trailing zeros kept ("2024-05-01T10:00:00.123456789Z"). */
export function rfc3339Nano(ms: number, subMsNanos = 0): string {
  const iso = new Date(ms).toISOString() // 2024-05-01T10:00:00.123Z
  const nanos = (ms % 1000) * 1_000_000 + Math.max(0, Math.min(999_999, Math.floor(subMsNanos)))
  return `${iso.slice(0, 19)}.${String(nanos).padStart(9, '0')}Z`
}

/**
 * Turns a stream's chunks into log entries: every complete line becomes an `F` entry; what a
 * chunk leaves after its last newline is written at once as a `P` entry, because interactive
 * programs (a shell prompt) print no newline and attach readers must still see it.
 */
export class CriLineWriter {
  constructor(
    private readonly stream: LogStream,
    private readonly write: (entry: Buffer) => void,
    private readonly now: () => string,
  ) {}

  /** Formats one chunk of output into entries and writes them. */
  push(chunk: Buffer): void {
    const ts = this.now()
    let start = 0
    const parts: Buffer[] = []
    for (;;) {
      const nl = chunk.indexOf(0x0a, start)
      if (nl < 0) break
      parts.push(Buffer.from(`${ts} ${this.stream} F `), chunk.subarray(start, nl + 1))
      start = nl + 1
    }
    if (start < chunk.length)
      parts.push(Buffer.from(`${ts} ${this.stream} P `), chunk.subarray(start), Buffer.from('\n'))
    if (parts.length) this.write(Buffer.concat(parts))
  }
}

/** Parses a log file's text into entries; malformed lines are skipped. */
export function parseCriLog(text: string): LogEntry[] {
  const out: LogEntry[] = []
  for (const line of text.split('\n')) {
    // `s`: a terminal's lines end in \r\n, and the \r is content (kubectl logs prints it too).
    const m = /^(\S+) (stdout|stderr) ([FP]) ?(.*)$/s.exec(line)
    if (m) out.push({ time: m[1]!, stream: m[2] as LogStream, partial: m[3] === 'P', content: m[4]! })
  }
  return out
}

/** The text a stream carried, partial entries joined (what `kubectl logs` prints for it). */
export function logText(entries: LogEntry[], stream?: LogStream): string {
  let text = ''
  for (const e of entries) if (!stream || e.stream === stream) text += e.partial ? e.content : `${e.content}\n`
  return text
}
