/**
 * planStatefulSet for updates, table-driven: the rolling-update step with and without partition and
 * maxUnavailable, OnDelete, and which revision a new pod gets (statefulset.md §4.3).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { StatefulSetSpec } from '../../api/apps.js'
import { newStatefulSet, type PodSpec, planFor, planLines } from './fixtures.js'
import { getMaxUnavailable } from './plan.js'

const parallel: Partial<StatefulSetSpec> = { podManagementPolicy: 'Parallel' }

describe('planStatefulSet: updates', () => {
  const cases: {
    name: string
    spec?: Partial<StatefulSetSpec>
    pods: PodSpec[]
    want: string[]
    waiting?: RegExp
  }[] = [
    {
      name: 'rolling update deletes the highest outdated pod',
      pods: [
        [0, 'ready', 'old'],
        [1, 'ready', 'old'],
        [2, 'ready', 'old'],
      ],
      want: ['deletePod web-2 (update)'],
    },
    {
      name: 'rolling update waits for the updated pod above to be healthy',
      pods: [
        [0, 'ready', 'old'],
        [1, 'ready', 'old'],
        [2, 'unready'],
      ],
      spec: parallel,
      want: [],
      waiting: /web-2 to update/,
    },
    {
      name: 'rolling update continues below updated, healthy pods',
      pods: [
        [0, 'ready', 'old'],
        [1, 'ready', 'old'],
        [2, 'ready'],
      ],
      want: ['deletePod web-1 (update)'],
    },
    {
      name: 'scaling takes precedence over updates',
      pods: [
        [0, 'ready', 'old'],
        [1, 'ready', 'old'],
      ],
      want: ['createPod web-2'],
    },
    {
      name: 'partition 2 updates only ordinals >= 2',
      spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } },
      pods: [
        [0, 'ready', 'old'],
        [1, 'ready', 'old'],
        [2, 'ready'],
      ],
      want: [],
    },
    {
      name: 'OnDelete never deletes for an update',
      spec: { updateStrategy: { type: 'OnDelete' } },
      pods: [
        [0, 'ready', 'old'],
        [1, 'ready', 'old'],
        [2, 'ready', 'old'],
      ],
      want: [],
    },
    {
      name: 'maxUnavailable 2 deletes two outdated pods, highest first',
      spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 2 } } },
      pods: [
        [0, 'ready', 'old'],
        [1, 'ready', 'old'],
        [2, 'ready', 'old'],
      ],
      want: ['deletePod web-2 (update)', 'deletePod web-1 (update)'],
    },
    {
      name: 'maxUnavailable counts unhealthy pods against the budget',
      spec: {
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 2 } },
      },
      pods: [
        [0, 'unready', 'old'],
        [1, 'ready', 'old'],
        [2, 'ready', 'old'],
      ],
      want: ['deletePod web-2 (update)'],
    },
    {
      name: 'maxUnavailable waits when the budget is used up',
      spec: {
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 2 } },
      },
      pods: [
        [0, 'unready', 'old'],
        [1, 'ready', 'old'],
        [2, 'pending'],
      ],
      want: [],
      waiting: /2 unavailable pods/,
    },
  ]
  for (const c of cases) {
    test(c.name, () => {
      const p = planFor(c.spec ?? {}, c.pods)
      assert.deepEqual(planLines(p), c.want)
      if (c.waiting) assert.match(p.waitingFor ?? '', c.waiting)
    })
  }

  test('a new pod below the partition is created at the current revision', () => {
    const p = planFor({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }, [], 3)
    const created = p.replicas[0]![0]!
    assert.equal(created.pod.spec.containers[0]!.image, 'nginx:old')
  })
})

describe('getMaxUnavailable', () => {
  const cases: [value: number | string | undefined, replicas: number, want: number][] = [
    [undefined, 5, 1],
    [3, 5, 3],
    ['50%', 5, 2],
    ['10%', 5, 1],
    ['100%', 7, 7],
  ]
  for (const [value, replicas, want] of cases) {
    test(`${value} of ${replicas} replicas → ${want}`, () => {
      const set = newStatefulSet('web', replicas, {
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: value } },
      })
      assert.equal(getMaxUnavailable(set), want)
    })
  }
})
