/** Slow-start batching: sizes double from 1, and the first failing batch stops the rest. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { slowStartBatch, slowStartBatchSizes } from './slow-start.js'

describe('slowStartBatchSizes', () => {
  const cases: { count: number; initial?: number; want: number[] }[] = [
    { count: 0, want: [] },
    { count: 1, want: [1] },
    { count: 3, want: [1, 2] },
    { count: 10, want: [1, 2, 4, 3] },
    { count: 500, want: [1, 2, 4, 8, 16, 32, 64, 128, 245] },
    { count: 10, initial: 5, want: [5, 5] },
  ]
  for (const c of cases) {
    it(`${c.count} calls from ${c.initial ?? 1}`, () =>
      assert.deepEqual(slowStartBatchSizes(c.count, c.initial), c.want))
  }
})

describe('slowStartBatch', () => {
  it('runs every call when all succeed', async () => {
    let calls = 0
    const res = await slowStartBatch(10, 1, async () => {
      calls++
    })
    assert.deepEqual(res, { successes: 10 })
    assert.equal(calls, 10)
  })

  it('stops after the batch in which a call failed', async () => {
    // Batches 1, 2, 4, 3: the 5th call (in the batch of 4) fails, so the batch of 3 never starts.
    let calls = 0
    const boom = new Error('quota exceeded')
    const res = await slowStartBatch(10, 1, async () => {
      if (++calls === 5) throw boom
    })
    assert.equal(calls, 7)
    assert.equal(res.successes, 6)
    assert.equal(res.error, boom)
  })

  it('a failure in the first batch costs one call', async () => {
    let calls = 0
    const res = await slowStartBatch(100, 1, async () => {
      calls++
      throw new Error('forbidden')
    })
    assert.equal(calls, 1)
    assert.equal(res.successes, 0)
  })
})
