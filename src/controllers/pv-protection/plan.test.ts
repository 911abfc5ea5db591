/** Table tests of the protection decisions. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { PersistentVolume } from '../../api/core.js'
import type { KObject } from '../../api/meta.js'
import type { Pod } from '../../api/pod.js'
import {
  claimKeysOf,
  PVCProtectionFinalizer,
  PVProtectionFinalizer,
  planClaimProtection,
  planVolumeProtection,
  podUsesClaim,
  withFinalizer,
} from './plan.js'

const obj = (finalizers: string[], deleting: boolean): KObject => ({
  metadata: {
    name: 'x',
    namespace: 'ns',
    finalizers,
    ...(deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
  },
})
const pvcF = [PVCProtectionFinalizer]

test('claims: add to a live claim, remove from an unused deleting claim, keep a used one', () => {
  assert.equal(planClaimProtection(obj([], false), false), 'add')
  assert.equal(planClaimProtection(obj(pvcF, false), false), 'none')
  assert.equal(planClaimProtection(obj(pvcF, true), false), 'remove')
  assert.equal(planClaimProtection(obj(pvcF, true), true), 'none')
  assert.equal(planClaimProtection(obj([], true), false), 'none', 'a deleting claim never gets it back')
})

const vol = (phase: string, finalizers: string[], deleting: boolean): PersistentVolume => ({
  ...obj(finalizers, deleting),
  status: { phase },
})

test('volumes: a deleting volume keeps the finalizer while Bound', () => {
  assert.equal(planVolumeProtection(vol('Available', [], false)), 'add')
  assert.equal(planVolumeProtection(vol('Bound', [PVProtectionFinalizer], true)), 'none')
  assert.equal(planVolumeProtection(vol('Released', [PVProtectionFinalizer], true)), 'remove')
  assert.equal(planVolumeProtection(vol('Available', [PVProtectionFinalizer], true)), 'remove')
})

const pod = (o: { node?: string; claim?: string; phase?: string; deleting?: boolean }): Pod => ({
  metadata: {
    name: 'p',
    namespace: 'ns',
    ...(o.deleting ? { deletionTimestamp: 't', deletionGracePeriodSeconds: 0 } : {}),
  },
  spec: {
    ...(o.node ? { nodeName: o.node } : {}),
    containers: [{ name: 'c', image: 'i' }],
    volumes: [
      { name: 'cfg', configMap: { name: 'c' } },
      ...(o.claim ? [{ name: 'data', persistentVolumeClaim: { claimName: o.claim } }] : []),
    ],
  },
  status: { phase: o.phase ?? 'Running' },
})

test('a scheduled pod mounting the claim uses it; unscheduled or other pods do not', () => {
  assert.equal(podUsesClaim(pod({ node: 'n', claim: 'data' }), 'data'), true)
  assert.equal(podUsesClaim(pod({ claim: 'data' }), 'data'), false)
  assert.equal(podUsesClaim(pod({ node: 'n', claim: 'other' }), 'data'), false)
  // As upstream: the pod object, not its phase, holds the claim.
  assert.equal(podUsesClaim(pod({ node: 'n', claim: 'data', phase: 'Succeeded' }), 'data'), true)
  assert.equal(podUsesClaim(pod({ node: 'n', claim: 'data', deleting: true }), 'data'), true)
  assert.deepEqual(claimKeysOf(pod({ claim: 'data' })), ['ns/data'])
})

test('withFinalizer copies, adds once, removes', () => {
  const o = Object.freeze(obj(['other'], false)) as KObject
  const added = withFinalizer(o, PVCProtectionFinalizer, 'add')
  assert.deepEqual(added.metadata.finalizers, ['other', PVCProtectionFinalizer])
  assert.deepEqual(withFinalizer(added, PVCProtectionFinalizer, 'add').metadata.finalizers, [
    'other',
    PVCProtectionFinalizer,
  ])
  assert.deepEqual(withFinalizer(added, PVCProtectionFinalizer, 'remove').metadata.finalizers, ['other'])
  assert.deepEqual(o.metadata.finalizers, ['other'])
})
