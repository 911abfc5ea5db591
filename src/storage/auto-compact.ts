/**
 * Periodic compaction for any backend: every interval, compact to (current - keepRevisions).
 * Owns one unref'd timer and nothing else; it never blocks writers itself (a backend's
 * compact() is responsible for working in small steps) and it never logs.
 */
import { type Store, storeErrorCode } from './store.js'

/** Knobs shared by every backend that compacts itself. */
export interface AutoCompactOptions {
  /** Milliseconds between compactions; 0 turns auto-compaction off. Default 60 000. */
  compactIntervalMs?: number
  /** Revisions of history to keep below the current one. Default 10 000. */
  keepRevisions?: number
  /** Told about a failed background compaction (the next tick tries again). */
  onCompactError?: (err: unknown) => void
}

/** Default interval between automatic compactions. */
export const defaultCompactIntervalMs = 60_000
/** Default number of revisions of history kept by automatic compaction. */
export const defaultKeepRevisions = 10_000

type Compactable = Pick<Store, 'currentRevision' | 'compactRevision' | 'compact'>

/** Runs compact() on a timer; tick() is the same step, callable directly (tests, shutdown). */
export class AutoCompactor {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<number | undefined> | undefined
  private readonly intervalMs: number
  private readonly keep: number

  constructor(
    private readonly store: Compactable,
    private readonly opts: AutoCompactOptions = {},
  ) {
    this.intervalMs = opts.compactIntervalMs ?? defaultCompactIntervalMs
    this.keep = Math.max(0, opts.keepRevisions ?? defaultKeepRevisions)
  }

  /** Starts the timer (no-op when the interval is 0 or it already runs). */
  start(): void {
    if (this.intervalMs <= 0 || this.timer) return
    // NOTE: bare setInterval is deliberate: the timer only paces work, tests drive tick() instead.
    this.timer = setInterval(() => {
      this.tick().catch(err => {
        if (storeErrorCode(err) !== 'StoreClosed') this.opts.onCompactError?.(err)
      })
    }, this.intervalMs)
    this.timer.unref()
  }

  /** Stops the timer; an in-flight tick finishes on its own. */
  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }

  /** Compacts to current - keepRevisions when that is newer than the compact revision; resolves the target or undefined. */
  tick(): Promise<number | undefined> {
    this.running ??= this.step().finally(() => {
      this.running = undefined
    })
    return this.running
  }

  private async step(): Promise<number | undefined> {
    const target = (await this.store.currentRevision()) - this.keep
    if (target <= (await this.store.compactRevision())) return undefined
    await this.store.compact(target)
    return target
  }
}
