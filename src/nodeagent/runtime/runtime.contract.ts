/**
 * The ContainerRuntime contract suite (C13): one behaviour suite every runtime runs from its own
 * test file, as Hono's routers run `runTest({ newRouter })`. Waits poll with generous limits and
 * assert states, never durations.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  type ContainerConfig,
  type ContainerRuntime,
  isContainerNotFound,
  isSandboxNotFound,
  type PodSandboxConfig,
  type RuntimeContainerStatus,
  type RuntimeEvent,
} from './runtime.js'

/** What a runtime's test hands the suite. */
export interface RuntimeFixture {
  runtime: ContainerRuntime
  /** A CIDR the runtime may hand pod IPs from. */
  podCIDR: string
  /** A container that runs until stopped. */
  longRunning(name: string): ContainerConfig
  /** A container that exits on its own with this code. */
  exiting(name: string, code: number): ContainerConfig
  cleanup?(): Promise<void>
  /**
   * How sandbox IPs relate to the podCIDR. `pod-cidr` (default): distinct addresses inside it;
   * `mapped`: distinct addresses derived from it elsewhere (the process runtime's 127/8 mapping);
   * `node`: every sandbox shares the node's address (no pod network yet).
   */
  sandboxIPs?: 'pod-cidr' | 'mapped' | 'node'
}

let seq = 0
const sandboxConfig = (): PodSandboxConfig => {
  seq++
  return { uid: `uid-${seq}`, namespace: 'default', name: `pod-${seq}`, labels: { app: 'contract' } }
}

/** Polls check until it returns a value, or fails after ms. */
async function eventually<T>(check: () => Promise<T | undefined>, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await check()
    if (v !== undefined) return v
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 5))
  }
}

function ipInCIDR(ip: string, cidr: string): boolean {
  const toNum = (s: string) => s.split('.').reduce((n, p) => n * 256 + Number(p), 0)
  const [base, len] = cidr.split('/')
  const size = 2 ** (32 - Number(len))
  const start = toNum(base!) - (toNum(base!) % size)
  return toNum(ip) >= start && toNum(ip) < start + size
}

/** Runs the contract against the runtime the factory makes (one runtime for the whole suite). */
export function runRuntimeContract(name: string, factory: () => Promise<RuntimeFixture>): void {
  describe(`ContainerRuntime contract: ${name}`, () => {
    let f: RuntimeFixture
    let rt: ContainerRuntime
    const events: RuntimeEvent[] = []
    before(async () => {
      f = await factory()
      rt = f.runtime
      rt.onEvent(e => events.push(e))
      await rt.updateRuntimeConfig({ podCIDR: f.podCIDR })
    })
    after(async () => {
      await rt.close()
      await f.cleanup?.()
    })

    const exited = (id: string) =>
      eventually(async () => {
        const s = await rt.containerStatus(id)
        return s.state === 'exited' ? s : undefined
      }, `container ${id} to exit`)

    it('reports a name, a version and a ready network once configured', () => {
      assert.match(rt.name, /^[a-z0-9-]+$/)
      assert.ok(rt.version)
      assert.deepEqual(
        { runtime: rt.health().runtimeReady, network: rt.health().networkReady },
        { runtime: true, network: true },
      )
    })

    it('creates ready sandboxes with distinct IPs from the pod CIDR', async () => {
      const a = await rt.runPodSandbox(sandboxConfig())
      const b = await rt.runPodSandbox(sandboxConfig())
      assert.equal(a.state, 'ready')
      assert.ok(a.ip && b.ip, 'sandboxes have IPs')
      const policy = f.sandboxIPs ?? 'pod-cidr'
      if (policy === 'pod-cidr') assert.ok(ipInCIDR(a.ip, f.podCIDR) && ipInCIDR(b.ip, f.podCIDR), `${a.ip} ${b.ip}`)
      if (policy === 'node') assert.equal(a.ip, b.ip)
      else assert.notEqual(a.ip, b.ip)
      const ids = (await rt.listPodSandboxes()).map(s => s.id)
      assert.ok(ids.includes(a.id) && ids.includes(b.id))
      assert.equal((await rt.podSandboxStatus(a.id)).ip, a.ip)
      await rt.removePodSandbox(a.id)
      await rt.removePodSandbox(b.id)
      assert.ok(isSandboxNotFound(await rt.podSandboxStatus(a.id).catch(e => e)))
    })

    it('starts a container, reports it running, and emits Created then Started', async () => {
      const sb = await rt.runPodSandbox(sandboxConfig())
      const config = { ...f.longRunning('app'), labels: { 'io.kubernetes.container.name': 'app' } }
      const started = await rt.startContainer(sb.id, config)
      assert.equal(started.state, 'running')
      const s = await rt.containerStatus(started.id)
      assert.equal(s.state, 'running')
      assert.equal(s.name, 'app')
      assert.equal(s.sandboxId, sb.id)
      assert.equal(s.podUid, sb.uid)
      assert.equal(s.attempt, 0)
      assert.ok(s.image && s.imageRef && s.startedAt !== undefined)
      assert.equal(s.labels['io.kubernetes.container.name'], 'app')
      const mine = events.filter(e => e.containerId === s.id).map(e => e.type)
      assert.deepEqual(mine.slice(0, 2), ['ContainerCreated', 'ContainerStarted'])
      await rt.removePodSandbox(sb.id)
    })

    it('stops a container within its grace period; stopping again is a no-op', async () => {
      const sb = await rt.runPodSandbox(sandboxConfig())
      const c = await rt.startContainer(sb.id, f.longRunning('app'))
      await rt.stopContainer(c.id, { graceSeconds: 2 })
      const s: RuntimeContainerStatus = await rt.containerStatus(c.id)
      assert.equal(s.state, 'exited')
      assert.equal(typeof s.exitCode, 'number')
      assert.ok(s.finishedAt !== undefined && s.finishedAt >= (s.startedAt ?? 0))
      await rt.stopContainer(c.id, { graceSeconds: 2 })
      assert.ok(events.some(e => e.containerId === c.id && e.type === 'ContainerStopped'))
      await rt.removePodSandbox(sb.id)
    })

    for (const code of [0, 3])
      it(`reports a container that exits by itself with code ${code}`, async () => {
        const sb = await rt.runPodSandbox(sandboxConfig())
        const c = await rt.startContainer(sb.id, f.exiting('job', code))
        const s = await exited(c.id)
        assert.equal(s.exitCode, code)
        assert.equal(s.reason, code === 0 ? 'Completed' : 'Error')
        await rt.removePodSandbox(sb.id)
      })

    it('lists containers per sandbox and removes them with the sandbox', async () => {
      const a = await rt.runPodSandbox(sandboxConfig())
      const b = await rt.runPodSandbox(sandboxConfig())
      const ca = await rt.startContainer(a.id, f.longRunning('a'))
      await rt.startContainer(b.id, f.longRunning('b'))
      assert.deepEqual(
        (await rt.listContainers({ sandboxId: a.id })).map(c => c.name),
        ['a'],
      )
      await rt.removePodSandbox(a.id)
      await rt.removePodSandbox(a.id)
      assert.deepEqual(await rt.listContainers({ sandboxId: a.id }), [])
      assert.ok(!(await rt.listPodSandboxes()).some(s => s.id === a.id))
      assert.ok(isContainerNotFound(await rt.containerStatus(ca.id).catch(e => e)))
      await rt.removePodSandbox(b.id)
    })

    it('stopping a sandbox stops its containers and marks it not ready', async () => {
      const sb = await rt.runPodSandbox(sandboxConfig())
      const c = await rt.startContainer(sb.id, f.longRunning('app'))
      await rt.stopPodSandbox(sb.id)
      await rt.stopPodSandbox(sb.id)
      assert.equal((await rt.containerStatus(c.id)).state, 'exited')
      assert.equal((await rt.listPodSandboxes()).find(s => s.id === sb.id)?.state, 'notready')
      await rt.removePodSandbox(sb.id)
    })

    it('removes exited containers; removing twice is a no-op', async () => {
      const sb = await rt.runPodSandbox(sandboxConfig())
      const c = await rt.startContainer(sb.id, f.longRunning('app'))
      await rt.stopContainer(c.id, { graceSeconds: 0 })
      await rt.removeContainer(c.id)
      await rt.removeContainer(c.id)
      assert.deepEqual(await rt.listContainers({ sandboxId: sb.id }), [])
      await rt.removePodSandbox(sb.id)
    })

    it('answers unknown ids with typed errors', async () => {
      assert.ok(isContainerNotFound(await rt.containerStatus('nope').catch(e => e)))
      assert.ok(isContainerNotFound(await rt.stopContainer('nope', { graceSeconds: 0 }).catch(e => e)))
      assert.ok(isSandboxNotFound(await rt.startContainer('nope', f.longRunning('x')).catch(e => e)))
      await rt.removeContainer('nope')
      await rt.removePodSandbox('nope')
      await rt.stopPodSandbox('nope')
    })
  })
}
