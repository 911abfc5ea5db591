/**
 * A complete HTTP/1.1 response as bytes, for answering an upgrade request on the raw socket
 * (after an 'upgrade' event there is no ServerResponse). Pure.
 */
import { STATUS_CODES } from 'node:http'

/** Formats `HTTP/1.1 <code> <text>`, the headers, and a body with its Content-Length. */
export function rawHttpResponse(
  code: number,
  { headers = {}, body = '' }: { headers?: Record<string, string>; body?: string },
): Buffer {
  const bytes = Buffer.from(body, 'utf8')
  const lines = [`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Unknown'}`]
  for (const [k, v] of Object.entries({ ...headers, 'Content-Length': String(bytes.length), Connection: 'close' }))
    lines.push(`${k}: ${v}`)
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), bytes])
}

/** A JSON error response (a Status body) for a refused upgrade. */
export function rawJsonResponse(code: number, body: unknown): Buffer {
  return rawHttpResponse(code, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
}
