/** Tests of the binding edits: what each write contains, and that a finished binding writes nothing. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  claimBoundToVolume,
  claimWithProvisioner,
  claimWithStatus,
  volumeBoundToClaim,
  volumeUnbound,
  volumeWithPhase,
} from './bind.js'
import { pv, pvc } from './test-fixtures.js'

test('binding a free volume sets claimRef (uid, resourceVersion) and bound-by-controller', () => {
  const v = volumeBoundToClaim(pv('pv1'), pvc('a'))!
  assert.deepEqual(v.spec?.claimRef, {
    kind: 'PersistentVolumeClaim',
    namespace: 'default',
    name: 'a',
    uid: 'uid-a',
    apiVersion: 'v1',
    resourceVersion: '1',
  })
  assert.equal(v.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes')
})

test('a user pre-binding gets the uid but not the bound-by-controller annotation', () => {
  const v = volumeBoundToClaim(pv('pv1', { claim: { name: 'a' } }), pvc('a'))!
  assert.equal(v.spec?.claimRef?.uid, 'uid-a')
  assert.equal(v.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], undefined)
})

test('an already bound volume needs no write', () => {
  assert.equal(volumeBoundToClaim(pv('pv1', { claim: { name: 'a', uid: 'uid-a' } }), pvc('a')), undefined)
  assert.equal(volumeWithPhase(pv('pv1', { phase: 'Bound' }), 'Bound'), undefined)
})

test('the claim gets volumeName and both annotations; the status copies modes and capacity', () => {
  const volume = pv('pv1', { modes: ['ReadWriteMany', 'ReadWriteOnce'], size: '10Gi' })
  const c = claimBoundToVolume(pvc('a'), volume)!
  assert.equal(c.spec?.volumeName, 'pv1')
  assert.deepEqual(c.metadata.annotations, {
    'pv.kubernetes.io/bound-by-controller': 'yes',
    'pv.kubernetes.io/bind-completed': 'yes',
  })
  const s = claimWithStatus(c, 'Bound', volume)!
  assert.deepEqual(s.status, {
    phase: 'Bound',
    accessModes: ['ReadWriteMany', 'ReadWriteOnce'],
    capacity: { storage: '10Gi' },
  })
  assert.equal(claimWithStatus(s, 'Bound', volume), undefined)
})

test('a claim pre-bound by the user gets only bind-completed', () => {
  const c = claimBoundToVolume(pvc('a', { volumeName: 'pv1' }), pv('pv1'))!
  assert.deepEqual(c.metadata.annotations, { 'pv.kubernetes.io/bind-completed': 'yes' })
})

test('Pending clears accessModes and capacity', () => {
  const c = pvc('a', { phase: 'Bound' })
  c.status = { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } }
  assert.deepEqual(claimWithStatus(c, 'Pending')?.status, { phase: 'Pending' })
})

test('unbinding drops a controller binding and keeps a user pre-binding by name', () => {
  const ours = volumeUnbound(
    pv('pv1', { claim: { name: 'a', uid: 'uid-a' }, annotations: { 'pv.kubernetes.io/bound-by-controller': 'yes' } }),
  )
  assert.equal(ours.spec?.claimRef, undefined)
  assert.equal(ours.metadata.annotations, undefined)
  const users = volumeUnbound(pv('pv1', { claim: { name: 'a', uid: 'uid-a' } }))
  assert.deepEqual(users.spec?.claimRef?.name, 'a')
  assert.equal(users.spec?.claimRef?.uid, undefined)
})

test('the provisioner annotation is written in both spellings, once', () => {
  const c = claimWithProvisioner(pvc('a'), 'petset.dev/local-path')!
  assert.deepEqual(c.metadata.annotations, {
    'volume.beta.kubernetes.io/storage-provisioner': 'petset.dev/local-path',
    'volume.kubernetes.io/storage-provisioner': 'petset.dev/local-path',
  })
  assert.equal(claimWithProvisioner(c, 'petset.dev/local-path'), undefined)
})

test('edits never touch the (frozen) input', () => {
  const frozen = Object.freeze(pv('pv1')) as ReturnType<typeof pv>
  assert.doesNotThrow(() => volumeBoundToClaim(frozen, pvc('a')))
  assert.equal(frozen.spec?.claimRef, undefined)
})
