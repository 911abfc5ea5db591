import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Balancer } from './balancer.js'

const b = (n: number) => ({ ip: `10.244.1.${n}`, port: 80 })
const ips = (list: { ip: string }[]) => list.map(x => x.ip.split('.')[3]).join(',')

test('round robin: each new connection starts at the next backend, the rest follow as fallbacks', () => {
  const lb = new Balancer(() => 0)
  lb.update([b(2), b(3), b(4)])
  assert.equal(ips(lb.order('10.244.2.2')), '2,3,4')
  assert.equal(ips(lb.order('10.244.2.2')), '3,4,2')
  assert.equal(ips(lb.order()), '4,2,3')
  assert.equal(ips(lb.order()), '2,3,4')
})

test('no backends: nothing to try', () => {
  const lb = new Balancer(() => 0)
  assert.deepEqual(lb.order('1.2.3.4'), [])
  lb.update([b(2)])
  lb.update([])
  assert.deepEqual(lb.order(), [])
})

test('updates keep rotating over the new set (scale up and down)', () => {
  const lb = new Balancer(() => 0)
  lb.update([b(2), b(3), b(4)])
  lb.order()
  lb.order()
  lb.order()
  lb.update([b(2)])
  assert.equal(ips(lb.order()), '2')
  lb.update([b(2), b(5)])
  const firsts = [lb.order()[0]!, lb.order()[0]!].map(x => x.ip).sort()
  assert.deepEqual(firsts, ['10.244.1.2', '10.244.1.5'])
  assert.ok(lb.has(b(5)) && !lb.has(b(3)))
})

test('ClientIP affinity: a client sticks to its backend until the timeout or until it leaves', () => {
  let now = 0
  const lb = new Balancer(() => now)
  lb.update([b(2), b(3)], 10)
  const first = lb.order('10.244.9.9')[0]!
  now = 5_000
  assert.deepEqual(lb.order('10.244.9.9')[0], first)
  assert.notDeepEqual(lb.order('10.244.9.8')[0], first, 'another client rotates on')
  now = 16_000 // more than 10 s since the last use
  lb.order('other')
  const later = lb.order('10.244.9.9')[0]!
  assert.ok(later, 'expired affinity picks by round robin again')
  lb.used('10.244.9.9', b(3))
  assert.deepEqual(lb.order('10.244.9.9')[0], b(3), 'used() moves the affinity (fallback case)')
  lb.update([b(2)], 10)
  assert.deepEqual(lb.order('10.244.9.9')[0], b(2), 'its backend left: a new one')
})
