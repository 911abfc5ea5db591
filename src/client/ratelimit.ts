/**
 * Rate limiters for the work queue, in client-go's shape: a limiter answers "how long should this
 * key wait before its next retry". Pure arithmetic over an injected Clock; no timers of its own.
 */
import { type Clock, realClock } from './clock.js'

/** Decides the delay before a key is retried. */
export interface RateLimiter<K = string> {
  /** Delay in ms before the key may be processed again; records one more failure. */
  when(key: K): number
  /** Clears the key's failure history (call after a success). */
  forget(key: K): void
  /** How many times the key has been rate-limited since the last forget. */
  numRequeues(key: K): number
}

/** Per-key exponential backoff: base·2^failures, capped at max (client-go ItemExponentialFailureRateLimiter). */
export class ItemExponentialRateLimiter<K = string> implements RateLimiter<K> {
  private failures = new Map<K, number>()

  constructor(
    private readonly baseDelayMs: number,
    private readonly maxDelayMs: number,
  ) {}

  when(key: K): number {
    const exp = this.failures.get(key) ?? 0
    this.failures.set(key, exp + 1)
    // NOTE: 2^exp overflows to Infinity past ~1023 failures; min() still caps it.
    return Math.min(this.baseDelayMs * 2 ** exp, this.maxDelayMs)
  }

  forget(key: K): void {
    this.failures.delete(key)
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0
  }
}

/**
 * A global token bucket shared by all keys (golang.org/x/time/rate's Reserve().Delay()):
 * each call takes a token, possibly going into debt, and returns how long until that token exists.
 */
export class BucketRateLimiter<K = string> implements RateLimiter<K> {
  private tokens: number
  private last: number

  constructor(
    private readonly qps: number,
    private readonly burst: number,
    private readonly clock: Clock = realClock,
  ) {
    this.tokens = burst
    this.last = clock.now()
  }

  when(_key: K): number {
    const now = this.clock.now()
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000)
    this.last = now
    this.tokens -= 1
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000
  }

  forget(_key: K): void {}

  numRequeues(_key: K): number {
    return 0
  }
}

/** The worst (longest) delay of several limiters; every limiter records the failure. */
export class MaxOfRateLimiter<K = string> implements RateLimiter<K> {
  private readonly limiters: RateLimiter<K>[]

  constructor(...limiters: RateLimiter<K>[]) {
    this.limiters = limiters
  }

  when(key: K): number {
    let max = 0
    for (const l of this.limiters) max = Math.max(max, l.when(key))
    return max
  }

  forget(key: K): void {
    for (const l of this.limiters) l.forget(key)
  }

  numRequeues(key: K): number {
    let max = 0
    for (const l of this.limiters) max = Math.max(max, l.numRequeues(key))
    return max
  }
}

/** Knobs of the default controller limiter. */
export interface ControllerRateLimiterOptions {
  /** First retry delay, doubled per failure. Default 5 ms (upstream). */
  baseDelayMs?: number
  /** Cap of the per-key delay. Default 1000 s (upstream). */
  maxDelayMs?: number
  /** Global retry rate. Default 5000/s (upstream 50; see sampleControllerLimits). */
  qps?: number
  /** Global retry burst. Default 10000 (upstream 300). */
  burst?: number
  clock?: Clock
}

/** sample-controller's exact bucket: 50 qps, 300 burst. */
export const sampleControllerLimits = { qps: 50, burst: 300 } as const

/**
 * petset's default bucket. NOTE: the bucket limits only rate-limited re-adds (retries after errors),
 * never first-time adds. Upstream's 50 qps would cap a 1000-pod burst of conflict retries at 20 ms
 * each, far too slow for the "1000 replicas Ready in < 3 s" goal, while the per-key exponential
 * backoff (which is what actually prevents hot loops) stays exactly upstream's.
 */
export const petsetControllerLimits = { qps: 5000, burst: 10000 } as const

/**
 * The controller limiter: max(per-key exponential 5 ms → 1000 s, global token bucket).
 * @example new WorkQueue({ rateLimiter: defaultControllerRateLimiter({ ...sampleControllerLimits }) })
 */
export function defaultControllerRateLimiter<K = string>(opts: ControllerRateLimiterOptions = {}): RateLimiter<K> {
  return new MaxOfRateLimiter<K>(
    new ItemExponentialRateLimiter<K>(opts.baseDelayMs ?? 5, opts.maxDelayMs ?? 1_000_000),
    new BucketRateLimiter<K>(
      opts.qps ?? petsetControllerLimits.qps,
      opts.burst ?? petsetControllerLimits.burst,
      opts.clock ?? realClock,
    ),
  )
}
