/** Table tests of volume matching: smallest fit, access modes, classes, selectors, pre-binding, volumeMode. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/core.js'
import { findBestMatchForClaim, getDefaultClass, isDelayBindingMode, volumeUnsatisfiedReason } from './match.js'
import { pv, pvc, sc } from './test-fixtures.js'

/** The five volumes of seed 003 (pv-demo.yaml): nfs, no class, Retain. */
const seedVolumes = [
  pv('pv001', { modes: ['ReadWriteMany', 'ReadWriteOnce'], size: '5Gi' }),
  pv('pv002', { modes: ['ReadWriteOnce'], size: '5Gi' }),
  pv('pv003', { modes: ['ReadWriteMany', 'ReadWriteOnce'], size: '5Gi' }),
  pv('pv004', { modes: ['ReadWriteMany', 'ReadWriteOnce'], size: '10Gi' }),
  pv('pv005', { modes: ['ReadWriteMany', 'ReadWriteOnce'], size: '10Gi' }),
]

const cases: {
  name: string
  claim: PersistentVolumeClaim
  volumes: PersistentVolume[]
  want: string | undefined
  delayBinding?: boolean
}[] = [
  {
    name: 'a 5Gi RWO claim takes the RWO-only volume before RWO+RWX ones (fewest modes first)',
    claim: pvc('a'),
    volumes: seedVolumes,
    want: 'pv002',
  },
  {
    name: 'with pv002 taken, the smallest RWO+RWX volume wins, ties by name',
    claim: pvc('b'),
    volumes: [
      pv('pv002', { claim: { name: 'a', uid: 'uid-a' }, phase: 'Bound' }),
      ...seedVolumes.slice(2),
      seedVolumes[0],
    ],
    want: 'pv001',
  },
  {
    name: 'the smallest fit wins over a larger one listed first',
    claim: pvc('c', { size: '1Gi' }),
    volumes: [pv('big', { size: '10Gi' }), pv('small', { size: '2Gi' }), pv('tiny', { size: '500Mi' })],
    want: 'small',
  },
  {
    name: 'capacity compares quantities, not strings (1Gi < 1500Mi)',
    claim: pvc('c', { size: '1025Mi' }),
    volumes: [pv('x', { size: '1Gi' }), pv('y', { size: '1500Mi' })],
    want: 'y',
  },
  {
    name: 'an RWX claim cannot take an RWO-only volume',
    claim: pvc('d', { modes: ['ReadWriteMany'] }),
    volumes: [pv('rwo', { modes: ['ReadWriteOnce'] })],
    want: undefined,
  },
  {
    name: 'a claim asking for two modes needs both',
    claim: pvc('d', { modes: ['ReadWriteOnce', 'ReadOnlyMany'] }),
    volumes: [pv('one', { modes: ['ReadWriteOnce'] }), pv('both', { modes: ['ReadOnlyMany', 'ReadWriteOnce'] })],
    want: 'both',
  },
  {
    name: 'a claim without class matches only class-less volumes',
    claim: pvc('e'),
    volumes: [pv('fast', { className: 'fast' }), pv('plain', { size: '10Gi' })],
    want: 'plain',
  },
  {
    name: 'a claim of class "fast" matches only "fast" volumes',
    claim: pvc('e', { className: 'fast' }),
    volumes: [pv('plain'), pv('fast', { className: 'fast', size: '10Gi' })],
    want: 'fast',
  },
  {
    name: 'storageClassName "" matches class-less volumes only',
    claim: pvc('e', { className: '' }),
    volumes: [pv('fast', { className: 'fast' })],
    want: undefined,
  },
  {
    name: 'the label selector filters volumes',
    claim: pvc('f', { selector: { matchLabels: { name: 'pv003' } } }),
    volumes: seedVolumes.map(v => ({ ...v, metadata: { ...v.metadata, labels: { name: v.metadata.name! } } })),
    want: 'pv003',
  },
  {
    name: 'matchExpressions work too',
    claim: pvc('f', { selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['gold'] }] } }),
    volumes: [pv('a', { labels: { tier: 'silver' } }), pv('b', { labels: { tier: 'gold' }, size: '10Gi' })],
    want: 'b',
  },
  {
    name: 'volumeMode must agree (Block claim, Filesystem volume)',
    claim: pvc('g', { mode: 'Block' }),
    volumes: [pv('fs'), pv('blk', { mode: 'Block', size: '10Gi' })],
    want: 'blk',
  },
  {
    name: 'a volume pre-bound to the claim wins over a smaller free one',
    claim: pvc('h', { size: '1Gi' }),
    volumes: [pv('free', { size: '1Gi' }), pv('reserved', { size: '10Gi', claim: { name: 'h' } })],
    want: 'reserved',
  },
  {
    name: 'a volume pre-bound to another claim is skipped',
    claim: pvc('h'),
    volumes: [pv('theirs', { claim: { name: 'other' } })],
    want: undefined,
  },
  {
    name: 'a pre-bound volume with another uid is not ours',
    claim: pvc('h'),
    volumes: [pv('old', { claim: { name: 'h', uid: 'previous-h' } })],
    want: undefined,
  },
  {
    name: 'a pre-bound volume that is too small does not match',
    claim: pvc('h', { size: '10Gi' }),
    volumes: [pv('reserved', { size: '1Gi', claim: { name: 'h' } })],
    want: undefined,
  },
  {
    name: 'volumes not Available are skipped (Pending, Released)',
    claim: pvc('i'),
    volumes: [pv('new', { phase: 'Pending' }), pv('used', { phase: 'Released' })],
    want: undefined,
  },
  {
    name: 'a volume being deleted is skipped',
    claim: pvc('i'),
    volumes: [pv('going', { deleting: true })],
    want: undefined,
  },
  {
    name: 'delayed binding returns only pre-bound volumes',
    claim: pvc('j', { className: 'local' }),
    volumes: [pv('free', { className: 'local' })],
    delayBinding: true,
    want: undefined,
  },
  {
    name: 'delayed binding still returns a provisioned (pre-bound) volume',
    claim: pvc('j', { className: 'local' }),
    volumes: [pv('pvc-uid-j', { className: 'local', claim: { name: 'j', uid: 'uid-j' }, phase: 'Pending' })],
    delayBinding: true,
    want: 'pvc-uid-j',
  },
]

for (const c of cases)
  test(c.name, () => {
    const got = findBestMatchForClaim(c.claim, c.volumes, { delayBinding: c.delayBinding })
    assert.equal(got?.metadata.name, c.want)
  })

test('getDefaultClass: the newest default class wins, then the first name', () => {
  const classes = [
    sc('old', { isDefault: true, created: '2024-01-01T00:00:00Z' }),
    sc('new-b', { isDefault: true, created: '2024-02-01T00:00:00Z' }),
    sc('new-a', { isDefault: true, created: '2024-02-01T00:00:00Z' }),
    sc('plain', { created: '2025-01-01T00:00:00Z' }),
  ]
  assert.equal(getDefaultClass(classes)?.metadata.name, 'new-a')
  assert.equal(getDefaultClass([sc('plain')]), undefined)
})

test('isDelayBindingMode follows the claim class', () => {
  const classes = [sc('wait', { mode: 'WaitForFirstConsumer' }), sc('now')]
  assert.equal(isDelayBindingMode(pvc('a', { className: 'wait' }), classes), true)
  assert.equal(isDelayBindingMode(pvc('a', { className: 'now' }), classes), false)
  assert.equal(isDelayBindingMode(pvc('a', { className: 'missing' }), classes), false)
  assert.equal(isDelayBindingMode(pvc('a'), classes), false)
})

test('volumeUnsatisfiedReason explains why a named volume cannot serve the claim', () => {
  assert.equal(volumeUnsatisfiedReason(pv('v', { size: '1Gi' }), pvc('c')), 'requested PV is too small')
  assert.equal(volumeUnsatisfiedReason(pv('v', { className: 'x' }), pvc('c')), 'storageClassName does not match')
  assert.equal(volumeUnsatisfiedReason(pv('v', { mode: 'Block' }), pvc('c')), 'incompatible volumeMode')
  assert.equal(volumeUnsatisfiedReason(pv('v', { modes: ['ReadOnlyMany'] }), pvc('c')), 'incompatible accessMode')
  assert.equal(volumeUnsatisfiedReason(pv('v'), pvc('c')), undefined)
})
