/** Table tests of the PV controller's volume decisions: phases, release, reclaim, recycler and deleter. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/core.js'
import {
  deleterOf,
  isVolumeReleased,
  planReclaim,
  planVolume,
  recycleTargetOf,
  type VolumePlan,
} from './plan-volume.js'
import { pv, pvc } from './test-fixtures.js'

const bound = { 'pv.kubernetes.io/bind-completed': 'yes' }
const byController = { 'pv.kubernetes.io/bound-by-controller': 'yes' }

const claimA = pvc('a', { volumeName: 'pv1', annotations: bound, phase: 'Bound' })
const volumeCases: {
  name: string
  volume: PersistentVolume
  claim?: PersistentVolumeClaim
  want: VolumePlan['action']
  phase?: string
}[] = [
  {
    name: 'a new unclaimed volume becomes Available',
    volume: pv('pv1', { phase: 'Pending' }),
    want: 'phase',
    phase: 'Available',
  },
  {
    name: 'a volume pre-bound by name only stays Available',
    volume: pv('pv1', { claim: { name: 'a' } }),
    want: 'phase',
    phase: 'Available',
  },
  {
    name: 'its claim gone: reclaim',
    volume: pv('pv1', { claim: { name: 'a', uid: 'uid-a' }, phase: 'Bound' }),
    want: 'reclaim',
  },
  {
    name: 'claim not yet pointing back: sync the claim',
    volume: pv('pv1', { claim: { name: 'a', uid: 'uid-a' } }),
    claim: pvc('a'),
    want: 'syncClaim',
  },
  {
    name: 'claim not yet pointing back, volumeMode differs: mismatch events',
    volume: pv('pv1', { claim: { name: 'a', uid: 'uid-a' }, mode: 'Block' }),
    claim: pvc('a'),
    want: 'mismatch',
  },
  {
    name: 'claim points back: Bound',
    volume: pv('pv1', { claim: { name: 'a', uid: 'uid-a' } }),
    claim: claimA,
    want: 'phase',
    phase: 'Bound',
  },
  {
    name: 'claim bound elsewhere: our binding is rolled back',
    volume: pv('pv2', { claim: { name: 'a', uid: 'uid-a' }, annotations: byController }),
    claim: claimA,
    want: 'unbind',
  },
  {
    name: 'claim bound elsewhere, volume provisioned for it with Delete: reclaim',
    volume: pv('pv2', {
      claim: { name: 'a', uid: 'uid-a' },
      policy: 'Delete',
      annotations: { 'pv.kubernetes.io/provisioned-by': 'petset.dev/local-path' },
    }),
    claim: claimA,
    want: 'reclaim',
  },
]

for (const c of volumeCases)
  test(`volume: ${c.name}`, () => {
    const plan = planVolume(c.volume, c.claim)
    assert.equal(plan.action, c.want)
    if (c.phase) assert.equal((plan as { phase?: string }).phase, c.phase)
  })

test('reclaim follows the policy; an unknown one fails the volume', () => {
  assert.equal(planReclaim(pv('v', { policy: 'Retain' })).action, 'none')
  assert.equal(planReclaim(pv('v', { policy: 'Recycle' })).action, 'recycle')
  assert.equal(planReclaim(pv('v', { policy: 'Delete' })).action, 'delete')
  const bad = planReclaim(pv('v', { policy: 'Shred' }))
  assert.deepEqual(bad.action === 'fail' && bad.event.reason, 'VolumeUnknownReclaimPolicy')
})

test('isVolumeReleased: bound volume whose claim is gone, replaced, or bound elsewhere', () => {
  const v = pv('pv1', { claim: { name: 'a', uid: 'uid-a' } })
  assert.equal(isVolumeReleased(v, undefined), true)
  assert.equal(isVolumeReleased(v, { ...pvc('a'), metadata: { ...pvc('a').metadata, uid: 'new' } }), true)
  assert.equal(isVolumeReleased(v, pvc('a', { volumeName: 'pv9' })), true)
  assert.equal(isVolumeReleased(v, pvc('a', { volumeName: 'pv1' })), false)
  assert.equal(isVolumeReleased(v, pvc('a')), false)
  assert.equal(isVolumeReleased(pv('pv1', { claim: { name: 'a' } }), undefined), false)
})

test('recycle targets: hostPath anywhere, local only inside the volumes directory, nfs never', () => {
  const host = pv('h', { source: { hostPath: { path: '/tmp/pv-a' } } })
  assert.deepEqual(recycleTargetOf(host, undefined), { kind: 'hostPath', path: '/tmp/pv-a' })
  const inside = pv('l', { source: { local: { path: '/data/volumes/pvc-1' } } })
  assert.deepEqual(recycleTargetOf(inside, '/data/volumes'), { kind: 'local', path: '/data/volumes/pvc-1' })
  const outside = pv('l', { source: { local: { path: '/data/other' } } })
  assert.equal(recycleTargetOf(outside, '/data/volumes'), undefined)
  assert.equal(recycleTargetOf(pv('n'), '/data/volumes'), undefined)
})

test('deleters: external provisioners own their volumes; hostPath only under /tmp; nfs has none', () => {
  const provisioned = pv('p', { annotations: { 'pv.kubernetes.io/provisioned-by': 'petset.dev/local-path' } })
  assert.deepEqual(deleterOf(provisioned), { kind: 'external' })
  assert.deepEqual(deleterOf(pv('t', { source: { hostPath: { path: '/tmp/x' } } })), {
    kind: 'hostPath',
    path: '/tmp/x',
  })
  const backstep = deleterOf(pv('t', { source: { hostPath: { path: '/tmp/../etc' } } }))
  assert.equal(backstep.kind, 'none')
  const home = deleterOf(pv('t', { source: { hostPath: { path: '/home/me/tmp/x' } } }))
  assert.deepEqual(home, {
    kind: 'none',
    message: 'host_path deleter only supports /tmp/.+ but received provided /home/me/tmp/x',
  })
  assert.deepEqual(deleterOf(pv('n')), {
    kind: 'none',
    message: 'error getting deleter volume plugin for volume "n": no deletable volume plugin matched',
  })
})
