import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Node } from '../../../api/core.js'
import { type FieldError, formatFieldErrors } from '../../../machinery/field-error.js'
import { strategy } from './index.js'

const fmt = (errs: FieldError[]) => (errs.length ? formatFieldErrors(errs) : '')
const node = (extra: Partial<Node> = {}): Node => ({ metadata: { name: 'node-1' }, ...extra })

describe('nodes strategy', () => {
  it('validates taints and pod CIDRs', () => {
    const cases: { name: string; in: Node; want: string }[] = [
      {
        name: 'ok',
        in: node({ spec: { podCIDRs: ['10.244.1.0/24'], taints: [{ key: 'a', effect: 'NoSchedule' }] } }),
        want: '',
      },
      {
        name: 'no effect',
        in: node({ spec: { taints: [{ key: 'a', effect: '' }] } }),
        want: 'metadata.taints[0].effect: Required value',
      },
      {
        name: 'bad effect',
        in: node({ spec: { taints: [{ key: 'a', effect: 'NoRun' }] } }),
        want: 'metadata.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      },
      {
        name: 'duplicate taint',
        in: node({
          spec: {
            taints: [
              { key: 'a', effect: 'NoSchedule' },
              { key: 'a', value: 'x', effect: 'NoSchedule' },
            ],
          },
        }),
        want: 'metadata.taints[1]: Duplicate value: core.Taint{Key:"a", Value:"x", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair',
      },
      {
        name: 'bad CIDR',
        in: node({ spec: { podCIDRs: ['10.244.1.0'] } }),
        want: 'spec.podCIDRs[0]: Invalid value: "10.244.1.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      },
      {
        name: 'negative capacity',
        in: node({ status: { capacity: { cpu: '-1' } } }),
        want: 'status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0',
      },
    ]
    for (const c of cases) assert.equal(fmt(strategy.validate!(c.in)), c.want, c.name)
  })

  it('lets podCIDR be set once', () => {
    const unset = node({ spec: {} })
    const set = node({ spec: { podCIDR: '10.244.1.0/24' } })
    strategy.defaults!(set)
    assert.deepEqual(set.spec?.podCIDRs, ['10.244.1.0/24'])
    assert.equal(fmt(strategy.validateUpdate!(set, unset)), '')
    const moved = node({ spec: { podCIDRs: ['10.244.2.0/24'] } })
    assert.equal(
      fmt(strategy.validateUpdate!(moved, set)),
      'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
    )
    const cordoned = structuredClone(set)
    cordoned.spec!.unschedulable = true
    assert.equal(fmt(strategy.validateUpdate!(cordoned, set)), '')
    assert.deepEqual(strategy.fieldLabels!(cordoned), { 'spec.unschedulable': 'true' })
    assert.deepEqual(strategy.fieldLabels!(set), { 'spec.unschedulable': 'false' })
  })

  it('prints status, roles and node info', () => {
    const now = Date.parse('2025-01-02T00:00:00Z')
    const ready = node({
      metadata: {
        name: 'node-1',
        creationTimestamp: '2025-01-01T00:00:00Z',
        labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'master' },
      },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '192.168.1.10' }],
        nodeInfo: {
          kubeletVersion: 'v1.32.0',
          osImage: 'Ubuntu 24.04',
          kernelVersion: '6.8.0',
          containerRuntimeVersion: 'petset://0.1.0',
        },
      },
    })
    const cases: { name: string; in: Node; want: unknown[] }[] = [
      {
        name: 'ready control plane',
        in: ready,
        want: [
          'node-1',
          'Ready',
          'control-plane,master',
          '24h',
          'v1.32.0',
          '192.168.1.10',
          '<none>',
          'Ubuntu 24.04',
          '6.8.0',
          'petset://0.1.0',
        ],
      },
      {
        name: 'cordoned not ready',
        in: {
          ...structuredClone(ready),
          spec: { unschedulable: true },
          status: { conditions: [{ type: 'Ready', status: 'Unknown' }] },
        },
        want: [
          'node-1',
          'NotReady,SchedulingDisabled',
          'control-plane,master',
          '24h',
          '',
          '<none>',
          '<none>',
          '<unknown>',
          '<unknown>',
          '<unknown>',
        ],
      },
      {
        name: 'no conditions',
        in: node({ metadata: { name: 'n', creationTimestamp: '2025-01-01T00:00:00Z' } }),
        want: ['n', 'Unknown', '<none>', '24h', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
      },
    ]
    for (const c of cases) assert.deepEqual(strategy.printer!.cells(c.in, now), c.want, c.name)
    assert.deepEqual(
      strategy.printer!.columns.filter(c => c.priority === 1).map(c => c.name),
      ['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime'],
    )
  })
})
