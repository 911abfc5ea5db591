/** Crash-loop back-off: the kubelet's 0, 10 s, 20 s ... 5 min sequence, expiry, and Go duration text. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type BackoffEntry, formatBackoff, isInBackOffSince, nextBackoff } from './backoff.js'

describe('crash-loop back-off', () => {
  it('restarts at once, then waits 10s doubling to 5m after each crash', () => {
    // A container that crashes as soon as it starts: each exit happens when the previous wait ends.
    let entry: BackoffEntry | undefined
    let now = 0
    const waits: number[] = []
    for (let crash = 0; crash < 9; crash++) {
      const finishedAt = now
      let waited = 0
      while (isInBackOffSince(entry, finishedAt, now)) {
        now += 1000
        waited += 1000
      }
      waits.push(waited / 1000)
      entry = nextBackoff(entry, finishedAt, now)
    }
    assert.deepEqual(waits, [0, 10, 20, 40, 80, 160, 300, 300, 300])
  })

  it('starts over when the last update is older than twice the cap', () => {
    const entry: BackoffEntry = { backoffMs: 300_000, lastUpdate: 0 }
    assert.equal(isInBackOffSince(entry, 600_001, 600_001), false)
    assert.deepEqual(nextBackoff(entry, 600_001, 600_001), { backoffMs: 10_000, lastUpdate: 600_001 })
    assert.equal(isInBackOffSince(entry, 600_000, 600_000), true)
  })

  const texts: [number, string][] = [
    [10_000, '10s'],
    [80_000, '1m20s'],
    [300_000, '5m0s'],
    [3_600_000, '1h0m0s'],
  ]
  for (const [ms, want] of texts) it(`formats ${ms} ms as ${want}`, () => assert.equal(formatBackoff(ms), want))
})
