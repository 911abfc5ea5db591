/** Pods table printer tests: Ready/Status/Restarts per upstream's algorithm, wide cells, row conditions. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ContainerStatus, Pod } from '../../../api/pod.js'
import { podPrinter } from './printer.js'

const now = Date.parse('2025-01-01T01:00:00Z')

function pod(mutate: (p: Pod) => void = () => {}): Pod {
  const p: Pod = {
    metadata: { name: 'web-0', namespace: 'default', creationTimestamp: '2025-01-01T00:55:48Z' },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.9.1' }] },
    status: { phase: 'Pending' },
  }
  mutate(p)
  return p
}

const running = (ready = true, restartCount = 0): ContainerStatus => ({
  name: 'nginx',
  ready,
  restartCount,
  image: 'nginx:1.9.1',
  imageID: '',
  state: { running: { startedAt: '2025-01-01T00:56:00Z' } },
})
const waiting = (reason: string, restartCount = 0): ContainerStatus => ({
  name: 'nginx',
  ready: false,
  restartCount,
  image: 'nginx:1.9.1',
  imageID: '',
  state: { waiting: { reason } },
})

/** [ready, status, restarts] of the row. */
const summary = (p: Pod) => podPrinter.cells(p, now).slice(1, 4)

const cases: { name: string; pod: Pod; want: unknown[] }[] = [
  { name: 'Pending, nothing reported yet', pod: pod(), want: ['0/1', 'Pending', '0'] },
  {
    name: 'ContainerCreating',
    pod: pod(p => {
      p.status!.containerStatuses = [waiting('ContainerCreating')]
    }),
    want: ['0/1', 'ContainerCreating', '0'],
  },
  {
    name: 'Running and ready',
    pod: pod(p => {
      p.status = { phase: 'Running', containerStatuses: [running()] }
    }),
    want: ['1/1', 'Running', '0'],
  },
  {
    name: 'CrashLoopBackOff with restarts and the last restart age',
    pod: pod(p => {
      const cs = waiting('CrashLoopBackOff', 5)
      cs.lastState = { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2025-01-01T00:55:00Z' } }
      p.status = { phase: 'Running', containerStatuses: [cs] }
    }),
    want: ['0/1', 'CrashLoopBackOff', '5 (5m ago)'],
  },
  {
    name: 'restarts without a known termination time',
    pod: pod(p => {
      p.status = { phase: 'Running', containerStatuses: [running(true, 2)] }
    }),
    want: ['1/1', 'Running', '2'],
  },
  {
    name: 'Init:0/1 while the init container runs',
    pod: pod(p => {
      p.spec.initContainers = [{ name: 'init', image: 'busybox' }]
      p.status!.initContainerStatuses = [{ ...running(false), name: 'init' }]
      p.status!.containerStatuses = [waiting('PodInitializing')]
    }),
    want: ['0/1', 'Init:0/1', '0'],
  },
  {
    name: 'Init:CrashLoopBackOff',
    pod: pod(p => {
      p.spec.initContainers = [{ name: 'init', image: 'busybox' }]
      p.status!.initContainerStatuses = [{ ...waiting('CrashLoopBackOff', 3), name: 'init' }]
    }),
    want: ['0/1', 'Init:CrashLoopBackOff', '3'],
  },
  {
    name: 'Init:ExitCode when the reason is empty',
    pod: pod(p => {
      p.spec.initContainers = [{ name: 'init', image: 'busybox' }]
      p.status!.initContainerStatuses = [{ ...waiting(''), name: 'init', state: { terminated: { exitCode: 2 } } }]
    }),
    want: ['0/1', 'Init:ExitCode:2', '0'],
  },
  {
    name: 'a done init container lets the main containers speak',
    pod: pod(p => {
      p.spec.initContainers = [{ name: 'init', image: 'busybox' }]
      p.status = {
        phase: 'Running',
        initContainerStatuses: [
          { ...waiting(''), name: 'init', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        ],
        containerStatuses: [running()],
      }
    }),
    want: ['1/1', 'Running', '0'],
  },
  {
    name: 'a started sidecar counts towards Ready and total',
    pod: pod(p => {
      p.spec.initContainers = [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }]
      p.status = {
        phase: 'Running',
        initContainerStatuses: [{ ...running(), name: 'proxy', started: true }],
        containerStatuses: [running()],
      }
    }),
    want: ['2/2', 'Running', '0'],
  },
  {
    name: 'Terminating',
    pod: pod(p => {
      p.metadata.deletionTimestamp = '2025-01-01T00:59:00Z'
      p.status = { phase: 'Running', containerStatuses: [running()] }
    }),
    want: ['1/1', 'Terminating', '0'],
  },
  {
    name: 'Unknown on a lost node',
    pod: pod(p => {
      p.metadata.deletionTimestamp = '2025-01-01T00:59:00Z'
      p.status = { phase: 'Running', reason: 'NodeLost', containerStatuses: [running()] }
    }),
    want: ['1/1', 'Unknown', '0'],
  },
  {
    name: 'Completed (and not Terminating once finished)',
    pod: pod(p => {
      p.metadata.deletionTimestamp = '2025-01-01T00:59:00Z'
      p.status = {
        phase: 'Succeeded',
        containerStatuses: [{ ...running(false), state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
      }
    }),
    want: ['0/1', 'Completed', '0'],
  },
  {
    name: 'Completed but another container still runs: NotReady',
    pod: pod(p => {
      p.spec.containers.push({ name: 'side', image: 'x' })
      p.status = {
        phase: 'Running',
        containerStatuses: [
          running(),
          { ...running(false), name: 'side', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        ],
      }
    }),
    want: ['1/2', 'NotReady', '0'],
  },
  {
    name: 'Error with Signal when no reason',
    pod: pod(p => {
      p.status = {
        phase: 'Failed',
        containerStatuses: [{ ...running(false), state: { terminated: { exitCode: 137, signal: 9 } } }],
      }
    }),
    want: ['0/1', 'Signal:9', '0'],
  },
  {
    name: 'SchedulingGated',
    pod: pod(p => {
      p.status!.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }]
    }),
    want: ['0/1', 'SchedulingGated', '0'],
  },
  {
    name: 'status.reason wins over the phase',
    pod: pod(p => {
      p.status = { phase: 'Failed', reason: 'Evicted' }
    }),
    want: ['0/1', 'Evicted', '0'],
  },
]

describe('Pods printer', () => {
  for (const c of cases) it(c.name, () => assert.deepEqual(summary(c.pod), c.want))

  it('prints all nine cells, wide ones with <none>', () => {
    assert.deepEqual(podPrinter.cells(pod(), now), [
      'web-0',
      '0/1',
      'Pending',
      '0',
      '4m12s',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
    ])
    const scheduled = pod(p => {
      p.spec.nodeName = 'node-1'
      p.spec.readinessGates = [{ conditionType: 'example.com/ready' }, { conditionType: 'example.com/lb' }]
      p.status = {
        phase: 'Running',
        podIPs: [{ ip: '10.244.0.10' }],
        nominatedNodeName: 'node-2',
        conditions: [{ type: 'example.com/ready', status: 'True' }],
        containerStatuses: [running()],
      }
    })
    assert.deepEqual(podPrinter.cells(scheduled, now).slice(5), ['10.244.0.10', 'node-1', 'node-2', '1/2'])
  })

  it('declares upstream’s columns', () => {
    assert.deepEqual(
      podPrinter.columns.map(c => `${c.name}:${c.priority}`),
      [
        'Name:0',
        'Ready:0',
        'Status:0',
        'Restarts:0',
        'Age:0',
        'IP:1',
        'Node:1',
        'Nominated Node:1',
        'Readiness Gates:1',
      ],
    )
    assert.equal(podPrinter.columns[0]!.format, 'name')
  })

  it('marks finished pods with the Completed row condition', () => {
    assert.equal(podPrinter.conditions!(pod()), undefined)
    assert.deepEqual(
      podPrinter.conditions!(
        pod(p => {
          p.status = { phase: 'Succeeded' }
        }),
      ),
      [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }],
    )
    assert.deepEqual(
      podPrinter.conditions!(
        pod(p => {
          p.status = { phase: 'Failed' }
        }),
      ),
      [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }],
    )
  })
})
