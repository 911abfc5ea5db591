/** IPPool: lowest-free allocation from .2, reuse of released addresses, exhaustion, parsing. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatIPv4, IPPool, parseCIDRv4, parseIPv4 } from './ip-pool.js'

describe('IPPool', () => {
  it('allocates from .2 upward and reuses the lowest released address', () => {
    const pool = new IPPool('10.244.1.0/24')
    assert.deepEqual([pool.allocate(), pool.allocate(), pool.allocate()], ['10.244.1.2', '10.244.1.3', '10.244.1.4'])
    pool.release('10.244.1.3')
    assert.equal(pool.allocate(), '10.244.1.3')
    assert.equal(pool.allocate(), '10.244.1.5')
    assert.equal(pool.inUse(), 4)
  })

  it('runs out before the broadcast address', () => {
    const pool = new IPPool('10.0.0.0/30') // .0 network, .1 gateway, .2 usable, .3 broadcast
    assert.equal(pool.allocate(), '10.0.0.2')
    assert.equal(pool.allocate(), undefined)
    assert.equal(new IPPool('10.244.1.0/24').rangeText(), '10.244.1.1-10.244.1.254')
  })

  it('reserves adopted addresses inside its CIDR only', () => {
    const pool = new IPPool('10.244.2.0/24')
    assert.equal(pool.reserve('10.244.2.2'), true)
    assert.equal(pool.reserve('10.244.3.2'), false)
    assert.equal(pool.allocate(), '10.244.2.3')
  })
})

describe('IPv4 parsing', () => {
  const cases: { input: string; want?: { base: string; prefix: number }; error?: boolean }[] = [
    { input: '10.244.1.0/24', want: { base: '10.244.1.0', prefix: 24 } },
    { input: '10.244.1.7/24', want: { base: '10.244.1.0', prefix: 24 } },
    { input: '10.244.0.0/16', want: { base: '10.244.0.0', prefix: 16 } },
    { input: '10.244.1.0', error: true },
    { input: '10.244.1.0/33', error: true },
    { input: '10.256.1.0/24', error: true },
  ]
  for (const c of cases)
    it(c.input, () => {
      if (c.error) return assert.throws(() => parseCIDRv4(c.input))
      const got = parseCIDRv4(c.input)
      assert.deepEqual({ base: formatIPv4(got.base), prefix: got.prefix }, c.want)
    })

  it('round-trips addresses', () => {
    for (const ip of ['0.0.0.0', '10.244.1.2', '255.255.255.255']) assert.equal(formatIPv4(parseIPv4(ip)), ip)
  })
})
