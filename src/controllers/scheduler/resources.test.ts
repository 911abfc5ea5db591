/** Pod requests (sidecars and init containers) and the scheduler cache's per-node accounting. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Pod } from '../../api/pod.js'
import { SchedulerCache } from './cache.js'
import { nodeAllocatable, nonZeroRequests, podRequests } from './resources.js'
import { makeNode, makePod } from './testing.js'

const c = (name: string, cpu: string, restartPolicy?: string) => ({
  name,
  resources: { requests: { cpu } },
  restartPolicy,
})

describe('podRequests', () => {
  const cases: { name: string; spec: Pod['spec']; want: number }[] = [
    { name: 'sum of containers', spec: { containers: [c('a', '100m'), c('b', '200m')] }, want: 300 },
    {
      name: 'a bigger init container wins',
      spec: { containers: [c('a', '100m')], initContainers: [c('i', '1')] },
      want: 1000,
    },
    {
      name: 'sidecars add to the containers and to later init steps',
      spec: { containers: [c('a', '100m')], initContainers: [c('s', '200m', 'Always'), c('i', '500m')] },
      want: 700,
    },
  ]
  for (const t of cases) it(t.name, () => assert.equal(podRequests({ metadata: {}, spec: t.spec }).milliCPU, t.want))

  it('fills scoring defaults for containers without requests', () => {
    const r = nonZeroRequests(makePod('p'))
    assert.deepEqual([r.milliCPU, r.memory], [100, 200 * 1024 * 1024])
  })

  it('reads allocatable, falling back to capacity', () => {
    const n = makeNode('a', { cpu: '1500m', pods: '3' })
    assert.deepEqual([nodeAllocatable(n).milliCPU, nodeAllocatable(n).pods], [1500, 3])
    n.status = { capacity: { cpu: '2', pods: '5' } }
    assert.deepEqual([nodeAllocatable(n).milliCPU, nodeAllocatable(n).pods], [2000, 5])
  })
})

describe('SchedulerCache', () => {
  it('counts, moves and releases pods idempotently', () => {
    const cache = new SchedulerCache()
    const p = makePod('p', { cpu: '1', owner: 'o' })
    cache.add(p, 'a')
    cache.add(p, 'a')
    assert.deepEqual(
      [cache.usageOf('a').pods, cache.usageOf('a').requested.milliCPU, cache.usageOf('a').owners.get('o')],
      [1, 1000, 1],
    )
    cache.observe({ ...p, spec: { ...p.spec, nodeName: 'b' } })
    assert.deepEqual([cache.usageOf('a').pods, cache.usageOf('b').pods, cache.nodeOf('uid-p')], [0, 1, 'b'])
    cache.observe({ ...p, spec: { ...p.spec, nodeName: 'b' }, status: { phase: 'Succeeded' } })
    assert.deepEqual(
      [cache.usageOf('b').pods, cache.usageOf('b').owners.size, cache.nodeOf('uid-p')],
      [0, 0, undefined],
    )
  })
})
