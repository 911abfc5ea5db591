/**
 * Splits a byte stream into JSON values, one per line (the watch wire format: each event is a
 * JSON object followed by "\n"). Pure stream transformation, no I/O of its own.
 */

/** Yields each non-empty line of the stream parsed as JSON; a trailing partial line is parsed at the end. */
export async function* decodeNdjson(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<unknown> {
  const decoder = new TextDecoder()
  let buffered = ''
  for await (const chunk of chunks) {
    buffered += decoder.decode(chunk, { stream: true })
    let nl = buffered.indexOf('\n')
    while (nl >= 0) {
      const line = buffered.slice(0, nl).trim()
      buffered = buffered.slice(nl + 1)
      if (line) yield JSON.parse(line)
      nl = buffered.indexOf('\n')
    }
  }
  const rest = (buffered + decoder.decode()).trim()
  if (rest) yield JSON.parse(rest)
}

/** Reads a whole body stream into a string. */
export async function readText(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = []
  for await (const chunk of chunks) parts.push(Buffer.from(chunk))
  return Buffer.concat(parts).toString('utf8')
}
