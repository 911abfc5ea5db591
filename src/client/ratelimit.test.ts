/** Unit tests of the rate limiters: per-key exponential backoff, token bucket, max-of. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { FakeClock } from './clock.js'
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialRateLimiter,
  MaxOfRateLimiter,
  sampleControllerLimits,
} from './ratelimit.js'

test('exponential limiter doubles per failure from 5 ms and caps at 1000 s', () => {
  const l = new ItemExponentialRateLimiter<string>(5, 1_000_000)
  assert.deepEqual([l.when('a'), l.when('a'), l.when('a'), l.when('b')], [5, 10, 20, 5])
  assert.equal(l.numRequeues('a'), 3)
  for (let i = 0; i < 40; i++) l.when('a')
  assert.equal(l.when('a'), 1_000_000)
  l.forget('a')
  assert.equal(l.numRequeues('a'), 0)
  assert.equal(l.when('a'), 5)
})

test('bucket limiter allows the burst, then spaces calls at 1/qps', async () => {
  const clock = new FakeClock(0)
  const l = new BucketRateLimiter<string>(10, 3, clock)
  assert.deepEqual([l.when('x'), l.when('y'), l.when('z')], [0, 0, 0])
  assert.equal(l.when('x'), 100)
  assert.equal(l.when('x'), 200)
  await clock.advance(1000)
  // 10 tokens accrue in a second, but the bucket holds at most burst=3 (after paying 2 of debt).
  assert.equal(l.when('x'), 0)
})

test('max-of limiter returns the longest delay and forgets in all', () => {
  const clock = new FakeClock(0)
  const l = new MaxOfRateLimiter<string>(
    new ItemExponentialRateLimiter<string>(5, 1000),
    new BucketRateLimiter<string>(1, 1, clock),
  )
  assert.equal(l.when('a'), 5)
  assert.equal(l.when('a'), 1000)
  assert.equal(l.numRequeues('a'), 2)
  l.forget('a')
  assert.equal(l.numRequeues('a'), 0)
})

test('default controller limiter: upstream exponential, configurable bucket', () => {
  const clock = new FakeClock(0)
  const upstream = defaultControllerRateLimiter<string>({ ...sampleControllerLimits, clock })
  const delays = Array.from({ length: 301 }, (_, i) => upstream.when(`k${i}`))
  assert.equal(delays[299], 5)
  assert.equal(Math.round(delays[300]!), 20)
  const petset = defaultControllerRateLimiter<string>({ clock })
  assert.ok(Array.from({ length: 5000 }, (_, i) => petset.when(`k${i}`)).every(d => d === 5))
})
