/**
 * StatusError: the one error type that crosses the API boundary. Messages follow
 * apimachinery's errors.go exactly, because kubectl prints them verbatim.
 * Callers test the reason with the is* predicates (duck-typed), never instanceof.
 */
import type { GroupResource, Status, StatusCause } from '../api/meta.js'
import { type FieldError, formatFieldErrors, toCauses } from './field-error.js'

export class StatusError extends Error {
  constructor(
    readonly status: Status,
    options?: { cause?: unknown },
  ) {
    super(status.message, options)
    this.name = 'StatusError'
  }
  get code(): number {
    return this.status.code ?? 500
  }
}

/** "statefulsets.apps" or "pods": how upstream names a resource in messages. */
export function formatGR(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource
}

function failure(code: number, reason: string, message: string, details?: Status['details']): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }
  if (details) status.details = details
  return new StatusError(status)
}

export const notFound = (gr: GroupResource, name: string) =>
  failure(404, 'NotFound', `${formatGR(gr)} "${name}" not found`, {
    name,
    group: gr.group || undefined,
    kind: gr.resource,
  })

export const alreadyExists = (gr: GroupResource, name: string) =>
  failure(409, 'AlreadyExists', `${formatGR(gr)} "${name}" already exists`, {
    name,
    group: gr.group || undefined,
    kind: gr.resource,
  })

export const conflict = (gr: GroupResource, name: string, why: string) =>
  failure(409, 'Conflict', `Operation cannot be fulfilled on ${formatGR(gr)} "${name}": ${why}`, {
    name,
    group: gr.group || undefined,
    kind: gr.resource,
  })

/** The 409 for a stale resourceVersion on update. */
export const staleConflict = (gr: GroupResource, name: string) =>
  conflict(gr, name, 'the object has been modified; please apply your changes to the latest version and try again')

/** 422 Invalid: `Kind.group "name" is invalid: <errors>` with one cause per field error. */
export function invalid(kind: { group: string; kind: string }, name: string, errors: FieldError[]): StatusError {
  const qualified = kind.group ? `${kind.kind}.${kind.group}` : kind.kind
  return failure(422, 'Invalid', `${qualified} "${name}" is invalid: ${formatFieldErrors(errors)}`, {
    name,
    group: kind.group || undefined,
    kind: kind.kind,
    causes: toCauses(errors),
  })
}

export const badRequest = (message: string, causes?: StatusCause[]) =>
  failure(400, 'BadRequest', message, causes ? { causes } : undefined)

export const unauthorized = (message = 'Unauthorized') => failure(401, 'Unauthorized', message)

export const forbidden = (gr: GroupResource, name: string, why: string) =>
  failure(403, 'Forbidden', `${formatGR(gr)} "${name}" is forbidden: ${why}`, {
    name,
    group: gr.group || undefined,
    kind: gr.resource,
  })

export const methodNotSupported = (gr: GroupResource, action: string) =>
  failure(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${formatGR(gr)}"`, {
    group: gr.group || undefined,
    kind: gr.resource,
  })

export const notAcceptable = (message: string) => failure(406, 'NotAcceptable', message)

export const unsupportedMediaType = (contentType: string) =>
  failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
    {
      kind: contentType,
    },
  )

/** 410 Gone for a watch or list from a compacted resourceVersion. */
export const expired = (message: string) => failure(410, 'Expired', message)

export const resourceExpired = (requested: number, oldest: number) =>
  expired(`too old resource version: ${requested} (${oldest})`)

export const internalError = (message = 'an error on the server has prevented the request from succeeding') =>
  failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] })

export const serviceUnavailable = (message: string) => failure(503, 'ServiceUnavailable', message)

export const timeout = (message: string) => failure(504, 'Timeout', message)

export const tooManyRequests = (message: string) => failure(429, 'TooManyRequests', message)

export const requestEntityTooLarge = (message: string) => failure(413, 'RequestEntityTooLarge', message)

/** Reason of a StatusError-like value; undefined for anything else. */
export function reasonOf(e: unknown): string | undefined {
  if (e && typeof e === 'object' && 'status' in e) {
    const s = (e as { status: unknown }).status
    if (s && typeof s === 'object' && 'reason' in s) return (s as Status).reason
  }
  return undefined
}

export const isStatusError = (e: unknown): e is StatusError => reasonOf(e) !== undefined
export const isNotFound = (e: unknown) => reasonOf(e) === 'NotFound'
export const isAlreadyExists = (e: unknown) => reasonOf(e) === 'AlreadyExists'
export const isConflict = (e: unknown) => reasonOf(e) === 'Conflict'
export const isForbidden = (e: unknown) => reasonOf(e) === 'Forbidden'
export const isInvalid = (e: unknown) => reasonOf(e) === 'Invalid'
export const isExpired = (e: unknown) => reasonOf(e) === 'Expired' || reasonOf(e) === 'Gone'
