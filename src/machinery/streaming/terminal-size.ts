/**
 * Terminal resize messages: JSON `{"Width":120,"Height":40}` (Go field names), one per message on
 * WebSocket channel 4, and a stream of newline-separated JSON values on the SPDY `resize` stream
 * (Go's json.Encoder). Pure.
 */

/** A terminal size in character cells. */
export interface TerminalSize {
  width: number
  height: number
}

/** Parses one resize message; undefined when it is not a size. */
export function parseTerminalSize(text: string | Buffer): TerminalSize | undefined {
  let v: unknown
  try {
    v = JSON.parse(String(text))
  } catch {
    return undefined
  }
  if (!v || typeof v !== 'object') return undefined
  const { Width, Height } = v as { Width?: unknown; Height?: unknown }
  if (typeof Width !== 'number' || typeof Height !== 'number') return undefined
  return { width: Width, height: Height }
}

/** The wire form of a size. */
export function encodeTerminalSize(size: TerminalSize): string {
  return JSON.stringify({ Width: size.width, Height: size.height })
}

/** Cuts a byte stream of newline-separated JSON values (the SPDY resize stream) into values. */
export class JsonLineSplitter {
  private rest = ''

  /** Adds bytes; returns every complete line (without its newline) seen so far. */
  push(chunk: Buffer | string): string[] {
    const lines = (this.rest + String(chunk)).split('\n')
    this.rest = lines.pop() ?? ''
    return lines.map(l => l.trim()).filter(Boolean)
  }

  /** Whatever is left when the stream ends (a final value written without a newline). */
  flush(): string[] {
    const last = this.rest.trim()
    this.rest = ''
    return last ? [last] : []
  }
}
