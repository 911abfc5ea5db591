/**
 * The reconcile contract (controller-runtime's pkg/reconcile): a key comes in, a Result comes out.
 * - `done`: the object is where it should be; forget its backoff.
 * - `requeueAfter(ms)`: look again later (waiting on something), not an error.
 * - a throw: retry with per-key exponential backoff.
 * - a `TerminalError`: logged once, never retried (a retry cannot fix it, e.g. an invalid selector).
 * Reconciliation is level-based: the key says which object, never what happened to it.
 */

/** What a reconcile asks the controller to do next. */
export interface Result {
  /** Reconcile the key again after this many ms (> 0); the rate-limit history is forgotten. */
  requeueAfter?: number
}

/** Nothing more to do until the object changes. */
export const done: Result = Object.freeze({})

/** Reconcile again after ms milliseconds. */
export function requeueAfter(ms: number): Result {
  return { requeueAfter: ms }
}

/** An error a retry cannot fix: the controller logs it and does not requeue. */
export class TerminalError extends Error {
  readonly terminal = true
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'TerminalError'
  }
}

/** Duck-typed check for TerminalError (works across module copies). */
export function isTerminalError(e: unknown): boolean {
  return !!e && typeof e === 'object' && (e as { terminal?: unknown }).terminal === true
}
