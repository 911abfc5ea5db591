/**
 * The simulated runtime: the shared ContainerRuntime contract, plus what only the simulation
 * promises (IPs reused lowest-first, no network before a podCIDR, scripted exits, init
 * containers completing), driven by a FakeClock.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { FakeClock } from '../../../machinery/clock.js'
import { runRuntimeContract } from '../runtime.contract.js'
import { type ContainerConfig, ContainerLabels, isNetworkNotReady } from '../runtime.js'
import { SimulateExitCodeAnnotation } from './annotations.js'
import { SimulatedRuntime } from './runtime.js'

const container = (name: string, extra: Partial<ContainerConfig> = {}): ContainerConfig => ({
  name,
  image: 'nginx:1.27',
  attempt: 0,
  labels: { [ContainerLabels.containerType]: 'regular' },
  ...extra,
})

runRuntimeContract('simulated', async () => ({
  runtime: new SimulatedRuntime({ runMs: 5 }),
  podCIDR: '10.244.1.0/24',
  longRunning: name => container(name),
  exiting: (name, code) => container(name, { annotations: { [SimulateExitCodeAnnotation]: String(code) } }),
}))

describe('SimulatedRuntime', () => {
  const sandbox = (uid: string) => ({ uid, namespace: 'default', name: uid })

  it('has no network until it knows the podCIDR', async () => {
    const rt = new SimulatedRuntime()
    assert.equal(rt.health().networkReady, false)
    assert.match(rt.health().networkMessage ?? '', /cni plugin not initialized/)
    assert.ok(isNetworkNotReady(await rt.runPodSandbox(sandbox('a')).catch(e => e)))
    const host = await rt.runPodSandbox({ ...sandbox('h'), hostNetwork: true })
    assert.equal(host.ip, undefined)
  })

  it('hands out .2 upward and reuses freed addresses', async () => {
    const rt = new SimulatedRuntime()
    await rt.updateRuntimeConfig({ podCIDR: '10.244.3.0/24' })
    const a = await rt.runPodSandbox(sandbox('a'))
    const b = await rt.runPodSandbox(sandbox('b'))
    assert.deepEqual([a.ip, b.ip], ['10.244.3.2', '10.244.3.3'])
    await rt.removePodSandbox(a.id)
    assert.equal((await rt.runPodSandbox(sandbox('c'))).ip, '10.244.3.2')
  })

  it('starts after the drawn delay, on the injected clock', async () => {
    const clock = new FakeClock(1_000)
    const rt = new SimulatedRuntime({ clock, startDelayMs: { min: 10, max: 10 } })
    await rt.updateRuntimeConfig({ podCIDR: '10.244.1.0/24' })
    const sb = await rt.runPodSandbox(sandbox('a'))
    let done = false
    const p = rt.startContainer(sb.id, container('app')).then(s => {
      done = true
      return s
    })
    await clock.advance(9)
    assert.equal(done, false)
    const [created] = await rt.listContainers({ sandboxId: sb.id })
    assert.equal(created?.state, 'created')
    await clock.advance(1)
    const s = await p
    assert.deepEqual({ state: s.state, startedAt: s.startedAt }, { state: 'running', startedAt: 1_010 })
  })

  it('runs init containers to completion and scripted containers to their exit code', async () => {
    const clock = new FakeClock(0)
    const rt = new SimulatedRuntime({ clock, startDelayMs: { min: 0, max: 0 }, runMs: 50 })
    await rt.updateRuntimeConfig({ podCIDR: '10.244.1.0/24' })
    const sb = await rt.runPodSandbox(sandbox('a'))
    const start = (c: ContainerConfig) => {
      const p = rt.startContainer(sb.id, c)
      return clock.advance(0).then(() => p)
    }
    const init = await start(container('init', { labels: { [ContainerLabels.containerType]: 'init' } }))
    const crash = await start(container('crash', { annotations: { [SimulateExitCodeAnnotation]: '2' } }))
    const app = await start(container('app'))
    await clock.advance(50)
    const got = Object.fromEntries(
      await Promise.all(
        [init, crash, app].map(async c => {
          const s = await rt.containerStatus(c.id)
          return [s.name, [s.state, s.exitCode, s.reason]]
        }),
      ),
    )
    assert.deepEqual(got, {
      init: ['exited', 0, 'Completed'],
      crash: ['exited', 2, 'Error'],
      app: ['running', undefined, undefined],
    })
  })

  it('a zero grace period kills (137), a positive one ends cleanly (0)', async () => {
    const rt = new SimulatedRuntime({ startDelayMs: { min: 0, max: 0 } })
    await rt.updateRuntimeConfig({ podCIDR: '10.244.1.0/24' })
    const sb = await rt.runPodSandbox(sandbox('a'))
    const a = await rt.startContainer(sb.id, container('a'))
    const b = await rt.startContainer(sb.id, container('b'))
    await rt.stopContainer(a.id, { graceSeconds: 0 })
    await rt.stopContainer(b.id, { graceSeconds: 30 })
    assert.equal((await rt.containerStatus(a.id)).exitCode, 137)
    assert.equal((await rt.containerStatus(b.id)).exitCode, 0)
  })
})
