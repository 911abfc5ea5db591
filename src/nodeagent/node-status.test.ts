/**
 * computeNodeStatus and initialNode, table-driven: upstream's condition reasons and messages,
 * Ready last, NotReady while the network has no podCIDR, transition times, allocatable, and the
 * heartbeat-insensitive change check.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Node } from '../api/core.js'
import {
  computeAllocatable,
  computeNodeStatus,
  initialNode,
  isNodeStatusChanged,
  type NodeFacts,
  podCIDRCapacity,
} from './node-status.js'

const T0 = Date.parse('2024-05-01T12:00:00Z')
const iso = (s: number) => new Date(T0 + s * 1000).toISOString().replace('.000Z', 'Z')

const facts: NodeFacts = {
  name: 'node-1',
  capacity: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' },
  addresses: [
    { type: 'InternalIP', address: '172.18.0.2' },
    { type: 'Hostname', address: 'node-1' },
  ],
  nodeInfo: {
    kubeletVersion: 'v1.32.0+petset',
    containerRuntimeVersion: 'simulated://petset',
    operatingSystem: 'linux',
    architecture: 'arm64',
  },
  kubeletPort: 10250,
}
const healthy = { runtimeReady: true, networkReady: true }
const noNetwork = {
  runtimeReady: true,
  networkReady: false,
  networkMessage:
    'NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
}

const rows = (node: Node, health = healthy, s = 0) => computeNodeStatus({ node, facts, health, now: T0 + s * 1000 })

describe('computeNodeStatus', () => {
  it('reports the four kubelet conditions with upstream reasons, Ready last', () => {
    const { status, events } = rows(initialNode(facts))
    assert.deepEqual(
      status.conditions?.map(c => [c.type, c.status, c.reason, c.message]),
      [
        ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
        ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
      ],
    )
    assert.deepEqual(events, ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID', 'NodeReady'])
    assert.deepEqual(status.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } })
    assert.deepEqual(status.addresses, facts.addresses)
    assert.equal(status.nodeInfo?.kubeletVersion, 'v1.32.0+petset')
    assert.deepEqual(status.allocatable, {
      cpu: '4',
      memory: '8286208Ki',
      pods: '110',
      'ephemeral-storage': String(Math.floor(100 * 2 ** 30 * 0.9)),
    })
  })

  it('is NotReady with the kubelet message while the network has no podCIDR', () => {
    const ready = rows(initialNode(facts), noNetwork).status.conditions?.find(c => c.type === 'Ready')
    assert.deepEqual(
      [ready?.status, ready?.reason, ready?.message],
      [
        'False',
        'KubeletNotReady',
        'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
      ],
    )
  })

  it('keeps transition times while conditions hold, and moves heartbeats', () => {
    const node = initialNode(facts)
    const first = rows(node, noNetwork, 0)
    const second = rows({ ...node, status: first.status }, noNetwork, 10)
    const third = rows({ ...node, status: second.status }, healthy, 20)
    const ready = (s: typeof first) => s.status.conditions?.find(c => c.type === 'Ready')
    assert.deepEqual([ready(second)?.lastTransitionTime, ready(second)?.lastHeartbeatTime], [iso(0), iso(10)])
    assert.deepEqual([ready(third)?.lastTransitionTime, third.events], [iso(20), ['NodeReady']])
    assert.equal(isNodeStatusChanged({ ...node, status: first.status }, second.status), false)
    assert.equal(isNodeStatusChanged({ ...node, status: second.status }, third.status), true)
  })

  it('keeps conditions other components own', () => {
    const node = initialNode(facts)
    node.status = { conditions: [{ type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated' }] }
    assert.deepEqual(
      rows(node).status.conditions?.map(c => c.type),
      ['NetworkUnavailable', 'MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'],
    )
  })
})

describe('initialNode', () => {
  it('labels the node with hostname, os and arch', () => {
    assert.deepEqual(initialNode(facts, { zone: 'a' }).metadata.labels, {
      'beta.kubernetes.io/arch': 'arm64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'arm64',
      'kubernetes.io/hostname': 'node-1',
      'kubernetes.io/os': 'linux',
      zone: 'a',
    })
  })
})

describe('computeAllocatable', () => {
  it('subtracts the memory eviction threshold and keeps 90% of ephemeral storage', () => {
    assert.deepEqual(computeAllocatable({ memory: '1Gi', 'ephemeral-storage': '10G', cpu: '2' }), {
      memory: '946176Ki',
      'ephemeral-storage': '9000000000',
      cpu: '2',
    })
  })
})

describe('podCIDRCapacity', () => {
  const cases: [string, number | undefined][] = [
    ['10.244.1.0/24', 253],
    ['10.244.4.0/22', 1021],
    ['10.244.1.0/31', undefined],
    ['fd00::/64', undefined],
  ]
  for (const [cidr, want] of cases) it(cidr, () => assert.equal(podCIDRCapacity(cidr), want))
})
