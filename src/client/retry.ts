/**
 * Conflict retries and small error helpers (client-go's retry.RetryOnConflict, controller-runtime's
 * IgnoreNotFound). The retried function must re-read the object each time: a 409 means our copy
 * was stale, so repeating the same write would fail again.
 */
import { isAlreadyExists, isConflict, isNotFound } from '../machinery/status-error.js'
import { type Clock, realClock } from './clock.js'

/** Options of withRetryOnConflict. */
export interface RetryOptions {
  /** Attempts in total. Default 5 (client-go DefaultRetry). */
  steps?: number
  /** Pause between attempts, ±10% jitter. Default 10 ms. */
  delayMs?: number
  clock?: Clock
  signal?: AbortSignal
}

/**
 * Runs fn, repeating it while it throws a Conflict, up to `steps` attempts; other errors pass through.
 * @example await withRetryOnConflict(async () => { const o = await c.get(PODS, n, { namespace }); ...; await c.update(PODS, o) })
 */
export async function withRetryOnConflict<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const steps = opts.steps ?? 5
  const delayMs = opts.delayMs ?? 10
  const clock = opts.clock ?? realClock
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (e) {
      if (!isConflict(e) || attempt >= steps || opts.signal?.aborted) throw e
    }
    await clock.sleep(delayMs * (0.9 + Math.random() * 0.2), opts.signal)
  }
}

/** Resolves undefined instead of rejecting when the error is NotFound. */
export async function ignoreNotFound<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p
  } catch (e) {
    if (isNotFound(e)) return undefined
    throw e
  }
}

/** Resolves undefined instead of rejecting when the error is AlreadyExists. */
export async function ignoreAlreadyExists<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p
  } catch (e) {
    if (isAlreadyExists(e)) return undefined
    throw e
  }
}
