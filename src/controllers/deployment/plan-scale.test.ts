/** scale(): single, saturated and proportional resizes, table-tested with upstream's TestScale (sync_test.go). */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Deployment, ReplicaSet } from '../../api/apps.js'
import { setReplicasAnnotations } from './annotations.js'
import { planScale } from './plan.js'
import { maxSurge } from './rolling.js'
import { newDeployment, rs } from './testing.js'

const newer = '2016-05-20T02:00:00Z'
const old = '2016-05-20T01:00:00Z'
const older = '2016-05-20T00:00:00Z'
describe('planScale (TestScale)', () => {
  const relabelled = (n: number) => {
    const d = newDeployment(n)
    d.spec.template.metadata!.labels!.another = 'label'
    return d
  }
  const cases: {
    name: string
    d: Deployment
    was: Deployment
    newRS?: ReplicaSet
    oldRSs: ReplicaSet[]
    want: Record<string, number>
    desired?: Record<string, number>
  }[] = [
    {
      name: 'normal scaling event: 10 -> 12',
      d: newDeployment(12),
      was: newDeployment(10),
      newRS: rs('foo-v1', 10, { created: newer }),
      oldRSs: [],
      want: { 'foo-v1': 12 },
    },
    {
      name: 'normal scaling event: 10 -> 5',
      d: newDeployment(5),
      was: newDeployment(10),
      newRS: rs('foo-v1', 10, { created: newer }),
      oldRSs: [],
      want: { 'foo-v1': 5 },
    },
    {
      name: 'proportional scaling: 5 -> 10',
      d: newDeployment(10),
      was: newDeployment(5),
      newRS: rs('foo-v2', 2, { created: newer }),
      oldRSs: [rs('foo-v1', 3, { created: old })],
      want: { 'foo-v2': 4, 'foo-v1': 6 },
    },
    {
      name: 'proportional scaling: 5 -> 3',
      d: newDeployment(3),
      was: newDeployment(5),
      newRS: rs('foo-v2', 2, { created: newer }),
      oldRSs: [rs('foo-v1', 3, { created: old })],
      want: { 'foo-v2': 1, 'foo-v1': 2 },
    },
    {
      name: 'proportional scaling: 9 -> 4',
      d: newDeployment(4),
      was: newDeployment(9),
      newRS: rs('foo-v2', 8, { created: newer }),
      oldRSs: [rs('foo-v1', 1, { created: old })],
      want: { 'foo-v2': 4, 'foo-v1': 0 },
    },
    {
      name: 'proportional scaling: 7 -> 10',
      d: newDeployment(10),
      was: newDeployment(7),
      newRS: rs('foo-v3', 2, { created: newer }),
      oldRSs: [rs('foo-v2', 3, { created: old }), rs('foo-v1', 2, { created: older })],
      want: { 'foo-v3': 3, 'foo-v2': 4, 'foo-v1': 3 },
    },
    {
      name: 'proportional scaling: 13 -> 8',
      d: newDeployment(8),
      was: newDeployment(13),
      newRS: rs('foo-v3', 2, { created: newer }),
      oldRSs: [rs('foo-v2', 8, { created: old }), rs('foo-v1', 3, { created: older })],
      want: { 'foo-v3': 1, 'foo-v2': 5, 'foo-v1': 2 },
    },
    {
      name: 'leftover distribution: 3 -> 4 (newest first)',
      d: newDeployment(4),
      was: newDeployment(3),
      newRS: rs('foo-v3', 1, { created: newer }),
      oldRSs: [rs('foo-v2', 1, { created: old }), rs('foo-v1', 1, { created: older })],
      want: { 'foo-v3': 2, 'foo-v2': 1, 'foo-v1': 1 },
    },
    {
      name: 'leftover distribution: 3 -> 2 (oldest first)',
      d: newDeployment(2),
      was: newDeployment(3),
      newRS: rs('foo-v3', 1, { created: newer }),
      oldRSs: [rs('foo-v2', 1, { created: old }), rs('foo-v1', 1, { created: older })],
      want: { 'foo-v3': 1, 'foo-v2': 1, 'foo-v1': 0 },
    },
    {
      name: 'proportional scaling (no new rs): 4 -> 5',
      d: newDeployment(5),
      was: newDeployment(4),
      oldRSs: [rs('foo-v2', 2, { created: old }), rs('foo-v1', 2, { created: older })],
      want: { 'foo-v2': 3, 'foo-v1': 2 },
    },
    {
      name: 'proportional scaling: 6 -> 0',
      d: newDeployment(0),
      was: newDeployment(6),
      newRS: rs('foo-v3', 3, { created: newer }),
      oldRSs: [rs('foo-v2', 2, { created: old }), rs('foo-v1', 1, { created: older })],
      want: { 'foo-v3': 0, 'foo-v2': 0, 'foo-v1': 0 },
    },
    {
      name: 'proportional scaling: 0 -> 6',
      d: newDeployment(6),
      was: newDeployment(6),
      newRS: rs('foo-v3', 0, { created: newer }),
      oldRSs: [rs('foo-v2', 0, { created: old }), rs('foo-v1', 0, { created: older })],
      want: { 'foo-v3': 6, 'foo-v2': 0, 'foo-v1': 0 },
    },
    {
      name: 'an older desired-replicas annotation',
      d: newDeployment(5),
      was: newDeployment(5),
      newRS: rs('foo-v3', 2, { created: newer }),
      oldRSs: [rs('foo-v2', 1, { created: old }), rs('foo-v1', 1, { created: older })],
      want: { 'foo-v3': 2, 'foo-v2': 2, 'foo-v1': 1 },
      desired: { 'foo-v2': 3 },
    },
    {
      name: 'deployment with surge pods',
      d: newDeployment(20, { maxSurge: 2 }),
      was: newDeployment(10, { maxSurge: 2 }),
      newRS: rs('foo-v2', 6, { created: newer }),
      oldRSs: [rs('foo-v1', 6, { created: old })],
      want: { 'foo-v2': 11, 'foo-v1': 11 },
    },
    {
      name: 'change both surge and size',
      d: newDeployment(50, { maxSurge: 6 }),
      was: newDeployment(10, { maxSurge: 3 }),
      newRS: rs('foo-v2', 5, { created: newer }),
      oldRSs: [rs('foo-v1', 8, { created: old })],
      want: { 'foo-v2': 22, 'foo-v1': 34 },
    },
    {
      name: 'change both size and template',
      d: relabelled(14),
      was: newDeployment(10),
      oldRSs: [rs('foo-v2', 7, { created: newer }), rs('foo-v1', 3, { created: old })],
      want: { 'foo-v2': 10, 'foo-v1': 4 },
    },
    {
      name: 'saturated but broken new replica set does not affect old pods',
      d: newDeployment(2, { maxSurge: 1, maxUnavailable: 1 }),
      was: newDeployment(2, { maxSurge: 1, maxUnavailable: 1 }),
      newRS: rs('foo-v2', 2, { created: newer, available: 0 }),
      oldRSs: [rs('foo-v1', 1, { created: old })],
      want: { 'foo-v2': 2, 'foo-v1': 1 },
    },
    {
      name: 'a saturated new replica set sends old ones to 0',
      d: newDeployment(2, { maxSurge: 1 }),
      was: newDeployment(2, { maxSurge: 1 }),
      newRS: rs('foo-v2', 2, { created: newer, available: 2 }),
      oldRSs: [rs('foo-v1', 1, { created: old })],
      want: { 'foo-v2': 2, 'foo-v1': 0 },
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      for (const x of [c.newRS, ...c.oldRSs]) {
        if (!x) continue
        const desired = c.desired?.[x.metadata.name!] ?? c.was.spec.replicas!
        setReplicasAnnotations(x, desired, desired + maxSurge(c.was))
      }
      const sizes: Record<string, number> = {}
      for (const x of [c.newRS, ...c.oldRSs]) if (x) sizes[x.metadata.name!] = x.spec.replicas!
      for (const op of planScale(c.d, c.newRS, c.oldRSs).scales) sizes[op.rs.metadata.name!] = op.to
      assert.deepEqual(sizes, c.want)
    })
  }
})
