/** The streaming backend: which container's log (upstream's errors), previous attempts, exec routing. */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { ContainerStatus, Pod } from '../api/pod.js'
import { realClock } from '../machinery/clock.js'
import type { ContainerRuntime, RuntimeContainerStatus } from './runtime/runtime.js'
import { AgentStreamingBackend, logContainerId } from './streaming-backend.js'

const pod = (status: Partial<ContainerStatus>): Pod => ({
  metadata: { name: 'web-0', namespace: 'default' },
  spec: { containers: [{ name: 'app' }] },
  status: { containerStatuses: [{ name: 'app', ready: false, restartCount: 0, image: '', imageID: '', ...status }] },
})

describe('logContainerId', () => {
  const cases: [string, Partial<ContainerStatus>, boolean, string][] = [
    ['running', { state: { running: {} }, containerID: 'process://c2' }, false, 'c2'],
    [
      'previous',
      { state: { running: {} }, lastState: { terminated: { exitCode: 1, containerID: 'process://c1' } } },
      true,
      'c1',
    ],
    ['terminated', { state: { terminated: { exitCode: 0, containerID: 'runc://c3' } } }, false, 'c3'],
    [
      'waiting after a crash shows the last one',
      {
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode: 1, containerID: 'x://c4' } },
      },
      false,
      'c4',
    ],
  ]
  for (const [name, status, previous, want] of cases)
    it(name, () => assert.equal(logContainerId(pod(status), 'app', previous), want))

  const errors: [Partial<ContainerStatus>, boolean, string][] = [
    [
      { state: { waiting: { reason: 'ContainerCreating' } } },
      false,
      'container "app" in pod "web-0" is waiting to start: ContainerCreating',
    ],
    [
      { state: { waiting: { reason: 'ErrImagePull' } } },
      false,
      'container "app" in pod "web-0" is waiting to start: image can\'t be pulled',
    ],
    [
      { state: { waiting: { reason: 'ImagePullBackOff' } } },
      false,
      'container "app" in pod "web-0" is waiting to start: trying and failing to pull image',
    ],
    [{ state: { running: {} } }, true, 'previous terminated container "app" in pod "web-0" not found'],
  ]
  for (const [status, previous, message] of errors)
    it(`400: ${message}`, () =>
      assert.throws(
        () => logContainerId(pod(status), 'app', previous),
        (e: { status: { code: number; message: string } }) => {
          assert.equal(e.status.code, 400)
          assert.equal(e.status.message, message)
          return true
        },
      ))
  it('unknown containers are not available', () =>
    assert.throws(() => logContainerId(pod({}), 'side', false), {
      message: 'container "side" in pod "web-0" is not available',
    }))
})

describe('AgentStreamingBackend', () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'petset-sb-'))
    await writeFile(join(dir, 'c1.log'), '2025-01-02T03:04:05Z stdout F old attempt\n')
    await writeFile(join(dir, 'c2.log'), '2025-01-02T03:04:06Z stdout F new attempt\n')
  })
  after(() => rm(dir, { recursive: true, force: true }))

  const running = { id: 'c2', name: 'app', state: 'running', attempt: 1 } as RuntimeContainerStatus
  const runtime = {
    name: 'process',
    logPath: (id: string) => join(dir, `${id}.log`),
    containerStatus: async () => running,
    exec: async (id: string, cmd: string[]) => (id === 'c2' && cmd[0] === 'true' ? 0 : 1),
  } as unknown as ContainerRuntime
  const p = pod({
    state: { running: {} },
    containerID: 'process://c2',
    lastState: { terminated: { exitCode: 1, containerID: 'process://c1' } },
  })
  const backend = new AgentStreamingBackend(
    async (_ns, name) => (name === 'web-0' ? { pod: p, runtime, containers: [running] } : undefined),
    realClock,
  )
  const read = async (previous: boolean) => {
    let s = ''
    for await (const c of await backend.logs({
      namespace: 'default',
      pod: 'web-0',
      container: 'app',
      follow: false,
      previous,
      timestamps: false,
    }))
      s += c
    return s
  }

  it('logs reads the current attempt, or the previous one', async () => {
    assert.equal(await read(false), 'new attempt\n')
    assert.equal(await read(true), 'old attempt\n')
  })

  it('exec runs in the running instance; unknown containers and pods fail', async () => {
    const req = {
      namespace: 'default',
      pod: 'web-0',
      container: 'app',
      stdin: false,
      stdout: true,
      stderr: true,
      tty: false,
    }
    const streams = { onResize() {}, signal: new AbortController().signal }
    assert.equal(await backend.exec({ ...req, command: ['true'] }, streams), 0)
    await assert.rejects(backend.exec({ ...req, container: 'nope', command: ['true'] }, streams), {
      message: 'container "nope" not found in pod "web-0"',
    })
    await assert.rejects(backend.exec({ ...req, pod: 'gone', command: ['true'] }, streams), {
      message: 'pods "gone" not found',
    })
  })
})
