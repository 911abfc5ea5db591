/**
 * planStatefulSet, table-driven: one decision per case, from a set, its pods and two revisions to
 * the planned actions (statefulset.md §2–§4). No world, no I/O: data in, data out.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { ControllerRevision, StatefulSet, StatefulSetSpec } from '../../api/apps.js'
import { StatefulSetPodNameLabel } from '../../api/apps.js'
import type { Pod } from '../../api/pod.js'
import { newStatefulSet } from './fake-pod-control.js'
import { getMaxUnavailable, type Plan, planStatefulSet } from './plan.js'
import { newVersionedStatefulSetPod } from './pods.js'
import { newRevision } from './revisions.js'

type State = 'pending' | 'ready' | 'unready' | 'terminating' | 'failed' | 'succeeded'
type PodSpec = [ordinal: number, state: State, revision?: 'old' | 'new']

const NOW = Date.parse('2024-05-01T10:00:00Z')

/** A set whose template changed once: revision 1 (old) and revision 2 (new, the live template). */
function revisions(set: StatefulSet): { old: ControllerRevision; new: ControllerRevision } {
  const oldSet = structuredClone(set)
  oldSet.spec.template.spec.containers[0]!.image = 'nginx:old'
  return { old: newRevision(oldSet, 1, 0), new: newRevision(set, 2, 0) }
}

function makePod(set: StatefulSet, revs: ReturnType<typeof revisions>, [ordinal, state, rev = 'new']: PodSpec): Pod {
  const names = { current: revs.old.metadata.name!, update: revs.new.metadata.name! }
  const strategy = { type: 'RollingUpdate', rollingUpdate: { partition: rev === 'old' ? 1e9 : 0 } }
  const forPod = { ...set, spec: { ...set.spec, updateStrategy: strategy } }
  const pod = newVersionedStatefulSetPod(forPod, forPod, names, ordinal)
  pod.metadata.uid = `uid-${ordinal}`
  const phase = { pending: 'Pending', failed: 'Failed', succeeded: 'Succeeded' }[state as string] ?? 'Running'
  const ready = state === 'ready' || state === 'terminating' ? 'True' : 'False'
  pod.status = {
    phase,
    conditions: [{ type: 'Ready', status: ready, lastTransitionTime: new Date(NOW - 60_000).toISOString() }],
  }
  if (state === 'terminating') pod.metadata.deletionTimestamp = new Date(NOW).toISOString()
  return pod
}

function plan(spec: Partial<StatefulSetSpec>, pods: PodSpec[], replicas = 3, mutate?: (s: StatefulSet) => void): Plan {
  const set = newStatefulSet('web', replicas, spec)
  mutate?.(set)
  const revs = revisions(set)
  return planStatefulSet({
    set,
    pods: pods.map(p => makePod(set, revs, p)),
    claims: new Map(),
    currentRevision: revs.old,
    updateRevision: revs.new,
    collisionCount: 0,
    now: NOW,
  })
}

/** The plan as lines: `create web-0`, `delete web-3 (scaleDown)`, … in execution order. */
function lines(p: Plan): string[] {
  const all = [...p.replicas, ...p.condemnedClaims, ...p.condemned, p.update].flat()
  return all.map(a => `${a.type} ${a.pod.metadata.name}${a.type === 'deletePod' ? ` (${a.reason})` : ''}`)
}

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
      const p = plan(c.spec ?? {}, c.pods, c.replicas)
      assert.deepEqual(lines(p), c.want)
      if (c.waiting) assert.match(p.waitingFor ?? '', c.waiting)
    })
  }

  test('a set being deleted plans nothing and only reports status', () => {
    const p = plan({}, [[0, 'ready']], 3, s => (s.metadata.deletionTimestamp = 'x'))
    assert.deepEqual(lines(p), [])
    assert.equal(p.status.replicas, 1)
  })

  test('identity repair: a pod without its pod-name label gets an update restoring it', () => {
    const set = newStatefulSet('web', 1)
    const revs = revisions(set)
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

  test('a new pod below the partition is created at the current revision', () => {
    const p = plan({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }, [], 3)
    const created = p.replicas[0]![0]!
    assert.equal(created.pod.spec.containers[0]!.image, 'nginx:old')
  })

  test('status counts created pods, ready pods and revisions from the cache', () => {
    const p = plan({}, [
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
