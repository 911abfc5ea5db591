/** Expectations: creations and named deletions are awaited once each, and expire after five minutes. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { FakeClock } from '../../client/clock.js'
import { Expectations, ExpectationsTimeoutMs } from './expectations.js'

describe('Expectations', () => {
  it('a controller that never expected anything is satisfied', () => {
    assert.equal(new Expectations(new FakeClock(0)).satisfied('ns/rs'), true)
  })

  it('creations are satisfied once all were observed', () => {
    const e = new Expectations(new FakeClock(0))
    e.expectCreations('ns/rs', 2)
    assert.equal(e.satisfied('ns/rs'), false)
    e.creationObserved('ns/rs')
    assert.equal(e.satisfied('ns/rs'), false)
    e.creationObserved('ns/rs')
    assert.equal(e.satisfied('ns/rs'), true)
  })

  it('a deletion counts once per named pod, however often it is observed', () => {
    const e = new Expectations(new FakeClock(0))
    e.expectDeletions('ns/rs', ['ns/a', 'ns/b'])
    e.deletionObserved('ns/rs', 'ns/a')
    e.deletionObserved('ns/rs', 'ns/a') // graceful deletion: an update with deletionTimestamp, then the delete
    e.deletionObserved('ns/rs', 'ns/other')
    assert.deepEqual(e.pending('ns/rs'), { add: 0, del: 1 })
    e.deletionObserved('ns/rs', 'ns/b')
    assert.equal(e.satisfied('ns/rs'), true)
  })

  it('unmet expectations expire', async () => {
    const clock = new FakeClock(0)
    const e = new Expectations(clock)
    e.expectCreations('ns/rs', 1)
    await clock.advance(ExpectationsTimeoutMs)
    assert.equal(e.satisfied('ns/rs'), false)
    await clock.advance(1)
    assert.equal(e.satisfied('ns/rs'), true)
  })

  it('delete forgets the controller', () => {
    const e = new Expectations(new FakeClock(0))
    e.expectCreations('ns/rs', 3)
    e.delete('ns/rs')
    assert.equal(e.satisfied('ns/rs'), true)
    assert.equal(e.pending('ns/rs'), undefined)
  })
})
