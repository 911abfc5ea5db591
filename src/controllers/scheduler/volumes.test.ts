/**
 * Volume binding checks: claims missing, being deleted, bound (PV node affinity), unbound
 * Immediate, unbound WaitForFirstConsumer (allowedTopologies, a sticky selected-node), and the
 * whole cycle's messages for them.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/core.js'
import type { StorageClass } from '../../api/storage.js'
import { SchedulerCache } from './cache.js'
import { scheduleOne } from './cycle.js'
import { makeNode, makePod } from './testing.js'
import { AnnSelectedNode, podVolumes, type VolumeLookup, VolumeReasons } from './volumes.js'

const claim = (
  name: string,
  opts: { class?: string; volume?: string; bound?: boolean; selected?: string; deleting?: boolean } = {},
) =>
  ({
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      annotations: opts.selected ? { [AnnSelectedNode]: opts.selected } : undefined,
      deletionTimestamp: opts.deleting ? '2024-01-01T00:00:00Z' : undefined,
    },
    spec: { storageClassName: opts.class ?? '', volumeName: opts.volume },
    status: { phase: opts.bound ? 'Bound' : 'Pending' },
  }) as PersistentVolumeClaim

const pinnedPV = (name: string, node: string): PersistentVolume => ({
  metadata: { name },
  spec: {
    nodeAffinity: {
      required: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }],
      },
    },
  },
})

const classes: Record<string, StorageClass> = {
  wffc: { metadata: { name: 'wffc' }, provisioner: 'x', volumeBindingMode: 'WaitForFirstConsumer' },
  immediate: { metadata: { name: 'immediate' }, provisioner: 'x', volumeBindingMode: 'Immediate' },
  zoned: {
    metadata: { name: 'zoned' },
    provisioner: 'x',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowedTopologies: [{ matchLabelExpressions: [{ key: 'zone', values: ['b'] }] }],
  },
}

const nodes = [makeNode('node-1', { labels: { zone: 'a' } }), makeNode('node-2', { labels: { zone: 'b' } })]

function lookupOf(claims: PersistentVolumeClaim[], pvs: PersistentVolume[] = []): VolumeLookup {
  return {
    claim: (_, name) => claims.find(c => c.metadata.name === name),
    volume: name => pvs.find(v => v.metadata.name === name),
    storageClass: name => classes[name],
    nodeExists: name => nodes.some(n => n.metadata.name === name),
  }
}

const podUsing = (...names: string[]) =>
  makePod('db-0', { spec: { volumes: names.map(n => ({ name: n, persistentVolumeClaim: { claimName: n } })) } })

function schedule(claims: PersistentVolumeClaim[], pvs: PersistentVolume[] = []) {
  const pod = podUsing(...(claims.length ? claims.map(c => c.metadata.name!) : ['data']))
  const lookup = lookupOf(claims, pvs)
  const cache = new SchedulerCache()
  const r = scheduleOne({ pod, nodes, usageOf: n => cache.usageOf(n), volumes: podVolumes(pod, lookup), lookup })
  return 'node' in r ? r.node : `${r.failure.reason}: ${r.failure.message}`
}

const notHelpful = 'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.'

describe('volume binding', () => {
  const cases: { name: string; claims: PersistentVolumeClaim[]; pvs?: PersistentVolume[]; want: string }[] = [
    {
      name: 'a missing claim',
      claims: [],
      want: `Unschedulable: 0/2 nodes are available: persistentvolumeclaim "data" not found. ${notHelpful}`,
    },
    {
      name: 'a claim being deleted',
      claims: [claim('data', { deleting: true })],
      want: `Unschedulable: 0/2 nodes are available: persistentvolumeclaim "data" is being deleted. ${notHelpful}`,
    },
    {
      name: 'an unbound Immediate claim',
      claims: [claim('data', { class: 'immediate' })],
      want: `Unschedulable: 0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. ${notHelpful}`,
    },
    {
      name: 'an unbound claim without a class waits for the PV controller',
      claims: [claim('data')],
      want: `Unschedulable: 0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. ${notHelpful}`,
    },
    {
      name: 'an unknown class is a scheduler error',
      claims: [claim('data', { class: 'nope' })],
      want: 'SchedulerError: running PreFilter plugin "VolumeBinding": storageclass.storage.k8s.io "nope" not found',
    },
    {
      name: 'a bound claim follows its PV node affinity',
      claims: [claim('data', { volume: 'pv', bound: true })],
      pvs: [pinnedPV('pv', 'node-2')],
      want: 'node-2',
    },
    {
      name: 'two bound claims pinned to different nodes conflict',
      claims: [claim('a', { volume: 'pv-a', bound: true }), claim('b', { volume: 'pv-b', bound: true })],
      pvs: [pinnedPV('pv-a', 'node-1'), pinnedPV('pv-b', 'node-2')],
      want: `Unschedulable: 0/2 nodes are available: 2 node(s) had volume node affinity conflict. ${notHelpful}`,
    },
    {
      name: 'a claim bound to a missing PV',
      claims: [claim('data', { volume: 'gone', bound: true })],
      want: `Unschedulable: 0/2 nodes are available: 2 node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s). ${notHelpful}`,
    },
    { name: 'WaitForFirstConsumer: any node', claims: [claim('data', { class: 'wffc' })], want: 'node-1' },
    { name: 'WaitForFirstConsumer: allowedTopologies', claims: [claim('data', { class: 'zoned' })], want: 'node-2' },
    {
      name: 'WaitForFirstConsumer: a node selected before sticks',
      claims: [claim('data', { class: 'wffc', selected: 'node-2' })],
      want: 'node-2',
    },
    {
      name: 'WaitForFirstConsumer: a selected node that is gone is ignored',
      claims: [claim('data', { class: 'wffc', selected: 'node-9' })],
      want: 'node-1',
    },
  ]
  for (const c of cases) it(c.name, () => assert.equal(schedule(c.claims, c.pvs), c.want))

  it('a claim with no class at all waits (no rejection) while a default class exists', () => {
    // petset has no DefaultStorageClass admission: the PV controller gives such a claim the default
    // class, or binds it to a class-less volume, a moment later.
    const unset = { ...claim('data'), spec: {} } as PersistentVolumeClaim
    const withDefault: VolumeLookup = { ...lookupOf([unset]), hasDefaultClass: () => true }
    const v = podVolumes(podUsing('data'), withDefault)
    assert.deepEqual([v.undecided.map(c => c.metadata.name), v.reject], [['data'], undefined])
    // Without a default class it is an unbound Immediate claim, as upstream.
    assert.equal(podVolumes(podUsing('data'), lookupOf([unset])).reject, VolumeReasons.unboundImmediate)
    // `""` asks for class-less volumes, and the beta annotation names a class: both are decided.
    const empty: VolumeLookup = { ...withDefault, claim: () => claim('data') }
    assert.equal(podVolumes(podUsing('data'), empty).reject, VolumeReasons.unboundImmediate)
    const beta = {
      ...unset,
      metadata: { ...unset.metadata, annotations: { 'volume.beta.kubernetes.io/storage-class': 'wffc' } },
    }
    const annotated = podVolumes(podUsing('data'), { ...withDefault, claim: () => beta })
    assert.deepEqual([annotated.undecided, annotated.delayed.length], [[], 1])
    // Another claim that rejects the pod still does.
    const both = podVolumes(podUsing('data', 'i'), {
      ...withDefault,
      claim: (_, n) => (n === 'i' ? claim('i', { class: 'immediate' }) : unset),
    })
    assert.equal(both.reject, VolumeReasons.unboundImmediate)
  })

  it('classifies claims', () => {
    const claims = [claim('b', { volume: 'pv', bound: true }), claim('d', { class: 'wffc' })]
    const v = podVolumes(podUsing('b', 'd'), lookupOf(claims, [pinnedPV('pv', 'node-1')]))
    assert.deepEqual(
      [v.bound.map(b => b.claim.metadata.name), v.delayed.map(d => d.claim.metadata.name), v.reject],
      [['b'], ['d'], undefined],
    )
  })
})
