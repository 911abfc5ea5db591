/**
 * The controller work queue, in client-go's shape (workqueue.TypedRateLimitingInterface):
 * - a key queued twice is queued once (the dirty set);
 * - a key being processed is never handed to a second worker: re-adds wait in dirty until done();
 * - delayed adds (addAfter) keep the earliest deadline per key;
 * - addRateLimited asks the limiter for the delay; forget clears the key's backoff.
 * Holds keys only, never objects: workers read the current state from listers.
 */
import { type Clock, realClock, type Timer } from './clock.js'
import { defaultControllerRateLimiter, type RateLimiter } from './ratelimit.js'

/** Options of a WorkQueue. */
export interface WorkQueueOptions<K> {
  /** Used by addRateLimited. Defaults to defaultControllerRateLimiter(). */
  rateLimiter?: RateLimiter<K>
  clock?: Clock
}

interface Waiting {
  at: number
  timer: Timer
}

/** A deduplicating, delaying, rate-limited FIFO of keys. */
export class WorkQueue<K = string> {
  private queue: K[] = []
  private head = 0
  private readonly dirty = new Set<K>()
  private readonly processing = new Set<K>()
  private readonly waiting = new Map<K, Waiting>()
  private getters: ((key: K | undefined) => void)[] = []
  private shuttingDown = false
  private readonly rateLimiter: RateLimiter<K>
  private readonly clock: Clock

  constructor(opts: WorkQueueOptions<K> = {}) {
    this.clock = opts.clock ?? realClock
    this.rateLimiter = opts.rateLimiter ?? defaultControllerRateLimiter<K>({ clock: this.clock })
  }

  /** Marks key as needing processing. No-op while shutting down or when already queued. */
  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return
    this.dirty.add(key)
    // A key being processed is re-queued by done(), so it never reaches two workers at once.
    if (this.processing.has(key)) return
    this.push(key)
  }

  /** Adds key after ms; a pending earlier deadline for the same key wins. */
  addAfter(key: K, ms: number): void {
    if (this.shuttingDown) return
    if (ms <= 0) {
      this.add(key)
      return
    }
    const at = this.clock.now() + ms
    const existing = this.waiting.get(key)
    if (existing && existing.at <= at) return
    existing?.timer.cancel()
    const timer = this.clock.setTimer(() => {
      this.waiting.delete(key)
      this.add(key)
    }, ms)
    this.waiting.set(key, { at, timer })
  }

  /** Adds key after the rate limiter's delay (a retry after a failure). */
  addRateLimited(key: K): void {
    this.addAfter(key, this.rateLimiter.when(key))
  }

  /** Stops rate-limit tracking of key (after a success); does not remove it from the queue. */
  forget(key: K): void {
    this.rateLimiter.forget(key)
  }

  /** Retries recorded for key since the last forget. */
  numRequeues(key: K): number {
    return this.rateLimiter.numRequeues(key)
  }

  /**
   * Waits for the next key and marks it processing; the caller must call done(key).
   * Resolves undefined once the queue is shut down (or signal aborts).
   */
  get(signal?: AbortSignal): Promise<K | undefined> {
    if (this.length() > 0) return Promise.resolve(this.pop())
    if (this.shuttingDown || signal?.aborted) return Promise.resolve(undefined)
    return new Promise(resolve => {
      const getter = (key: K | undefined) => {
        signal?.removeEventListener('abort', onAbort)
        resolve(key)
      }
      const onAbort = () => {
        this.getters = this.getters.filter(g => g !== getter)
        resolve(undefined)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.getters.push(getter)
    })
  }

  /** Ends processing of key; if it was re-added meanwhile, it goes back in the queue. */
  done(key: K): void {
    this.processing.delete(key)
    if (this.dirty.has(key) && !this.shuttingDown) this.push(key)
  }

  /** Keys ready to be handed out (not counting delayed or processing keys). */
  length(): number {
    return this.queue.length - this.head
  }

  /** Whether shutdown() was called. */
  isShuttingDown(): boolean {
    return this.shuttingDown
  }

  /** Stops accepting keys, cancels delayed adds and wakes every waiting get() with undefined. */
  shutdown(): void {
    this.shuttingDown = true
    for (const w of this.waiting.values()) w.timer.cancel()
    this.waiting.clear()
    const getters = this.getters
    this.getters = []
    for (const g of getters) g(undefined)
  }

  private push(key: K): void {
    const getter = this.getters.shift()
    if (getter) {
      this.take(key)
      getter(key)
      return
    }
    this.queue.push(key)
  }

  private pop(): K {
    const key = this.queue[this.head++]!
    // Compact occasionally so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head)
      this.head = 0
    }
    this.take(key)
    return key
  }

  private take(key: K): void {
    this.dirty.delete(key)
    this.processing.add(key)
  }
}
