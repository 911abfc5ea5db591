/** Runtime routing by annotation, and the secondary runtimes' half of the podCIDR. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Pod } from '../api/pod.js'
import { probesPassAfterDelay } from './probes/prober.js'
import type { ContainerRuntime } from './runtime/runtime.js'
import { RuntimeSet, secondaryCIDR } from './runtime-set.js'

const entry = (name: string) => ({ runtime: { name } as ContainerRuntime, prober: probesPassAfterDelay })
const pod = (runtime?: string): Pod => ({
  metadata: { name: 'p', annotations: runtime ? { 'petset.dev/runtime': runtime } : {} },
  spec: { containers: [] },
})

describe('RuntimeSet', () => {
  const set = new RuntimeSet(entry('runc'), [entry('simulated'), entry('process'), entry('runc')])
  it('routes by annotation, defaulting to the node runtime', () => {
    assert.equal(set.entries.length, 3)
    const name = (p: Pod) => {
      const e = set.forPod(p)
      return 'error' in e ? e.error : e.runtime.name
    }
    assert.equal(name(pod()), 'runc')
    assert.equal(name(pod('simulated')), 'simulated')
    assert.equal(name(pod(' process ')), 'process')
    assert.equal(
      name(pod('kata')),
      'runtime "kata" (annotation petset.dev/runtime) is not available on this node; it has: runc, simulated, process',
    )
  })
})

describe('secondaryCIDR', () => {
  const cases: [string, string][] = [
    ['10.244.1.0/24', '10.244.1.128/25'],
    ['10.244.0.0/16', '10.244.128.0/17'],
    ['10.0.0.0/31', '10.0.0.0/31'],
    ['fd00::/64', 'fd00::/64'],
  ]
  for (const [cidr, want] of cases) it(`${cidr} → ${want}`, () => assert.equal(secondaryCIDR(cidr), want))
})
