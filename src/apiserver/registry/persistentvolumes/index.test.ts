import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { PersistentVolume, PersistentVolumeSpec } from '../../../api/core.js'
import { type FieldError, formatFieldErrors } from '../../../machinery/field-error.js'
import { setPersistentVolumeClock, strategy } from './index.js'

const fmt = (errs: FieldError[]) => (errs.length ? formatFieldErrors(errs) : '')
const pv = (spec: PersistentVolumeSpec, name = 'pv001'): PersistentVolume => ({ metadata: { name }, spec })
const nfs = { nfs: { path: '/data/volumes/v1', server: 'node2' } }
const prepared = (p: PersistentVolume) => {
  const obj = structuredClone(p)
  strategy.defaults!(obj)
  strategy.prepareForCreate!(obj)
  return obj
}

describe('persistentvolumes strategy', () => {
  setPersistentVolumeClock(() => Date.parse('2025-01-01T00:00:00Z'))

  it('defaults reclaim policy, volume mode and the Pending phase', () => {
    const obj = prepared(pv({ ...nfs, accessModes: ['ReadWriteMany', 'ReadWriteOnce'], capacity: { storage: '5Gi' } }))
    assert.equal(obj.spec?.persistentVolumeReclaimPolicy, 'Retain')
    assert.equal(obj.spec?.volumeMode, 'Filesystem')
    assert.deepEqual(obj.status, { phase: 'Pending', lastPhaseTransitionTime: '2025-01-01T00:00:00Z' })
    const hp = prepared(
      pv({ hostPath: { path: '/tmp/pv-a' }, accessModes: ['ReadWriteOnce'], capacity: { storage: '1Mi' } }),
    )
    assert.equal(hp.spec?.hostPath?.type, '')
  })

  it('validates with upstream messages', () => {
    const ok = { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Mi' } }
    const cases: { name: string; spec: PersistentVolumeSpec; want: string }[] = [
      {
        name: 'seed nfs',
        spec: { ...nfs, accessModes: ['ReadWriteMany', 'ReadWriteOnce'], capacity: { storage: '5Gi' } },
        want: '',
      },
      {
        name: 'seed hostPath recycle',
        spec: { ...ok, persistentVolumeReclaimPolicy: 'Recycle', hostPath: { path: '/tmp/pv-a' } },
        want: '',
      },
      {
        name: 'no access modes',
        spec: { ...nfs, capacity: { storage: '1Mi' } },
        want: 'spec.accessModes: Required value',
      },
      {
        name: 'bad access mode',
        spec: { ...nfs, ...ok, accessModes: ['ReadWriteSometimes'] },
        want: 'spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      },
      {
        name: 'RWOP with others',
        spec: { ...nfs, ...ok, accessModes: ['ReadWriteOncePod', 'ReadWriteOnce'] },
        want: 'spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
      },
      {
        name: 'no capacity',
        spec: { ...nfs, accessModes: ['ReadWriteOnce'] },
        want: '[spec.capacity: Required value, spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage"]',
      },
      {
        name: 'zero capacity',
        spec: { ...nfs, accessModes: ['ReadWriteOnce'], capacity: { storage: '0' } },
        want: 'spec.capacity[storage]: Invalid value: "0": must be greater than zero',
      },
      { name: 'no source', spec: ok, want: 'spec: Required value: must specify a volume type' },
      {
        name: 'two sources',
        spec: { ...ok, ...nfs, hostPath: { path: '/x' } },
        want: 'spec.nfs: Forbidden: may not specify more than 1 volume type',
      },
      {
        name: 'relative nfs path',
        spec: { ...ok, nfs: { server: 'node2', path: 'data' } },
        want: 'spec.nfs.path: Invalid value: "data": must be an absolute path',
      },
      {
        name: 'nfs without server and path',
        spec: { ...ok, nfs: { server: '', path: '' } },
        want: '[spec.nfs.server: Required value, spec.nfs.path: Required value, spec.nfs.path: Invalid value: "": must be an absolute path]',
      },
      {
        name: 'hostPath backsteps',
        spec: { ...ok, hostPath: { path: '/a/../b' } },
        want: `spec.hostPath.path: Invalid value: "/a/../b": must not contain '..'`,
      },
      {
        name: 'hostPath type',
        spec: { ...ok, hostPath: { path: '/a', type: 'Dir' } },
        want: 'spec.hostPath.type: Unsupported value: "Dir": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"',
      },
      {
        name: 'recycle root',
        spec: { ...ok, hostPath: { path: '/' }, persistentVolumeReclaimPolicy: 'Recycle' },
        want: "spec.persistentVolumeReclaimPolicy: Forbidden: may not be 'recycle' for a hostPath mount of '/'",
      },
      {
        name: 'local needs affinity',
        spec: { ...ok, local: { path: '/mnt/disk' } },
        want: 'spec.nodeAffinity: Required value: Local volume requires node affinity',
      },
      {
        name: 'local with affinity',
        spec: {
          ...ok,
          local: { path: '/mnt/disk' },
          nodeAffinity: {
            required: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }] },
              ],
            },
          },
        },
        want: '',
      },
      {
        name: 'affinity without values',
        spec: {
          ...ok,
          local: { path: '/mnt/disk' },
          nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'In' }] }] } },
        },
        want: "spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      },
      {
        name: 'csi',
        spec: { ...ok, csi: { driver: '', volumeHandle: '' } },
        // Upstream also runs the subdomain check on the empty driver name.
        want: `[spec.csi.driver: Required value, spec.csi.driver: Invalid value: "": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), spec.csi.volumeHandle: Required value]`,
      },
      {
        name: 'bad reclaim policy',
        spec: { ...ok, ...nfs, persistentVolumeReclaimPolicy: 'Keep' },
        want: 'spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"',
      },
      {
        name: 'bad volume mode',
        spec: { ...ok, ...nfs, volumeMode: 'Raw' },
        want: 'spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"',
      },
    ]
    for (const c of cases) assert.equal(fmt(strategy.validate!(prepared(pv(c.spec)))), c.want, c.name)
  })

  it('keeps the volume source fixed on update', () => {
    const old = prepared(pv({ ...nfs, accessModes: ['ReadWriteOnce'], capacity: { storage: '5Gi' } }))
    const bound = structuredClone(old)
    bound.spec!.claimRef = { namespace: 'default', name: 'myappdata-myapp-0' }
    assert.equal(fmt(strategy.validateUpdate!(bound, old)), '')
    const moved = structuredClone(old)
    moved.spec!.nfs = { server: 'node2', path: '/data/volumes/v9' }
    assert.match(
      fmt(strategy.validateUpdate!(moved, old)),
      /^spec\.persistentvolumesource: Forbidden: spec\.persistentvolumesource is immutable after creation\n/,
    )
    const block = structuredClone(old)
    block.spec!.volumeMode = 'Block'
    assert.equal(fmt(strategy.validateUpdate!(block, old)), 'volumeMode: Invalid value: "Block": field is immutable')
  })

  it('stamps lastPhaseTransitionTime when the phase changes through /status', () => {
    const old = prepared(pv({ ...nfs, accessModes: ['ReadWriteOnce'], capacity: { storage: '5Gi' } }))
    setPersistentVolumeClock(() => Date.parse('2025-01-01T00:01:00Z'))
    const next = structuredClone(old)
    next.status = { phase: 'Available' }
    next.spec!.capacity = { storage: '1Gi' }
    strategy.prepareForStatusUpdate!(next, old)
    assert.deepEqual(next.status, { phase: 'Available', lastPhaseTransitionTime: '2025-01-01T00:01:00Z' })
    assert.equal(next.spec?.capacity?.storage, '5Gi')
    const same = structuredClone(old)
    same.status = { phase: 'Pending', message: 'x' }
    strategy.prepareForStatusUpdate!(same, old)
    assert.equal(same.status?.lastPhaseTransitionTime, '2025-01-01T00:00:00Z')
  })

  it('prints the kubectl get pv columns', () => {
    const now = Date.parse('2025-01-01T00:00:42Z')
    const base = prepared(pv({ ...nfs, accessModes: ['ReadWriteMany', 'ReadWriteOnce'], capacity: { storage: '5Gi' } }))
    base.metadata.creationTimestamp = '2025-01-01T00:00:00Z'
    const bound = structuredClone(base)
    bound.spec!.claimRef = { namespace: 'default', name: 'myappdata-myapp-0' }
    bound.status = { phase: 'Bound' }
    bound.metadata.annotations = { 'volume.beta.kubernetes.io/storage-class': 'slow' }
    const deleting = structuredClone(base)
    deleting.metadata.deletionTimestamp = '2025-01-01T00:00:40Z'
    const cases: { name: string; in: PersistentVolume; want: unknown[] }[] = [
      {
        name: 'pending',
        in: base,
        want: ['pv001', '5Gi', 'RWO,RWX', 'Retain', 'Pending', '', '', '<unset>', '', '42s', 'Filesystem'],
      },
      {
        name: 'bound',
        in: bound,
        want: [
          'pv001',
          '5Gi',
          'RWO,RWX',
          'Retain',
          'Bound',
          'default/myappdata-myapp-0',
          'slow',
          '<unset>',
          '',
          '42s',
          'Filesystem',
        ],
      },
      {
        name: 'terminating',
        in: deleting,
        want: ['pv001', '5Gi', 'RWO,RWX', 'Retain', 'Terminating', '', '', '<unset>', '', '42s', 'Filesystem'],
      },
    ]
    for (const c of cases) assert.deepEqual(strategy.printer!.cells(c.in, now), c.want, c.name)
    assert.deepEqual(
      strategy.printer!.columns.map(c => c.name),
      [
        'Name',
        'Capacity',
        'Access Modes',
        'Reclaim Policy',
        'Status',
        'Claim',
        'StorageClass',
        'VolumeAttributesClass',
        'Reason',
        'Age',
        'VolumeMode',
      ],
    )
  })
})
