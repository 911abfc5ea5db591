/** Tests of the last-change-trigger-time tracker (pure state, no clock). */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Service } from '../../../api/core.js'
import type { Pod } from '../../../api/pod.js'
import { TriggerTimeTracker } from './trigger-time.js'

const svc: Service = { metadata: { name: 's', namespace: 'ns', creationTimestamp: '2024-01-01T00:00:00Z' } }
const pod = (name: string, readyAt?: string): Pod => ({
  metadata: { name, namespace: 'ns' },
  spec: { containers: [] },
  status: readyAt ? { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: readyAt }] } : {},
})

test('first sync exports the service creation; later syncs the earliest change since the last', () => {
  const t = new TriggerTimeTracker()
  const a1 = pod('a', '2024-01-01T00:01:00Z')
  assert.equal(t.compute(svc, [a1]), Date.parse('2024-01-01T00:00:00Z'), 'new service: its creation')
  assert.equal(t.compute(svc, [a1]), undefined, 'nothing changed')
  const a2 = pod('a', '2024-01-01T00:03:00Z')
  const b = pod('b', '2024-01-01T00:02:00Z')
  assert.equal(t.compute(svc, [a2, b]), Date.parse('2024-01-01T00:02:00Z'), 'min of the changed ones')
  assert.equal(t.compute(svc, [a2, b, pod('c')]), undefined, 'a pod without a Ready condition has no trigger')
  t.deleteService('ns', 's')
  assert.equal(t.compute(svc, [a2]), Date.parse('2024-01-01T00:00:00Z'), 'forgotten: new again')
})
