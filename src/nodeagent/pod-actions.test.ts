/**
 * computePodActions: sandbox first, init containers one at a time, regular containers together,
 * restarts by restartPolicy, the crash-loop back-off wait (10 s, then 20 s ...) and collection
 * of old instances.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Pod } from '../api/pod.js'
import type { BackoffEntry } from './backoff.js'
import { nextBackoff } from './backoff.js'
import { computePodActions, type PodActionsInput } from './pod-actions.js'
import type { PodSandboxStatus, RuntimeContainerStatus } from './runtime/runtime.js'

const sandbox: PodSandboxStatus = {
  id: 'sb',
  uid: 'u1',
  namespace: 'default',
  name: 'web-0',
  state: 'ready',
  ip: '10.244.1.2',
  createdAt: 0,
}

const pod = (opts: { init?: string[]; restartPolicy?: string; containers?: string[] } = {}): Pod => ({
  metadata: { name: 'web-0', namespace: 'default', uid: 'u1' },
  spec: {
    containers: (opts.containers ?? ['app']).map(name => ({ name, image: 'nginx' })),
    initContainers: opts.init?.map(name => ({ name, image: 'busybox' })),
    restartPolicy: opts.restartPolicy,
  },
})

let seq = 0
const ctr = (name: string, state: RuntimeContainerStatus['state'], extra: Partial<RuntimeContainerStatus> = {}) =>
  ({
    id: `c${++seq}`,
    sandboxId: 'sb',
    podUid: 'u1',
    name,
    attempt: 0,
    state,
    image: 'nginx',
    imageRef: 'nginx@sha256:aa',
    createdAt: seq,
    labels: {},
    annotations: {},
    ...(state === 'exited' ? { exitCode: 0, finishedAt: 1_000 } : {}),
    ...extra,
  }) as RuntimeContainerStatus

const plan = (input: Partial<PodActionsInput> & { pod: Pod }) => {
  const a = computePodActions({ sandbox, containers: [], backoff: {}, now: 1_000, ...input })
  return {
    createSandbox: a.createSandbox,
    start: a.start.map(s => `${s.container.name}#${s.attempt}${s.restartOf ? ' restart' : ''}`),
    backoff: Object.fromEntries(Object.entries(a.backoff).map(([k, v]) => [k, v.until])),
  }
}

describe('computePodActions', () => {
  const cases: { name: string; input: Partial<PodActionsInput> & { pod: Pod }; want: ReturnType<typeof plan> }[] = [
    {
      name: 'no sandbox: create one first',
      input: { pod: pod(), sandbox: undefined },
      want: { createSandbox: true, start: [], backoff: {} },
    },
    {
      name: 'a finished Never pod gets no new sandbox',
      input: { pod: pod({ restartPolicy: 'Never' }), sandbox: undefined, containers: [ctr('app', 'exited')] },
      want: { createSandbox: false, start: [], backoff: {} },
    },
    {
      name: 'regular containers start together',
      input: { pod: pod({ containers: ['a', 'b'] }) },
      want: { createSandbox: false, start: ['a#0', 'b#0'], backoff: {} },
    },
    {
      name: 'the first init container starts alone',
      input: { pod: pod({ init: ['i1', 'i2'] }) },
      want: { createSandbox: false, start: ['i1#0'], backoff: {} },
    },
    {
      name: 'a running init container holds the rest',
      input: { pod: pod({ init: ['i1', 'i2'] }), containers: [ctr('i1', 'running')] },
      want: { createSandbox: false, start: [], backoff: {} },
    },
    {
      name: 'after the init containers complete, the regular ones start',
      input: { pod: pod({ init: ['i1', 'i2'] }), containers: [ctr('i1', 'exited'), ctr('i2', 'exited')] },
      want: { createSandbox: false, start: ['app#0'], backoff: {} },
    },
    {
      name: 'a failed init container restarts (Always)',
      input: { pod: pod({ init: ['i1'] }), containers: [ctr('i1', 'exited', { exitCode: 1 })] },
      want: { createSandbox: false, start: ['i1#1 restart'], backoff: {} },
    },
    {
      name: 'a failed init container with Never stops everything',
      input: { pod: pod({ init: ['i1'], restartPolicy: 'Never' }), containers: [ctr('i1', 'exited', { exitCode: 1 })] },
      want: { createSandbox: false, start: [], backoff: {} },
    },
    {
      name: 'Always restarts a container that exited 0',
      input: { pod: pod(), containers: [ctr('app', 'exited')] },
      want: { createSandbox: false, start: ['app#1 restart'], backoff: {} },
    },
    {
      name: 'OnFailure leaves exit 0 alone and restarts failures',
      input: {
        pod: pod({ restartPolicy: 'OnFailure', containers: ['ok', 'bad'] }),
        containers: [ctr('ok', 'exited'), ctr('bad', 'exited', { exitCode: 2 })],
      },
      want: { createSandbox: false, start: ['bad#1 restart'], backoff: {} },
    },
    {
      name: 'Never restarts nothing',
      input: { pod: pod({ restartPolicy: 'Never' }), containers: [ctr('app', 'exited', { exitCode: 2 })] },
      want: { createSandbox: false, start: [], backoff: {} },
    },
    {
      name: 'a container inside its back-off waits until finishedAt + back-off',
      input: {
        pod: pod(),
        containers: [ctr('app', 'exited', { exitCode: 1, attempt: 1, finishedAt: 1_000 })],
        backoff: { app: { backoffMs: 10_000, lastUpdate: 500 } },
        now: 5_000,
      },
      want: { createSandbox: false, start: [], backoff: { app: 11_000 } },
    },
  ]
  for (const c of cases) it(c.name, () => assert.deepEqual(plan(c.input), c.want))

  it('walks a crash loop: restart now, then after 10 s, 20 s and 40 s', () => {
    let backoff: BackoffEntry | undefined
    let now = 0
    let attempt = 0
    let crashedAt = 0 // each new instance crashes the moment it starts
    const restartsAt: number[] = []
    while (restartsAt.length < 4) {
      const crashed = ctr('app', 'exited', { exitCode: 1, attempt, finishedAt: crashedAt })
      const a = computePodActions({ pod: pod(), sandbox, containers: [crashed], backoff: { app: backoff }, now })
      const [start] = a.start
      if (!start) {
        assert.match(
          a.backoff.app?.message ?? '',
          /^back-off \d+s restarting failed container=app pod=web-0_default\(u1\)$/,
        )
        now = a.backoff.app!.until
        continue
      }
      restartsAt.push(now - crashed.finishedAt!)
      backoff = nextBackoff(backoff, start.restartOf!.finishedAt, now)
      attempt = start.attempt
      crashedAt = now
    }
    assert.deepEqual(restartsAt, [0, 10_000, 20_000, 40_000])
  })

  it('collects exited instances beyond the newest two', () => {
    const old = [
      ctr('app', 'exited', { attempt: 0 }),
      ctr('app', 'exited', { attempt: 1 }),
      ctr('app', 'running', { attempt: 2 }),
    ]
    const a = computePodActions({ pod: pod(), sandbox, containers: old, backoff: {}, now: 0 })
    assert.deepEqual(a.remove, [old[0]!.id])
  })
})
