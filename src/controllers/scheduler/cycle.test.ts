/**
 * scheduleOne, table-driven over node and pod data: every filter with its upstream reason, the
 * FitError and preemption message shapes, and the scoring order (preferred affinity, taints,
 * spread, least requested, name).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Node } from '../../api/core.js'
import type { Pod } from '../../api/pod.js'
import { SchedulerCache } from './cache.js'
import { scheduleOne } from './cycle.js'
import { makeNode, makePod } from './testing.js'

const notHelpful = (n: number) =>
  `preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`

function run(pod: Pod, nodes: Node[], placed: [Pod, string][] = []) {
  const cache = new SchedulerCache()
  for (const [p, n] of placed) cache.add(p, n)
  const r = scheduleOne({ pod, nodes, usageOf: n => cache.usageOf(n) })
  return 'node' in r ? r.node : r.failure.message
}

describe('scheduleOne: filters and messages', () => {
  const three = [makeNode('node-1'), makeNode('node-2'), makeNode('node-3')]
  const cases: { name: string; pod: Pod; nodes: Node[]; placed?: [Pod, string][]; want: string }[] = [
    { name: 'no nodes at all', pod: makePod('p'), nodes: [], want: 'no nodes available to schedule pods' },
    {
      name: 'nodeSelector nobody matches',
      pod: makePod('p', { spec: { nodeSelector: { disk: 'ssd' } } }),
      nodes: three,
      want: `0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. ${notHelpful(3)}`,
    },
    {
      name: 'nodeSelector one node matches',
      pod: makePod('p', { spec: { nodeSelector: { disk: 'ssd' } } }),
      nodes: [makeNode('node-1'), makeNode('node-2', { labels: { disk: 'ssd' } })],
      want: 'node-2',
    },
    {
      name: 'required affinity: In, NotIn, Exists, Gt and matchFields',
      pod: makePod('p', {
        spec: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  {
                    matchExpressions: [
                      { key: 'zone', operator: 'In', values: ['b'] },
                      { key: 'gpu', operator: 'DoesNotExist' },
                    ],
                  },
                  { matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] },
                  { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-9'] }] },
                ],
              },
            },
          },
        },
      }),
      nodes: [
        makeNode('node-1', { labels: { zone: 'a' } }),
        makeNode('node-2', { labels: { zone: 'b', gpu: 'yes' } }),
        makeNode('node-3', { labels: { cores: '16' } }),
      ],
      want: 'node-3',
    },
    {
      name: 'an empty term matches nothing',
      pod: makePod('p', {
        spec: {
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } } },
        },
      }),
      nodes: [makeNode('node-1')],
      want: `0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. ${notHelpful(1)}`,
    },
    {
      name: 'NoSchedule taints need a toleration',
      pod: makePod('p'),
      nodes: [
        makeNode('cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
        makeNode('gpu', { taints: [{ key: 'gpu', value: 'true', effect: 'NoExecute' }] }),
      ],
      want:
        '0/2 nodes are available: 1 node(s) had untolerated taint {gpu: true}, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. ' +
        notHelpful(2),
    },
    {
      name: 'a matching toleration lets the pod in',
      pod: makePod('p', {
        spec: { tolerations: [{ key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoExecute' }] },
      }),
      nodes: [makeNode('gpu', { taints: [{ key: 'gpu', value: 'true', effect: 'NoExecute' }] })],
      want: 'gpu',
    },
    {
      name: 'NotReady and unreachable nodes carry their condition taints',
      pod: makePod('p'),
      nodes: [makeNode('a', { ready: 'False' }), makeNode('b', { ready: 'Unknown' })],
      want:
        '0/2 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. ' +
        notHelpful(2),
    },
    {
      name: 'a cordoned node',
      pod: makePod('p'),
      nodes: [makeNode('a', { unschedulable: true })],
      want: `0/1 nodes are available: 1 node(s) were unschedulable. ${notHelpful(1)}`,
    },
    {
      name: 'resources: cpu, memory and pod count; preemption finds no victims',
      pod: makePod('p', { cpu: '3', memory: '6Gi' }),
      nodes: [makeNode('a', { cpu: '2' }), makeNode('b', { memory: '4Gi' }), makeNode('c', { pods: '1' })],
      placed: [[makePod('x'), 'c']],
      want: '0/3 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 Too many pods. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    },
    {
      name: 'requests of placed pods count',
      pod: makePod('p', { cpu: '2' }),
      nodes: [makeNode('a', { cpu: '3' }), makeNode('b', { cpu: '3' })],
      placed: [[makePod('x', { cpu: '2' }), 'a']],
      want: 'b',
    },
    {
      name: 'mixed reasons and preemptionPolicy Never',
      pod: makePod('p', { cpu: '8', spec: { preemptionPolicy: 'Never' } }),
      nodes: [makeNode('a'), makeNode('b', { unschedulable: true })],
      want: '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable. preemption: not eligible due to preemptionPolicy=Never.',
    },
    {
      name: 'host ports conflict',
      pod: makePod('p', { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }] }] } }),
      nodes: [makeNode('a')],
      placed: [
        [makePod('x', { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }] }] } }), 'a'],
      ],
      want: "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    },
  ]
  for (const c of cases) it(c.name, () => assert.equal(run(c.pod, c.nodes, c.placed), c.want))
})

describe('scheduleOne: scoring', () => {
  it('spreads pods of one owner, then prefers the least requested node, then the name', () => {
    const nodes = [makeNode('node-1'), makeNode('node-2'), makeNode('node-3')]
    const cache = new SchedulerCache()
    const picks: string[] = []
    for (let i = 0; i < 6; i++) {
      const pod = makePod(`web-${i}`, { owner: 'set-uid' })
      const r = scheduleOne({ pod, nodes, usageOf: n => cache.usageOf(n) })
      assert.ok('node' in r)
      cache.add(pod, r.node)
      picks.push(r.node)
    }
    assert.deepEqual(picks, ['node-1', 'node-2', 'node-3', 'node-1', 'node-2', 'node-3'])
  })

  it('prefers less loaded nodes for pods without an owner', () => {
    const nodes = [makeNode('a'), makeNode('b')]
    assert.equal(run(makePod('p'), nodes, [[makePod('x', { cpu: '2' }), 'a']]), 'b')
  })

  it('counts placed pods without requests by the scoring defaults', () => {
    assert.equal(run(makePod('p'), [makeNode('a'), makeNode('b')], [[makePod('x'), 'a']]), 'b')
  })

  it('preferred node affinity outranks spreading', () => {
    const pod = makePod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 10, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] } },
            ],
          },
        },
      },
    })
    assert.equal(
      run(pod, [makeNode('a'), makeNode('b', { labels: { zone: 'b' } })], [[makePod('x', { cpu: '3' }), 'b']]),
      'b',
    )
  })

  it('avoids PreferNoSchedule taints it does not tolerate', () => {
    const nodes = [makeNode('a', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] }), makeNode('b')]
    assert.equal(run(makePod('p'), nodes, [[makePod('x', { cpu: '3' }), 'b']]), 'b')
  })
})
