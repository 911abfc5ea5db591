/**
 * Slow-start batching (upstream replicaset.slowStartBatch): calls start with a batch of 1, doubling
 * after every fully successful batch and stopping after the first batch with a failure, so a quota
 * or admission error costs one request instead of hundreds (and one event instead of hundreds).
 */

/** The first create batch size (controller.SlowStartInitialBatchSize). */
export const SlowStartInitialBatchSize = 1

/** The batch sizes slowStartBatch uses for count calls when every call succeeds. */
export function slowStartBatchSizes(count: number, initialBatchSize = SlowStartInitialBatchSize): number[] {
  const sizes: number[] = []
  let remaining = count
  for (let size = Math.min(remaining, initialBatchSize); size > 0; size = Math.min(2 * size, remaining)) {
    sizes.push(size)
    remaining -= size
  }
  return sizes
}

/** What slowStartBatch did: calls that succeeded, and the first error if a batch failed. */
export interface SlowStartResult {
  successes: number
  error?: unknown
}

/**
 * Calls fn count times in growing concurrent batches; after a batch with any failure the remaining
 * batches are skipped. Never rejects: the first error is returned in the result.
 */
export async function slowStartBatch(
  count: number,
  initialBatchSize: number,
  fn: () => Promise<void>,
): Promise<SlowStartResult> {
  let remaining = count
  let successes = 0
  for (let size = Math.min(remaining, initialBatchSize); size > 0; size = Math.min(2 * size, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: size }, () => fn()))
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    successes += size - failed.length
    if (failed.length) return { successes, error: failed[0]!.reason }
    remaining -= size
  }
  return { successes }
}
