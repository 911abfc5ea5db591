/**
 * planStatefulSet for scaling, table-driven: one decision per case, from a set, its pods and two revisions to
 * the planned actions (statefulset.md §2–§4). No world, no I/O: data in, data out.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { StatefulSetPodNameLabel, type StatefulSetSpec } from '../../api/apps.js'
import { makePod, NOW, newStatefulSet, type PodSpec, planFor, planLines, twoRevisions } from './fixtures.js'
import { planStatefulSet } from './plan.js'

const parallel: Partial<StatefulSetSpec> = { podManagementPolicy: 'Parallel' }
const ready3: PodSpec[] = [
  [0, 'ready'],
  [1, 'ready'],
  [2, 'ready'],
]

describe('planStatefulSet', () => {
  const cases: {
    name: string
    spec?: Partial<StatefulSetSpec>
    pods: PodSpec[]
    replicas?: number
    want: string[]
    waiting?: RegExp
  }[] = [
    {
      name: 'OrderedReady creates web-0 first, and only web-0',
      pods: [],
      want: ['createPod web-0'],
      waiting: /web-0 to be created/,
    },
    {
      name: 'OrderedReady creates web-1 only after web-0 is Running and Ready (Pending)',
      pods: [[0, 'pending']],
      want: [],
      waiting: /web-0 to be Running and Ready/,
    },
    {
      name: 'OrderedReady creates web-1 only after web-0 is Running and Ready (unready)',
      pods: [[0, 'unready']],
      want: [],
      waiting: /web-0 to be Running and Ready/,
    },
    {
      name: 'OrderedReady creates web-1 once web-0 is Running and Ready',
      pods: [[0, 'ready']],
      want: ['createPod web-1'],
    },
    {
      name: 'OrderedReady waits for a terminating pod to go',
      pods: [[0, 'terminating']],
      want: [],
      waiting: /web-0 to terminate/,
    },
    {
      name: 'a missing lower ordinal is created even while a higher one is unhealthy',
      pods: [
        [1, 'unready'],
        [2, 'ready'],
      ],
      want: ['createPod web-0'],
    },
    {
      name: 'a Failed pod is deleted and its slot ends the pass',
      pods: [
        [0, 'failed'],
        [1, 'ready'],
      ],
      want: ['deletePod web-0 (terminal)'],
      waiting: /terminal pod web-0/,
    },
    {
      name: 'a Succeeded pod is replaced too',
      pods: [
        [0, 'ready'],
        [1, 'succeeded'],
      ],
      want: ['deletePod web-1 (terminal)'],
    },
    {
      name: 'Parallel plans every missing pod in one pass',
      spec: parallel,
      pods: [[1, 'unready']],
      want: ['createPod web-0', 'createPod web-2'],
    },
    {
      name: 'Parallel ignores unhealthy pods when scaling',
      spec: parallel,
      pods: [[0, 'pending']],
      want: ['createPod web-1', 'createPod web-2'],
    },
    {
      name: 'OrderedReady scale-down deletes the highest ordinal only',
      pods: [...ready3, [3, 'ready'], [4, 'ready']],
      want: ['deletePod web-4 (scaleDown)'],
    },
    {
      name: 'OrderedReady scale-down waits for the terminating pod',
      pods: [...ready3, [3, 'ready'], [4, 'terminating']],
      want: [],
      waiting: /web-4 to terminate before scale down/,
    },
    {
      name: 'OrderedReady scale-down is blocked by an unhealthy pod in range',
      pods: [
        [0, 'ready'],
        [1, 'unready'],
        [2, 'ready'],
        [3, 'ready'],
      ],
      want: [],
      waiting: /web-1 to be Running and Ready/,
    },
    {
      name: 'OrderedReady scale-down removes the first unhealthy pod',
      pods: [...ready3, [3, 'ready'], [4, 'unready']],
      want: ['deletePod web-4 (scaleDown)'],
    },
    {
      name: 'OrderedReady scale-down halts when two condemned pods are unhealthy',
      pods: [...ready3, [3, 'unready'], [4, 'unready']],
      want: [],
      waiting: /web-3 to be Running and Ready before scale down/,
    },
    {
      name: 'Parallel scale-down deletes all condemned pods at once',
      spec: parallel,
      pods: [...ready3, [3, 'unready'], [4, 'terminating'], [5, 'ready']],
      want: ['deletePod web-5 (scaleDown)', 'deletePod web-3 (scaleDown)'],
    },
    {
      name: 'ordinals.start numbers pods from start',
      spec: { ordinals: { start: 5 } },
      pods: [[5, 'ready']],
      want: ['createPod web-6'],
    },
    {
      name: 'ordinals.start condemns ordinals below start',
      spec: { ordinals: { start: 1 } },
      pods: [
        [0, 'ready'],
        [1, 'ready'],
        [2, 'ready'],
        [3, 'ready'],
      ],
      want: ['deletePod web-0 (scaleDown)'],
    },
  ]
  for (const c of cases) {
    test(c.name, () => {
      const p = planFor(c.spec ?? {}, c.pods, c.replicas)
      assert.deepEqual(planLines(p), c.want)
      if (c.waiting) assert.match(p.waitingFor ?? '', c.waiting)
    })
  }

  test('a set being deleted plans nothing and only reports status', () => {
    const p = planFor({}, [[0, 'ready']], 3, s => (s.metadata.deletionTimestamp = 'x'))
    assert.deepEqual(planLines(p), [])
    assert.equal(p.status.replicas, 1)
  })

  test('identity repair: a pod without its pod-name label gets an update restoring it', () => {
    const set = newStatefulSet('web', 1)
    const revs = twoRevisions(set)
    const pod = makePod(set, revs, [0, 'ready'])
    delete pod.metadata.labels![StatefulSetPodNameLabel]
    const p = planStatefulSet({
      set,
      pods: [pod],
      claims: new Map(),
      currentRevision: revs.new,
      updateRevision: revs.new,
      collisionCount: 0,
      now: NOW,
    })
    const action = p.replicas[0]![0]!
    assert.equal(action.type, 'updatePod')
    assert.equal(action.pod.metadata.labels![StatefulSetPodNameLabel], 'web-0')
    assert.ok(action.type === 'updatePod' && action.changed)
  })

  test('status counts created pods, ready pods and revisions from the cache', () => {
    const p = planFor({}, [
      [0, 'ready', 'old'],
      [1, 'unready'],
      [2, 'terminating', 'old'],
    ])
    assert.deepEqual(
      [
        p.status.replicas,
        p.status.readyReplicas,
        p.status.currentReplicas,
        p.status.updatedReplicas,
        p.status.availableReplicas,
      ],
      [3, 2, 1, 1, 2],
    )
  })
})
