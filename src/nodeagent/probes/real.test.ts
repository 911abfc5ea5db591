/** RealProber with a fake clock and scripted outcomes: delays, periods, thresholds, startup gating, liveness restarts, events. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Container, Pod, Probe } from '../../api/pod.js'
import { FakeClock } from '../../machinery/clock.js'
import type { ContainerRuntime, RuntimeContainerStatus } from '../runtime/runtime.js'
import type { ProbeOutcome } from './actions.js'
import { RealProber } from './real.js'

const pod: Pod = { metadata: { name: 'web-0', namespace: 'default', uid: 'u1' }, spec: { containers: [] } }
const status = (id = 'c1', startedAt = 0) =>
  ({ id, startedAt, state: 'running', name: 'app' }) as RuntimeContainerStatus

/** A prober whose probes answer from script[kind] in order (the last answer repeats). */
function setup(container: Partial<Container>, script: Record<string, ('ok' | 'fail')[]>) {
  const clock = new FakeClock(0)
  const calls: string[] = []
  const events: string[] = []
  const changes: string[] = []
  const prober = new RealProber({
    clock,
    runtimeFor: () => ({}) as ContainerRuntime,
    podIP: () => '10.0.0.2',
    event: (_p, type, reason, message) => events.push(`${type} ${reason} ${message}`),
    runner: async (probe: Probe): Promise<ProbeOutcome> => {
      const kind = probe === c.startupProbe ? 'startup' : probe === c.readinessProbe ? 'readiness' : 'liveness'
      const list = script[kind] ?? ['ok']
      const answer = list.length > 1 ? list.shift()! : list[0]!
      calls.push(`${clock.now()} ${kind}`)
      return answer === 'ok' ? { result: 'success', output: '' } : { result: 'failure', output: `${kind} says no` }
    },
  })
  prober.onChange(uid => changes.push(uid))
  const c = { name: 'app', ...container } as Container
  const check = (s = status()) => prober.check({ pod, container: c, status: s, now: clock.now() })
  return { clock, prober, calls, events, changes, check }
}

describe('RealProber', () => {
  it('readiness: not ready until the first success after initialDelaySeconds, then every period', async () => {
    const t = setup({ readinessProbe: { initialDelaySeconds: 5, periodSeconds: 10 } }, { readiness: ['ok'] })
    assert.deepEqual(t.check(), { ready: false, started: true })
    await t.clock.advance(4_999)
    assert.deepEqual(t.calls, [])
    await t.clock.advance(1)
    assert.deepEqual(t.calls, ['5000 readiness'])
    assert.deepEqual(t.check(), { ready: true, started: true })
    assert.deepEqual(t.changes, ['u1'])
    await t.clock.advance(20_000)
    assert.deepEqual(t.calls, ['5000 readiness', '15000 readiness', '25000 readiness'])
  })

  it('readiness flips to not ready only after failureThreshold consecutive failures; each failure is an event', async () => {
    const t = setup(
      { readinessProbe: { periodSeconds: 1, failureThreshold: 3 } },
      { readiness: ['ok', 'fail', 'fail', 'ok', 'fail', 'fail', 'fail'] },
    )
    t.check()
    await t.clock.advance(0)
    assert.equal(t.check().ready, true)
    await t.clock.advance(2_000) // fail, fail
    assert.equal(t.check().ready, true)
    await t.clock.advance(1_000) // ok resets the run
    await t.clock.advance(2_000) // fail, fail
    assert.equal(t.check().ready, true)
    await t.clock.advance(1_000) // third consecutive failure
    assert.equal(t.check().ready, false)
    assert.equal(t.events.length, 5)
    assert.equal(t.events[0], 'Warning Unhealthy Readiness probe failed: readiness says no')
  })

  it('successThreshold needs consecutive successes', async () => {
    const t = setup(
      { readinessProbe: { periodSeconds: 1, successThreshold: 2 } },
      { readiness: ['ok', 'fail', 'ok', 'ok'] },
    )
    t.check()
    await t.clock.advance(2_000)
    assert.equal(t.check().ready, false)
    await t.clock.advance(1_000)
    assert.equal(t.check().ready, true)
  })

  it('liveness: failureThreshold failures ask for a restart and hold the probe', async () => {
    const t = setup(
      { livenessProbe: { periodSeconds: 10, failureThreshold: 3, terminationGracePeriodSeconds: 5 } },
      { liveness: ['fail'] },
    )
    assert.deepEqual(t.check(), { ready: true, started: true })
    await t.clock.advance(19_999)
    assert.equal(t.check().restart, undefined)
    await t.clock.advance(1)
    assert.deepEqual(t.check().restart, {
      message: 'Container app failed liveness probe, will be restarted',
      graceSeconds: 5,
    })
    assert.equal(t.events[0], 'Warning Unhealthy Liveness probe failed: liveness says no')
    await t.clock.advance(60_000)
    assert.equal(t.calls.length, 3, 'held until the container is replaced')
    // The replacement starts fresh.
    t.prober.track('u1', ['c2'])
    assert.equal(t.check(status('c2', 80_000)).restart, undefined)
  })

  it('startup gates readiness and liveness, then stops', async () => {
    const t = setup(
      {
        startupProbe: { periodSeconds: 1, failureThreshold: 30 },
        readinessProbe: { periodSeconds: 1 },
        livenessProbe: { periodSeconds: 1 },
      },
      { startup: ['fail', 'fail', 'ok'] },
    )
    assert.deepEqual(t.check(), { ready: false, started: false })
    await t.clock.advance(1_000)
    assert.deepEqual(
      t.calls.filter(c => !c.includes('startup')),
      [],
    )
    assert.deepEqual(t.check(), { ready: false, started: false })
    await t.clock.advance(1_000) // startup passes; readiness runs in the same period
    assert.deepEqual(t.check(), { ready: true, started: true })
    assert.ok(t.calls.includes('2000 readiness'))
    const startups = t.calls.filter(c => c.includes('startup')).length
    await t.clock.advance(5_000)
    assert.equal(t.calls.filter(c => c.includes('startup')).length, startups, 'startup is done')
  })

  it('a startup failure past its threshold restarts the container', async () => {
    const t = setup({ startupProbe: { periodSeconds: 1, failureThreshold: 2 } }, { startup: ['fail'] })
    t.check()
    await t.clock.advance(1_000)
    assert.equal(t.check().restart?.message, 'Container app failed startup probe, will be restarted')
  })

  it('track stops the probes of containers that no longer run', async () => {
    const t = setup({ readinessProbe: { periodSeconds: 1 } }, {})
    t.check()
    await t.clock.advance(0)
    t.prober.track('u1', [])
    const n = t.calls.length
    await t.clock.advance(5_000)
    assert.equal(t.calls.length, n)
    assert.equal(t.clock.pending(), 0)
  })
})
