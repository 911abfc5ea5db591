/** Per-node subnet allocation: lowest free /24 of the cluster CIDR, overlaps, exhaustion, parsing. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { allocateSubnet, formatCIDR, parseCIDR } from './cidr.js'

describe('allocateSubnet', () => {
  const cases: { name: string; cluster: string; mask: number; used: string[]; want: string | undefined }[] = [
    { name: 'first node', cluster: '10.244.0.0/16', mask: 24, used: [], want: '10.244.0.0/24' },
    {
      name: 'next free',
      cluster: '10.244.0.0/16',
      mask: 24,
      used: ['10.244.0.0/24', '10.244.1.0/24'],
      want: '10.244.2.0/24',
    },
    {
      name: 'reuses a freed gap',
      cluster: '10.244.0.0/16',
      mask: 24,
      used: ['10.244.0.0/24', '10.244.2.0/24'],
      want: '10.244.1.0/24',
    },
    {
      name: 'ignores CIDRs outside the cluster',
      cluster: '10.244.0.0/16',
      mask: 24,
      used: ['10.0.0.0/24'],
      want: '10.244.0.0/24',
    },
    {
      name: 'a larger used range covers several subnets',
      cluster: '10.244.0.0/16',
      mask: 24,
      used: ['10.244.0.0/23'],
      want: '10.244.2.0/24',
    },
    { name: 'ignores garbage', cluster: '10.244.0.0/16', mask: 24, used: ['nope'], want: '10.244.0.0/24' },
    { name: 'full', cluster: '10.244.0.0/23', mask: 24, used: ['10.244.0.0/24', '10.244.1.0/24'], want: undefined },
  ]
  for (const c of cases) it(c.name, () => assert.equal(allocateSubnet(c.cluster, c.mask, c.used), c.want))

  it('rejects a mask that does not fit', () => {
    assert.throws(() => allocateSubnet('10.244.0.0/16', 8, []))
  })
})

describe('parseCIDR', () => {
  it('clears host bits', () => assert.equal(formatCIDR(parseCIDR('10.244.7.9/16')), '10.244.0.0/16'))
  for (const bad of ['10.244.0.0', '10.244.0.0/40', '300.1.1.1/8', 'x/8'])
    it(`rejects ${bad}`, () => assert.throws(() => parseCIDR(bad)))
})
