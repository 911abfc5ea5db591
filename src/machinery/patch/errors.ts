/**
 * PatchError: the one error type the patch engines throw. Its `kind` tells the API server
 * which Status to send; messages mirror kube-apiserver's where upstream has a fixed text.
 * Pure: no I/O. It never builds a Status itself (that belongs to the server room).
 */
import type { StatusCause } from '../../api/meta.js'

/**
 * How the API server should answer:
 * - BadRequest: 400, the patch document itself is malformed (bad JSON, unknown directive).
 * - UnprocessableEntity: 422 "the server rejected our request due to an error in our request",
 *   with the precise message as a cause, as upstream does for JSON patch apply failures.
 * - Invalid: 422 Invalid with the precise message (the patched object cannot be typed).
 * - Conflict: 409, server-side apply ownership conflicts (causes carry one entry per field).
 */
export type PatchErrorKind = 'BadRequest' | 'Invalid' | 'Conflict' | 'UnprocessableEntity'

const codes: Record<PatchErrorKind, number> = { BadRequest: 400, Invalid: 422, Conflict: 409, UnprocessableEntity: 422 }

/** An error from a patch engine; see PatchErrorKind for the Status it maps to. */
export class PatchError extends Error {
  readonly kind: PatchErrorKind
  /** Per-field causes; for SSA conflicts `{ reason: 'FieldManagerConflict', message, field }`. */
  readonly causes?: StatusCause[]
  constructor(kind: PatchErrorKind, message: string, options?: { causes?: StatusCause[]; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'PatchError'
    this.kind = kind
    if (options?.causes) this.causes = options.causes
  }
  /** The HTTP status code for this kind. */
  get code(): number {
    return codes[this.kind]
  }
}

/** Duck-typed check (no instanceof), as the style guide asks of error predicates. */
export function isPatchError(e: unknown): e is PatchError {
  return (
    typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'PatchError' && 'kind' in (e as object)
  )
}

/** Shorthand for the 400 most malformed patches get. */
export const badPatch = (message: string) => new PatchError('BadRequest', message)
