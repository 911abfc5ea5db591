/** Tests for duration.ts, following upstream's duration_test.go tables. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { humanDuration, shortHumanDuration, translateTimestampSince } from './duration.js'

const s = 1000
const m = 60 * s
const h = 60 * m
const d = 24 * h
const y = 365 * d

describe('humanDuration', () => {
  const table: [number, string][] = [
    [-2 * s, '<invalid>'],
    [-1999, '0s'], // truncated to -1 s: within the tolerated clock skew
    [-1 * s, '0s'],
    [0, '0s'],
    [1 * s, '1s'],
    [59 * s, '59s'],
    [60 * s, '60s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [2 * m + 1 * s, '2m1s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m, '10m'],
    [10 * m + 59 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 1 * m, '3h1m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h, '8h'],
    [47 * h + 59 * m, '47h'],
    [48 * h, '2d'],
    [48 * h + 1 * h, '2d1h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d, '8d'],
    [2 * y - 1 * d, '729d'],
    [2 * y, '2y'],
    [2 * y + 1 * d, '2y1d'],
    [8 * y - 1 * d, '7y364d'],
    [8 * y, '8y'],
    [20 * y + 200 * d, '20y'],
  ]
  for (const [ms, want] of table) test(`${ms}ms → ${want}`, () => assert.equal(humanDuration(ms), want))
})

describe('shortHumanDuration', () => {
  const table: [number, string][] = [
    [-2 * s, '<invalid>'],
    [-1 * s, '0s'],
    [59 * s, '59s'],
    [60 * s, '1m'],
    [59 * m, '59m'],
    [60 * m, '1h'],
    [23 * h + 59 * m, '23h'],
    [24 * h, '1d'],
    [364 * d, '364d'],
    [365 * d, '1y'],
    [3 * y + 100 * d, '3y'],
  ]
  for (const [ms, want] of table) test(`${ms}ms → ${want}`, () => assert.equal(shortHumanDuration(ms), want))
})

describe('translateTimestampSince', () => {
  const now = Date.parse('2024-05-01T12:00:00Z')
  const table: [string | undefined, string][] = [
    [undefined, '<unknown>'],
    ['', '<unknown>'],
    ['not a time', '<unknown>'],
    ['2024-05-01T12:00:00Z', '0s'],
    ['2024-05-01T11:58:25Z', '95s'],
    ['2024-05-01T11:56:40Z', '3m20s'],
    ['2024-04-30T12:00:00Z', '24h'],
    ['2024-04-28T09:00:00Z', '3d3h'],
    ['2024-05-01T12:00:05Z', '<invalid>'],
  ]
  for (const [ts, want] of table) test(`${ts} → ${want}`, () => assert.equal(translateTimestampSince(ts, now), want))
})
