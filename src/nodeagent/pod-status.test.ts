/**
 * computePodStatus, table-driven: the kubelet's phases, container states, conditions (with
 * upstream reasons and messages), IPs and transition times for each stage of a pod's life.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Container, Pod, PodStatus } from '../api/pod.js'
import { computePodStatus, isPodStatusChanged, type PodStatusInput } from './pod-status.js'
import type { PodSandboxStatus, RuntimeContainerStatus } from './runtime/runtime.js'

const T0 = Date.parse('2024-05-01T12:00:00Z')
const at = (s: number) => T0 + s * 1000
const iso = (s: number) => new Date(at(s)).toISOString().replace('.000Z', 'Z')

function pod(spec: { containers?: string[]; init?: (string | Container)[]; restartPolicy?: string } = {}): Pod {
  return {
    metadata: { name: 'web-0', namespace: 'default', uid: 'u1' },
    spec: {
      containers: (spec.containers ?? ['app']).map(name => ({ name, image: 'nginx' })),
      initContainers: spec.init?.map(c => (typeof c === 'string' ? { name: c, image: 'busybox' } : c)),
      restartPolicy: spec.restartPolicy,
      nodeName: 'node-1',
    },
    status: {
      phase: 'Pending',
      qosClass: 'BestEffort',
      conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: iso(-5) }],
    },
  }
}

const sandbox: PodSandboxStatus = {
  id: 'sb',
  uid: 'u1',
  namespace: 'default',
  name: 'web-0',
  state: 'ready',
  ip: '10.244.1.2',
  createdAt: at(0),
}

let seq = 0
function ctr(name: string, state: RuntimeContainerStatus['state'], extra: Partial<RuntimeContainerStatus> = {}) {
  const c: RuntimeContainerStatus = {
    id: `c${++seq}`,
    sandboxId: 'sb',
    podUid: 'u1',
    name,
    attempt: 0,
    state,
    image: 'docker.io/library/nginx:latest',
    imageRef: 'docker.io/library/nginx@sha256:aa',
    createdAt: at(1),
    labels: {},
    annotations: {},
  }
  if (state !== 'created') c.startedAt = at(2)
  if (state === 'exited') Object.assign(c, { finishedAt: at(3), exitCode: 0, reason: 'Completed' })
  return Object.assign(c, extra)
}

function status(over: Partial<PodStatusInput> & { pod: Pod }): PodStatus {
  return computePodStatus({
    containers: [],
    readiness: {},
    waiting: {},
    runtimeName: 'simulated',
    hostIPs: ['172.18.0.2'],
    now: at(10),
    ...over,
  })
}

const summary = (s: PodStatus) => ({
  phase: s.phase,
  conditions: Object.fromEntries(
    (s.conditions ?? []).map(c => [c.type, [c.status, c.reason, c.message].filter(Boolean).join(' | ')]),
  ),
  states: Object.fromEntries(
    [...(s.initContainerStatuses ?? []), ...(s.containerStatuses ?? [])].map(c => {
      const [kind, detail] = Object.entries(c.state ?? {})[0] ?? ['none', {}]
      const d = detail as { reason?: string; exitCode?: number }
      return [c.name, `${kind}${d.reason ? `:${d.reason}` : ''}${c.ready ? ' ready' : ''}`]
    }),
  ),
})

interface Case {
  name: string
  input: Partial<PodStatusInput> & { pod: Pod }
  phase: string
  conditions: Record<string, string>
  states: Record<string, string>
}

const notReady = (names: string) => `False | ContainersNotReady | containers with unready status: [${names}]`
const cases: Case[] = [
  {
    name: 'a new pod waits in ContainerCreating',
    input: { pod: pod() },
    phase: 'Pending',
    conditions: {
      PodReadyToStartContainers: 'False',
      Initialized: 'True',
      Ready: notReady('app'),
      ContainersReady: notReady('app'),
      PodScheduled: 'True',
    },
    states: { app: 'waiting:ContainerCreating' },
  },
  {
    name: 'a running, ready container makes the pod Running and Ready',
    input: {
      pod: pod(),
      sandbox,
      containers: [ctr('app', 'running')],
      readiness: { app: { ready: true, started: true } },
    },
    phase: 'Running',
    conditions: {
      PodReadyToStartContainers: 'True',
      Initialized: 'True',
      Ready: 'True',
      ContainersReady: 'True',
      PodScheduled: 'True',
    },
    states: { app: 'running ready' },
  },
  {
    name: 'a running container the prober calls unready keeps the pod not Ready',
    input: {
      pod: pod(),
      sandbox,
      containers: [ctr('app', 'running')],
      readiness: { app: { ready: false, started: true } },
    },
    phase: 'Running',
    conditions: {
      PodReadyToStartContainers: 'True',
      Initialized: 'True',
      Ready: notReady('app'),
      ContainersReady: notReady('app'),
      PodScheduled: 'True',
    },
    states: { app: 'running' },
  },
  {
    name: 'init containers run first; regular ones wait in PodInitializing',
    input: { pod: pod({ init: ['init-a', 'init-b'] }), sandbox, containers: [ctr('init-a', 'running')] },
    phase: 'Pending',
    conditions: {
      PodReadyToStartContainers: 'True',
      Initialized: 'False | ContainersNotInitialized | containers with incomplete status: [init-a init-b]',
      Ready: notReady('app'),
      ContainersReady: notReady('app'),
      PodScheduled: 'True',
    },
    states: { 'init-a': 'running', 'init-b': 'waiting:PodInitializing', app: 'waiting:PodInitializing' },
  },
  {
    name: 'completed init containers are ready and the pod is Initialized',
    input: {
      pod: pod({ init: ['init-a'] }),
      sandbox,
      containers: [ctr('init-a', 'exited'), ctr('app', 'running', { createdAt: at(4) })],
      readiness: { app: { ready: true, started: true } },
    },
    phase: 'Running',
    conditions: {
      PodReadyToStartContainers: 'True',
      Initialized: 'True',
      Ready: 'True',
      ContainersReady: 'True',
      PodScheduled: 'True',
    },
    states: { 'init-a': 'terminated:Completed ready', app: 'running ready' },
  },
  {
    name: 'a crashed container in back-off waits in CrashLoopBackOff; the pod stays Running',
    input: {
      pod: pod(),
      sandbox,
      containers: [ctr('app', 'exited', { exitCode: 1, reason: 'Error', attempt: 1 })],
      waiting: { app: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=app' } },
    },
    phase: 'Running',
    conditions: {
      PodReadyToStartContainers: 'True',
      Initialized: 'True',
      Ready: notReady('app'),
      ContainersReady: notReady('app'),
      PodScheduled: 'True',
    },
    states: { app: 'waiting:CrashLoopBackOff' },
  },
  {
    name: 'restartPolicy Never and exit 0: Succeeded',
    input: { pod: pod({ restartPolicy: 'Never' }), sandbox, containers: [ctr('app', 'exited')] },
    phase: 'Succeeded',
    conditions: {
      PodReadyToStartContainers: 'True',
      Initialized: 'True | PodCompleted',
      Ready: 'False | PodCompleted',
      ContainersReady: 'False | PodCompleted',
      PodScheduled: 'True',
    },
    states: { app: 'terminated:Completed' },
  },
  {
    name: 'restartPolicy Never and a failure: Failed',
    input: {
      pod: pod({ restartPolicy: 'Never', containers: ['a', 'b'] }),
      sandbox,
      containers: [ctr('a', 'exited'), ctr('b', 'exited', { exitCode: 2, reason: 'Error' })],
    },
    phase: 'Failed',
    conditions: {
      PodReadyToStartContainers: 'True',
      Initialized: 'True',
      Ready: 'False | PodFailed',
      ContainersReady: 'False | PodFailed',
      PodScheduled: 'True',
    },
    states: { a: 'terminated:Completed', b: 'terminated:Error' },
  },
  {
    name: 'restartPolicy OnFailure and exit 0: Succeeded',
    input: { pod: pod({ restartPolicy: 'OnFailure' }), sandbox, containers: [ctr('app', 'exited')] },
    phase: 'Succeeded',
    conditions: {
      PodReadyToStartContainers: 'True',
      Initialized: 'True | PodCompleted',
      Ready: 'False | PodCompleted',
      ContainersReady: 'False | PodCompleted',
      PodScheduled: 'True',
    },
    states: { app: 'terminated:Completed' },
  },
  {
    name: 'a failed init container with restartPolicy Never fails the pod',
    input: {
      pod: pod({ init: ['init-a'], restartPolicy: 'Never' }),
      sandbox,
      containers: [ctr('init-a', 'exited', { exitCode: 1, reason: 'Error' })],
    },
    phase: 'Failed',
    conditions: {
      PodReadyToStartContainers: 'True',
      Initialized: 'False | ContainersNotInitialized | containers with incomplete status: [init-a]',
      Ready: 'False | PodFailed',
      ContainersReady: 'False | PodFailed',
      PodScheduled: 'True',
    },
    states: { 'init-a': 'terminated:Error', app: 'waiting:PodInitializing' },
  },
  {
    name: 'a deleted restartPolicy Always pod whose containers stopped cleanly ends Succeeded',
    input: {
      pod: pod(),
      sandbox: { ...sandbox, state: 'notready' },
      containers: [ctr('app', 'exited')],
      terminal: true,
    },
    phase: 'Succeeded',
    conditions: {
      PodReadyToStartContainers: 'False',
      Initialized: 'True | PodCompleted',
      Ready: 'False | PodCompleted',
      ContainersReady: 'False | PodCompleted',
      PodScheduled: 'True',
    },
    states: { app: 'terminated:Completed' },
  },
]

describe('computePodStatus', () => {
  for (const c of cases)
    it(c.name, () => {
      assert.deepEqual(summary(status(c.input)), { phase: c.phase, conditions: c.conditions, states: c.states })
    })

  it('reports IDs, images, IPs, start time and keeps the QoS class', () => {
    const s = status({
      pod: pod(),
      sandbox,
      containers: [ctr('app', 'running', { id: 'abc' })],
      readiness: { app: { ready: true, started: true } },
    })
    const [app] = s.containerStatuses ?? []
    assert.deepEqual(app, {
      name: 'app',
      state: { running: { startedAt: iso(2) } },
      lastState: {},
      ready: true,
      restartCount: 0,
      image: 'docker.io/library/nginx:latest',
      imageID: 'docker.io/library/nginx@sha256:aa',
      containerID: 'simulated://abc',
      started: true,
    })
    assert.deepEqual(
      [s.podIP, s.podIPs, s.hostIP, s.hostIPs, s.startTime, s.qosClass],
      ['10.244.1.2', [{ ip: '10.244.1.2' }], '172.18.0.2', [{ ip: '172.18.0.2' }], iso(10), 'BestEffort'],
    )
  })

  it('shows a restart: restartCount from the attempt, lastState from the previous instance', () => {
    const prev = ctr('app', 'exited', { exitCode: 1, reason: 'Error', id: 'old' })
    const cur = ctr('app', 'running', { attempt: 1, createdAt: at(5), id: 'new' })
    const [app] = status({ pod: pod(), sandbox, containers: [prev, cur] }).containerStatuses ?? []
    assert.equal(app?.restartCount, 1)
    assert.deepEqual(app?.lastState, {
      terminated: {
        exitCode: 1,
        reason: 'Error',
        startedAt: iso(2),
        finishedAt: iso(3),
        containerID: 'simulated://old',
      },
    })
  })

  it('keeps transition times while a condition holds, and stamps now when it flips', () => {
    const p = pod()
    const first = status({
      pod: p,
      sandbox,
      containers: [ctr('app', 'running')],
      readiness: { app: { ready: false, started: true } },
    })
    const later: Pod = { ...p, status: first }
    const same = status({
      pod: later,
      now: at(20),
      sandbox,
      containers: [ctr('app', 'running')],
      readiness: { app: { ready: false, started: true } },
    })
    const flipped = status({
      pod: later,
      now: at(30),
      sandbox,
      containers: [ctr('app', 'running')],
      readiness: { app: { ready: true, started: true } },
    })
    const time = (s: PodStatus, type: string) => s.conditions?.find(c => c.type === type)?.lastTransitionTime
    assert.equal(time(first, 'PodScheduled'), iso(-5))
    assert.equal(time(same, 'Ready'), iso(10))
    assert.equal(time(flipped, 'Ready'), iso(30))
    assert.equal(time(flipped, 'PodReadyToStartContainers'), iso(10))
    assert.equal(same.startTime, iso(10))
  })

  it('keeps conditions it does not own and honours readiness gates', () => {
    const p = pod()
    p.spec.readinessGates = [{ conditionType: 'example.com/lb' }]
    p.status!.conditions!.push({ type: 'example.com/lb', status: 'False' })
    const s = status({
      pod: p,
      sandbox,
      containers: [ctr('app', 'running')],
      readiness: { app: { ready: true, started: true } },
    })
    assert.deepEqual(
      s.conditions?.map(c => c.type),
      ['example.com/lb', 'PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'],
    )
    const ready = s.conditions?.find(c => c.type === 'Ready')
    assert.deepEqual(
      [ready?.status, ready?.reason, ready?.message],
      ['False', 'ReadinessGatesNotReady', 'the status of pod readiness gate "example.com/lb" is not "True", but False'],
    )
  })

  it('never leaves a terminal phase', () => {
    const p = pod({ restartPolicy: 'Never' })
    p.status!.phase = 'Succeeded'
    assert.equal(status({ pod: p, sandbox, containers: [ctr('app', 'running')] }).phase, 'Succeeded')
  })

  it('detects no-op writes', () => {
    const p = pod()
    const s = status({ pod: p, sandbox, containers: [ctr('app', 'running')] })
    assert.equal(isPodStatusChanged(p, s), true)
    assert.equal(isPodStatusChanged({ ...p, status: JSON.parse(JSON.stringify(s)) }, s), false)
  })
})
