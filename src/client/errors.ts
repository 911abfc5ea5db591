/**
 * Turns a non-2xx HTTP response into the one API error type, StatusError (C4): the server's
 * Status body when it sent one, else a Status synthesized from the code the way client-go's
 * NewGenericServerResponse does, so isNotFound/isConflict/... work on every failure.
 */
import type { Status } from '../api/meta.js'
import { StatusError } from '../machinery/status-error.js'

const reasons: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
}

/** True for a metav1.Status body. */
export function isStatusBody(v: unknown): v is Status {
  return !!v && typeof v === 'object' && (v as { kind?: unknown }).kind === 'Status'
}

/** A StatusError for an HTTP failure with the given code and (possibly empty) body text. */
export function errorFromResponse(code: number, text: string): StatusError {
  let body: unknown
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    body = undefined
  }
  if (isStatusBody(body) && body.status === 'Failure') {
    return new StatusError({ ...body, code: body.code || code, reason: body.reason || reasons[code] || 'Unknown' })
  }
  const message = text.trim()
    ? `the server responded with the status code ${code}: ${text.trim().slice(0, 512)}`
    : `the server responded with the status code ${code} but did not return more information`
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    code,
    reason: reasons[code] ?? (code >= 500 ? 'InternalError' : 'Unknown'),
    message,
  })
}

/** A StatusError from the Status carried by a watch ERROR event. */
export function errorFromWatchStatus(obj: unknown): StatusError {
  if (isStatusBody(obj)) return new StatusError({ ...obj, reason: obj.reason || reasons[obj.code ?? 500] })
  return errorFromResponse(500, JSON.stringify(obj))
}
