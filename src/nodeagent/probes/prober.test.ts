/** Probers: probes pass after initialDelaySeconds (startup first), and the simulate-ready annotation. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Container, Pod } from '../../api/pod.js'
import type { RuntimeContainerStatus } from '../runtime/runtime.js'
import { probesPassAfterDelay } from './prober.js'
import { simulatedProber } from './simulated.js'

const status = { startedAt: 1_000, state: 'running' } as RuntimeContainerStatus
const pod = (annotations?: Record<string, string>): Pod => ({
  metadata: { name: 'p', annotations },
  spec: { containers: [] },
})

describe('probesPassAfterDelay', () => {
  const cases: { name: string; container: Partial<Container>; now: number; want: object }[] = [
    { name: 'no probes: ready at once', container: {}, now: 1_000, want: { ready: true, started: true } },
    {
      name: 'readiness probe before its delay',
      container: { readinessProbe: { initialDelaySeconds: 5 } },
      now: 3_000,
      want: { ready: false, started: true, recheckAt: 6_000 },
    },
    {
      name: 'readiness probe after its delay',
      container: { readinessProbe: { initialDelaySeconds: 5 } },
      now: 6_000,
      want: { ready: true, started: true },
    },
    {
      name: 'startup probe holds readiness too',
      container: { startupProbe: { initialDelaySeconds: 2 }, readinessProbe: { initialDelaySeconds: 1 } },
      now: 2_500,
      want: { ready: false, started: false, recheckAt: 3_000 },
    },
    {
      name: 'readiness delay counts from startup success',
      container: { startupProbe: { initialDelaySeconds: 2 }, readinessProbe: { initialDelaySeconds: 1 } },
      now: 3_500,
      want: { ready: false, started: true, recheckAt: 4_000 },
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      const container = { name: 'app', ...c.container } as Container
      assert.deepEqual(probesPassAfterDelay.check({ pod: pod(), container, status, now: c.now }), c.want)
    })
})

describe('simulatedProber', () => {
  const container = { name: 'app' } as Container
  const cases: [Record<string, string> | undefined, boolean][] = [
    [undefined, true],
    [{ 'petset.dev/simulate-ready': 'false' }, false],
    [{ 'petset.dev/simulate-ready': 'False' }, false],
    [{ 'petset.dev/simulate-ready': 'true' }, true],
  ]
  for (const [annotations, ready] of cases)
    it(`${JSON.stringify(annotations)} → ready=${ready}`, () => {
      assert.equal(simulatedProber.check({ pod: pod(annotations), container, status, now: 1_000 }).ready, ready)
    })
})
