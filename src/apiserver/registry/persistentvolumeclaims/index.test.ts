import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { PersistentVolumeClaim, PersistentVolumeClaimSpec } from '../../../api/core.js'
import type { StorageClass } from '../../../api/storage.js'
import { type FieldError, formatFieldErrors } from '../../../machinery/field-error.js'
import { strategy } from './index.js'

const fmt = (errs: FieldError[]) => (errs.length ? formatFieldErrors(errs) : '')
const pvc = (spec: PersistentVolumeClaimSpec, name = 'my-pvc'): PersistentVolumeClaim => ({
  metadata: { name, namespace: 'default' },
  spec,
})
const prepared = (p: PersistentVolumeClaim) => {
  const obj = structuredClone(p)
  strategy.defaults!(obj)
  strategy.prepareForCreate!(obj)
  return obj
}
const rwo5 = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } }

describe('persistentvolumeclaims strategy', () => {
  it('defaults volumeMode and the Pending phase', () => {
    const obj = prepared(pvc(rwo5))
    assert.equal(obj.spec?.volumeMode, 'Filesystem')
    assert.deepEqual(obj.status, { phase: 'Pending' })
  })

  it('validates with upstream messages', () => {
    const cases: { name: string; spec: PersistentVolumeClaimSpec; want: string }[] = [
      { name: 'claim template', spec: rwo5, want: '' },
      {
        name: 'seed typo request: (field dropped by the decoder)',
        spec: { accessModes: ['ReadWriteMany'], resources: {} },
        want: 'spec.resources[storage]: Required value',
      },
      {
        name: 'no access modes',
        spec: { resources: { requests: { storage: '1Gi' } } },
        want: 'spec.accessModes: Required value: at least 1 access mode is required',
      },
      {
        name: 'zero size',
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '0' } } },
        want: 'spec.resources[storage]: Invalid value: "0": must be greater than zero',
      },
      {
        name: 'bad class',
        spec: { ...rwo5, storageClassName: 'Fast_Disks' },
        want: `spec.storageClassName: Invalid value: "Fast_Disks": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      },
      {
        name: 'selector',
        spec: { ...rwo5, selector: { matchExpressions: [{ key: 'a', operator: 'Is' }] } },
        want: 'spec.selector.matchExpressions[0].operator: Invalid value: "Is": not a valid selector operator',
      },
      {
        name: 'data source kind',
        spec: { ...rwo5, dataSource: { kind: 'Snapshot', name: 's' } },
        want: `[spec.dataSource: Invalid value: "Snapshot": must be 'PersistentVolumeClaim' when referencing the default apiGroup, spec.dataSourceRef: Invalid value: "Snapshot": must be 'PersistentVolumeClaim' when referencing the default apiGroup]`,
      },
    ]
    for (const c of cases) assert.equal(fmt(strategy.validate!(prepared(pvc(c.spec)))), c.want, c.name)
  })

  it('allows binding and growth of bound claims only', () => {
    const old = prepared(pvc(rwo5))
    const cases: { name: string; edit: (p: PersistentVolumeClaim) => void; want: string | RegExp }[] = [
      { name: 'binder sets volumeName', edit: p => (p.spec!.volumeName = 'pv001'), want: '' },
      { name: 'labels', edit: p => (p.metadata.labels = { a: 'b' }), want: '' },
      {
        name: 'access modes',
        edit: p => (p.spec!.accessModes = ['ReadWriteMany']),
        want: /^spec: Forbidden: spec is immutable after creation except resources\.requests and volumeAttributesClassName for bound claims\n/,
      },
      {
        name: 'grow unbound',
        edit: p => (p.spec!.resources = { requests: { storage: '10Gi' } }),
        want: /^spec: Forbidden: spec is immutable after creation/,
      },
      {
        name: 'grow bound',
        edit: p => {
          p.status = { phase: 'Bound' }
          p.spec!.resources = { requests: { storage: '10Gi' } }
        },
        want: '',
      },
      {
        name: 'shrink bound below capacity',
        edit: p => {
          p.status = { phase: 'Bound' }
          p.spec!.resources = { requests: { storage: '1Gi' } }
        },
        want: 'spec.resources.requests.storage: Forbidden: field can not be less than status.capacity',
      },
    ]
    for (const c of cases) {
      const before = structuredClone(old)
      if (c.name.startsWith('shrink')) before.status = { phase: 'Bound', capacity: { storage: '5Gi' } }
      const next = structuredClone(before)
      c.edit(next)
      const got = fmt(strategy.validateUpdate!(next, before))
      if (typeof c.want === 'string') assert.equal(got, c.want, c.name)
      else assert.match(got, c.want, c.name)
    }
    const rebind = structuredClone(old)
    rebind.spec!.volumeName = 'pv001'
    const moved = structuredClone(rebind)
    moved.spec!.volumeName = 'pv002'
    assert.match(fmt(strategy.validateUpdate!(moved, rebind)), /^spec: Forbidden: spec is immutable/)
  })

  it('admits growth only for bound claims of expandable classes', async () => {
    const classes: StorageClass[] = [
      { metadata: { name: 'fast' }, provisioner: 'x', allowVolumeExpansion: true },
      { metadata: { name: 'slow' }, provisioner: 'x' },
    ]
    const ctx = { list: async () => classes }
    const bound = (cls: string) => {
      const p = prepared(pvc({ ...rwo5, storageClassName: cls }))
      p.status = { phase: 'Bound' }
      return p
    }
    const grow = (p: PersistentVolumeClaim) => {
      const n = structuredClone(p)
      n.spec!.resources = { requests: { storage: '10Gi' } }
      return n
    }
    const err = (e: unknown) => (e as Error).message
    assert.equal(await strategy.admitUpdate!(grow(bound('fast')), bound('fast'), ctx).then(() => 'ok', err), 'ok')
    assert.equal(
      await strategy.admitUpdate!(grow(bound('slow')), bound('slow'), ctx).then(() => 'ok', err),
      'persistentvolumeclaims "my-pvc" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
    )
    const pending = prepared(pvc({ ...rwo5, storageClassName: 'fast' }))
    assert.equal(
      await strategy.admitUpdate!(grow(pending), pending, ctx).then(() => 'ok', err),
      'persistentvolumeclaims "my-pvc" is forbidden: Only bound persistent volume claims can be expanded',
    )
  })

  it('prints the kubectl get pvc columns', () => {
    const now = Date.parse('2025-01-01T01:00:00Z')
    const pending = prepared(pvc(rwo5, 'www-web-0'))
    pending.metadata.creationTimestamp = '2025-01-01T00:00:00Z'
    const bound = structuredClone(pending)
    bound.spec!.volumeName = 'pv002'
    bound.spec!.storageClassName = 'standard'
    bound.status = { phase: 'Bound', capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'] }
    const deleting = structuredClone(bound)
    deleting.metadata.deletionTimestamp = '2025-01-01T00:59:00Z'
    const cases: { name: string; in: PersistentVolumeClaim; want: unknown[] }[] = [
      { name: 'pending', in: pending, want: ['www-web-0', 'Pending', '', '', '', '', '<unset>', '60m', 'Filesystem'] },
      {
        name: 'bound',
        in: bound,
        want: ['www-web-0', 'Bound', 'pv002', '5Gi', 'RWO', 'standard', '<unset>', '60m', 'Filesystem'],
      },
      {
        name: 'terminating',
        in: deleting,
        want: ['www-web-0', 'Terminating', 'pv002', '5Gi', 'RWO', 'standard', '<unset>', '60m', 'Filesystem'],
      },
    ]
    for (const c of cases) assert.deepEqual(strategy.printer!.cells(c.in, now), c.want, c.name)
    assert.deepEqual(
      strategy.printer!.columns.map(c => c.name),
      [
        'Name',
        'Status',
        'Volume',
        'Capacity',
        'Access Modes',
        'StorageClass',
        'VolumeAttributesClass',
        'Age',
        'VolumeMode',
      ],
    )
  })
})
