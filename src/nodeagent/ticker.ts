/** A periodic loop on the injected clock, with an early wake-up. */
import type { Clock } from '../client/clock.js'

/** Runs fn now and then every ms until signal aborts; wake() runs it again early; failures go to onError. */
export function ticker(
  clock: Clock,
  ms: number,
  signal: AbortSignal,
  fn: () => Promise<unknown>,
  onError: (err: unknown) => void,
): { done: Promise<void>; wake(): void } {
  let wakeUp: (() => void) | undefined
  const done = (async () => {
    while (!signal.aborted) {
      await fn().catch(err => signal.aborted || onError(err))
      const early = new Promise<void>(r => (wakeUp = r))
      await Promise.race([clock.sleep(ms, signal), early])
      wakeUp = undefined
    }
  })()
  return { done, wake: () => wakeUp?.() }
}
