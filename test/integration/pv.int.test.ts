/**
 * The PV controller against the real API server (memory store): seed 003's five nfs volumes and
 * two 5Gi claims (smallest fit, the CLAIM column), a Retain volume released by its claim's
 * deletion, a hostPath volume recycled, and pv-protection holding a Bound volume.
 * NOTE: no default StorageClass exists here, as on the tutorial's cluster: with one, admission
 * would give seed 003's class-less claims that class and they would be provisioned instead.
 */
import assert from 'node:assert/strict'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { PersistentVolume } from '../../src/api/core.js'
import { PERSISTENT_VOLUME_CLAIMS, PERSISTENT_VOLUMES } from '../../src/client/resources.js'
import { isNotFound } from '../../src/machinery/status-error.js'
import { claim, gone, PvCluster, phaseIs, until } from './pv-harness.js'

let c: PvCluster
before(async () => {
  c = await PvCluster.start()
})
after(async () => {
  await c.stop()
})

/** seed 003's pv-demo.yaml. */
const seedVolumes = [
  ['pv001', ['ReadWriteMany', 'ReadWriteOnce'], '5Gi'],
  ['pv002', ['ReadWriteOnce'], '5Gi'],
  ['pv003', ['ReadWriteMany', 'ReadWriteOnce'], '5Gi'],
  ['pv004', ['ReadWriteMany', 'ReadWriteOnce'], '10Gi'],
  ['pv005', ['ReadWriteMany', 'ReadWriteOnce'], '10Gi'],
] as const

test('seed PVs become Available, and 5Gi RWO claims bind the smallest fit', async () => {
  for (const [name, modes, size] of seedVolumes)
    await c.client.create<PersistentVolume>(PERSISTENT_VOLUMES, {
      metadata: { name, labels: { name, polity: 'fast' } },
      spec: {
        nfs: { path: `/data/volumes/v${name.slice(-1)}`, server: 'node2' },
        accessModes: [...modes],
        capacity: { storage: size },
      },
    })
  for (const [name] of seedVolumes)
    await until(
      phaseIs(() => c.getPV(name), 'Available'),
      `${name} Available`,
    )

  await c.client.create(PERSISTENT_VOLUME_CLAIMS, claim('myappdata-myapp-0', '5Gi'))
  const first = await until(
    phaseIs(() => c.getPVC('myappdata-myapp-0'), 'Bound'),
    'the first claim Bound',
  )
  await c.client.create(PERSISTENT_VOLUME_CLAIMS, claim('myappdata-myapp-1', '5Gi'))
  const second = await until(
    phaseIs(() => c.getPVC('myappdata-myapp-1'), 'Bound'),
    'the second claim Bound',
  )
  // RWO-only pv002 goes first (fewest modes), then the first 5Gi RWO+RWX volume by name.
  assert.equal(first.spec?.volumeName, 'pv002')
  assert.equal(second.spec?.volumeName, 'pv001')
  assert.deepEqual(second.status?.accessModes, ['ReadWriteMany', 'ReadWriteOnce'])
  assert.deepEqual(second.status?.capacity, { storage: '5Gi' })
  assert.equal(second.metadata.annotations?.['pv.kubernetes.io/bind-completed'], 'yes')
  assert.equal(second.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes')
  // A class-less claim keeps no class: it found a class-less volume before the default class applied.
  assert.equal(second.spec?.storageClassName, undefined)

  const pv = await until(
    phaseIs(() => c.getPV('pv001'), 'Bound'),
    'pv001 Bound',
  )
  assert.equal(pv.spec?.claimRef?.name, 'myappdata-myapp-1')
  assert.equal(pv.spec?.claimRef?.uid, second.metadata.uid)
  assert.equal(pv.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes')
  await until(
    async () => (await c.getPV('pv001'))?.metadata.finalizers?.includes('kubernetes.io/pv-protection'),
    'pv-protection',
  )
  await until(
    async () => (await c.getPVC('myappdata-myapp-1'))?.metadata.finalizers?.includes('kubernetes.io/pvc-protection'),
    'pvc-protection',
  )

  // `kubectl get pv` prints the binding in the CLAIM column.
  const table = await c.client.request<{ rows: { cells: string[] }[] }>({
    method: 'GET',
    path: '/api/v1/persistentvolumes',
    accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
  })
  const rows = new Map(table.body.rows.map(r => [r.cells[0], r.cells]))
  assert.equal(rows.get('pv001')?.[5], 'default/myappdata-myapp-1')
  assert.equal(rows.get('pv002')?.[5], 'default/myappdata-myapp-0')
  assert.equal(rows.get('pv003')?.[4], 'Available')
})

test('deleting a claim releases its Retain volume, which keeps the claimRef', async () => {
  await c.client.delete(PERSISTENT_VOLUME_CLAIMS, 'myappdata-myapp-0', { namespace: 'default' })
  await until(
    gone(() => c.getPVC('myappdata-myapp-0')),
    'the claim to go (no pod uses it)',
  )
  const pv = await until(
    phaseIs(() => c.getPV('pv002'), 'Released'),
    'pv002 Released',
  )
  assert.equal(pv.spec?.claimRef?.name, 'myappdata-myapp-0')
  assert.equal(pv.spec?.persistentVolumeReclaimPolicy, 'Retain')
})

test('Recycle scrubs a hostPath volume and makes it Available again', async () => {
  const dir = path.join(c.tmp, 'pv-a')
  await fs.mkdir(path.join(dir, 'sub'), { recursive: true })
  await fs.writeFile(path.join(dir, 'kubia.txt'), 'Data stored on pod kubia-0')
  await fs.writeFile(path.join(dir, 'sub', '.hidden'), 'x')
  await c.client.create<PersistentVolume>(PERSISTENT_VOLUMES, {
    metadata: { name: 'pv-a' },
    spec: {
      capacity: { storage: '1Mi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Recycle',
      hostPath: { path: dir },
    },
  })
  await until(
    phaseIs(() => c.getPV('pv-a'), 'Available'),
    'pv-a Available',
  )
  await c.client.create(PERSISTENT_VOLUME_CLAIMS, claim('data-kubia-0', '1Mi'))
  const bound = await until(
    phaseIs(() => c.getPVC('data-kubia-0'), 'Bound'),
    'data-kubia-0 Bound',
  )
  assert.equal(bound.spec?.volumeName, 'pv-a')
  await c.client.delete(PERSISTENT_VOLUME_CLAIMS, 'data-kubia-0', { namespace: 'default' })
  const recycled = await until(async () => {
    const pv = await c.getPV('pv-a')
    return pv?.status?.phase === 'Available' && !pv.spec?.claimRef ? pv : undefined
  }, 'pv-a recycled')
  assert.equal(recycled.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], undefined)
  assert.deepEqual(await fs.readdir(dir), [], 'the directory is empty')
  const events = await c.eventsFor('pv-a')
  assert.ok(events.some(e => e.reason === 'VolumeRecycled' && e.message === 'Volume recycled'))
})

test('pv-protection keeps a Bound volume until its claim lets go', async () => {
  await c.client.create<PersistentVolume>(PERSISTENT_VOLUMES, {
    metadata: { name: 'pv-keep' },
    spec: { capacity: { storage: '1Mi' }, accessModes: ['ReadWriteOnce'], nfs: { server: 'nfs', path: '/keep' } },
  })
  await c.client.create(PERSISTENT_VOLUME_CLAIMS, claim('keep', '1Mi', { volumeName: 'pv-keep', storageClassName: '' }))
  await until(
    phaseIs(() => c.getPV('pv-keep'), 'Bound'),
    'pv-keep Bound',
  )
  await until(async () => (await c.getPV('pv-keep'))?.metadata.finalizers?.length, 'the pv-protection finalizer')
  await c.client.delete(PERSISTENT_VOLUMES, 'pv-keep')
  await new Promise(r => setTimeout(r, 300))
  const held = await c.getPV('pv-keep')
  assert.ok(held?.metadata.deletionTimestamp, 'the Bound volume is held')
  await c.client.delete(PERSISTENT_VOLUME_CLAIMS, 'keep', { namespace: 'default' })
  await until(async () => isNotFound(await c.client.get(PERSISTENT_VOLUMES, 'pv-keep').catch(e => e)), 'pv-keep to go')
})
