/** Table tests of the provisioner's decisions and of the volume it creates. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Node, PersistentVolume, PersistentVolumeClaim } from '../../api/core.js'
import type { StorageClass } from '../../api/storage.js'
import {
  chooseNode,
  classToProvision,
  newProvisionedVolume,
  planDefaultClass,
  shouldDelete,
  unsupportedReason,
  volumeNameFor,
} from './plan.js'

const ours = 'petset.dev/local-path'
const cls = (name: string, mode = 'Immediate', provisioner = ours, isDefault = false): StorageClass => ({
  metadata: {
    name,
    ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}),
  },
  provisioner,
  reclaimPolicy: 'Delete',
  volumeBindingMode: mode,
})
const claim = (className: string, annotations: Record<string, string> = {}): PersistentVolumeClaim => ({
  metadata: { name: 'data', namespace: 'ns', uid: 'u1', resourceVersion: '7', annotations },
  spec: {
    storageClassName: className,
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '1Mi' } },
    volumeMode: 'Filesystem',
  },
})
const handed = { 'volume.kubernetes.io/storage-provisioner': ours }
const node = (name: string, ready: boolean): Node => ({
  metadata: { name },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
})

test('the default class is created only when no class uses local-path, and is default only if none is', () => {
  assert.deepEqual(planDefaultClass([]), {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: ours,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  })
  assert.equal(planDefaultClass([cls('mine')]), undefined)
  const other = planDefaultClass([cls('nfs', 'Immediate', 'example.com/nfs', true)])
  assert.equal(other?.metadata.annotations, undefined)
})

const provisionCases: { name: string; claim: PersistentVolumeClaim; classes: StorageClass[]; want?: string }[] = [
  { name: 'Immediate class handed to us', claim: claim('fast', handed), classes: [cls('fast')], want: 'fast' },
  { name: 'not handed to us yet (no annotation)', claim: claim('fast'), classes: [cls('fast')] },
  {
    name: 'the beta annotation also counts',
    claim: claim('fast', { 'volume.beta.kubernetes.io/storage-provisioner': ours }),
    classes: [cls('fast')],
    want: 'fast',
  },
  {
    name: 'handed to another provisioner',
    claim: claim('fast', { 'volume.kubernetes.io/storage-provisioner': 'example.com/nfs' }),
    classes: [cls('fast')],
  },
  {
    name: 'WaitForFirstConsumer without a selected node waits',
    claim: claim('std', handed),
    classes: [cls('std', 'WaitForFirstConsumer')],
  },
  {
    name: 'WaitForFirstConsumer with a selected node provisions',
    claim: claim('std', { ...handed, 'volume.kubernetes.io/selected-node': 'node-1' }),
    classes: [cls('std', 'WaitForFirstConsumer')],
    want: 'std',
  },
  { name: 'the class is missing', claim: claim('gone', handed), classes: [] },
  {
    name: 'already bound',
    claim: { ...claim('fast', handed), spec: { ...claim('fast').spec, volumeName: 'pv1' } },
    classes: [cls('fast')],
  },
]

for (const c of provisionCases)
  test(`classToProvision: ${c.name}`, () => {
    assert.equal(classToProvision(c.claim, c.classes)?.metadata.name, c.want)
  })

test('chooseNode: the selected node, else the local node, else the first Ready node by name', () => {
  const nodes = [node('node-3', true), node('node-1', false), node('node-2', true)]
  assert.equal(chooseNode(claim('x', { 'volume.kubernetes.io/selected-node': 'node-1' }), nodes, 'local'), 'node-1')
  assert.equal(chooseNode(claim('x'), nodes, 'local'), 'local')
  assert.equal(chooseNode(claim('x'), nodes, undefined), 'node-2')
  assert.equal(chooseNode(claim('x'), [node('n', false)], undefined), undefined)
})

test('the provisioned volume: local source, node affinity, claim size and modes, pre-bound, class policy', () => {
  const c = claim('fast', handed)
  const v = newProvisionedVolume({
    claim: c,
    storageClass: cls('fast'),
    name: volumeNameFor(c),
    path: '/d/v/pvc-u1',
    node: 'n1',
  })
  assert.deepEqual(v, {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'pvc-u1', annotations: { 'pv.kubernetes.io/provisioned-by': ours } },
    spec: {
      capacity: { storage: '1Mi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'fast',
      volumeMode: 'Filesystem',
      claimRef: {
        kind: 'PersistentVolumeClaim',
        apiVersion: 'v1',
        namespace: 'ns',
        name: 'data',
        uid: 'u1',
        resourceVersion: '7',
      },
      local: { path: '/d/v/pvc-u1' },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] },
          ],
        },
      },
    },
  } satisfies PersistentVolume)
})

test('unsupported claims: block volumes, data sources, selectors', () => {
  const base = claim('fast', handed)
  assert.equal(unsupportedReason(base), undefined)
  assert.match(unsupportedReason({ ...base, spec: { ...base.spec, volumeMode: 'Block' } }) ?? '', /block/)
  assert.match(unsupportedReason({ ...base, spec: { ...base.spec, selector: {} } }) ?? '', /Selector/)
})

test('shouldDelete: our Released volumes with policy Delete that are not already going away', () => {
  const v = (phase: string, policy = 'Delete', by = ours, deleting = false): PersistentVolume => ({
    metadata: {
      name: 'pvc-1',
      annotations: { 'pv.kubernetes.io/provisioned-by': by },
      ...(deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
    },
    spec: { persistentVolumeReclaimPolicy: policy },
    status: { phase },
  })
  assert.equal(shouldDelete(v('Released')), true)
  assert.equal(shouldDelete(v('Bound')), false)
  assert.equal(shouldDelete(v('Released', 'Retain')), false)
  assert.equal(shouldDelete(v('Released', 'Delete', 'example.com/nfs')), false)
  assert.equal(shouldDelete(v('Released', 'Delete', ours, true)), false)
})
