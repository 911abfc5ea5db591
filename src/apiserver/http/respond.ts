/**
 * Writing responses: JSON bodies, Status errors (never leaking internals of a 500), and
 * Warning headers in the RFC 7234 form kubectl prints.
 */
import type { ServerResponse } from 'node:http'
import { internalError, isStatusError, type StatusError } from '../../machinery/status-error.js'

/** Formats one warning as kube-apiserver does: `299 - "text"`. */
export const warningHeader = (text: string) => `299 - ${JSON.stringify(text.replace(/[\r\n]+/g, ' '))}`

/** Sends a JSON body with status code and any warnings. */
export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  opts: { contentType?: string; warnings?: string[]; headers?: Record<string, string> } = {},
): void {
  if (res.headersSent) {
    res.end()
    return
  }
  const text = JSON.stringify(body)
  const headers: Record<string, string | string[]> = {
    'Content-Type': opts.contentType ?? 'application/json',
    'Cache-Control': 'no-cache, private',
    ...opts.headers,
  }
  const warnings = [...new Set(opts.warnings ?? [])]
  if (warnings.length) headers.Warning = warnings.map(warningHeader)
  res.writeHead(code, headers)
  res.end(text)
}

/** Sends an error as a Status; anything that is not a StatusError becomes a generic 500. */
export function sendError(res: ServerResponse, err: unknown, log: (e: unknown) => void, warnings?: string[]): void {
  let se: StatusError
  if (isStatusError(err)) se = err as StatusError
  else {
    log(err)
    se = internalError()
  }
  sendJson(res, se.status.code ?? 500, se.status, { warnings })
}
