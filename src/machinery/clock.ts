/**
 * Clock: injected time for every loop, backoff and timer in the client and the controllers (C11).
 * Logic takes a Clock instead of calling Date.now()/setTimeout, so tests drive time with FakeClock.
 */

/** A cancellable timer handle. */
export interface Timer {
  /** Stops the timer if it has not fired; safe to call twice. */
  cancel(): void
}

/** The time source and timer factory that logic depends on. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number
  /** Runs fn once after ms milliseconds. */
  setTimer(fn: () => void, ms: number): Timer
  /** Resolves after ms milliseconds, or early (without rejecting) when signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/** Sleeps on any clock through its setTimer, waking early on abort. */
function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve()
  return new Promise(resolve => {
    const finish = () => {
      timer.cancel()
      signal?.removeEventListener('abort', finish)
      resolve()
    }
    const timer = clock.setTimer(finish, ms)
    signal?.addEventListener('abort', finish, { once: true })
  })
}

/** The wall clock and Node timers. Timers are unref'd so they never keep a process alive. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms))
    t.unref?.()
    return { cancel: () => clearTimeout(t) }
  },
  sleep(ms, signal) {
    return sleepOn(realClock, ms, signal)
  },
}

interface PendingTimer {
  at: number
  seq: number
  fn: () => void
  cancelled: boolean
}

/**
 * A manual clock for tests: time moves only through advance(), which fires due timers in order.
 * @example const clock = new FakeClock(0); clock.setTimer(f, 10); await clock.advance(10) // f ran
 */
export class FakeClock implements Clock {
  private timers: PendingTimer[] = []
  private seq = 0

  constructor(private current = 0) {}

  now(): number {
    return this.current
  }

  setTimer(fn: () => void, ms: number): Timer {
    const t: PendingTimer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false }
    this.timers.push(t)
    return { cancel: () => (t.cancelled = true) }
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal)
  }

  /** Number of timers still waiting to fire. */
  pending(): number {
    return this.timers.filter(t => !t.cancelled).length
  }

  /** Moves time forward by ms, firing due timers in time order; yields to microtasks between timers. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms
    for (;;) {
      await flushMicrotasks()
      const due = this.timers
        .filter(t => !t.cancelled && t.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0]
      if (!due) break
      this.timers = this.timers.filter(t => t !== due)
      this.current = Math.max(this.current, due.at)
      due.fn()
    }
    this.timers = this.timers.filter(t => !t.cancelled)
    this.current = target
    await flushMicrotasks()
  }
}

/** Lets every pending promise callback run: setImmediate fires after the microtask queue drains. */
function flushMicrotasks(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve))
}
