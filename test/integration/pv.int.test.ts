/**
 * PersistentVolumes end to end against the real API server (memory store): the PV controller
 * binds seed 003's five nfs volumes to two 5Gi claims (smallest fit), releases a Retain volume,
 * recycles a hostPath volume; the local-path provisioner, started later as on a cluster that
 * gains a default StorageClass, creates that class, which a waiting class-less claim then gets
 * (retroactive default class); it serves Immediate and WaitForFirstConsumer classes with
 * node-pinned directories and deletes them on release; the protection controllers hold a claim
 * used by a pod and a Bound volume.
 * NOTE: the seed tests run before any default class exists, as on the tutorial's cluster: with a
 * default class, admission would give seed 003's class-less claims that class instead.
 */
import assert from 'node:assert/strict'
import { existsSync, promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { Event, PersistentVolume, PersistentVolumeClaim } from '../../src/api/core.js'
import type { StorageClass } from '../../src/api/storage.js'
import { type ApiServer, startApiServer } from '../../src/apiserver/server.js'
import {
  EVENTS,
  NODES,
  PERSISTENT_VOLUME_CLAIMS,
  PERSISTENT_VOLUMES,
  PODS,
  STORAGE_CLASSES,
} from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { LocalPathProvisioner } from '../../src/controllers/provisioner/controller.js'
import { PersistentVolumeBinder } from '../../src/controllers/pv-binder/controller.js'
import { PvProtectionController } from '../../src/controllers/pv-protection/pv-protection.js'
import { PvcProtectionController } from '../../src/controllers/pv-protection/pvc-protection.js'
import { Manager } from '../../src/controllers/runtime/manager.js'
import { isNotFound } from '../../src/machinery/status-error.js'
import { openStore } from '../../src/storage/registry.js'
import type { Store } from '../../src/storage/store.js'

let store: Store
let server: ApiServer
let client: RestClient
let tmp: string
let volumesDir: string
const stop = new AbortController()
let running: Promise<void>
let provisioner: Promise<void> | undefined

before(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'pv-int-'))
  volumesDir = path.join(tmp, 'volumes')
  store = await openStore('memory:')
  server = await startApiServer({ store, listen: { host: '127.0.0.1', port: 0 } })
  client = new RestClient({ server: server.url, token: server.token, ca: server.ca })
  for (const name of ['node-1', 'node-2']) await client.create(NODES, { metadata: { name } })
  const manager = new Manager({ client })
  const informers = manager.informers
  manager.add(new PersistentVolumeBinder({ client, informers, volumesDir, resyncMs: 200 }))
  manager.add(new PvcProtectionController({ client, informers }))
  manager.add(new PvProtectionController({ client, informers }))
  running = manager.start(stop.signal)
})

after(async () => {
  stop.abort()
  await running
  await provisioner
  client.close()
  await server.close()
  await store.close()
  await fs.rm(tmp, { recursive: true, force: true })
})

async function until<T>(get: () => Promise<T | undefined | false>, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    const v = await get()
    if (v) return v
    await new Promise(r => setTimeout(r, 25))
  }
  assert.fail(`timed out waiting for ${what}`)
}

const getPV = (name: string) => client.get<PersistentVolume>(PERSISTENT_VOLUMES, name).catch(() => undefined)
const getPVC = (name: string) =>
  client.get<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS, name, { namespace: 'default' }).catch(() => undefined)
const gone = (get: () => Promise<unknown>) => async () => (await get()) === undefined
const phaseIs =
  <T extends { status?: { phase?: string } }>(get: () => Promise<T | undefined>, phase: string) =>
  async (): Promise<T | undefined> => {
    const o = await get()
    return o?.status?.phase === phase ? o : undefined
  }

function claim(name: string, size: string, extra: Record<string, unknown> = {}): PersistentVolumeClaim {
  return {
    metadata: { name, namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, ...extra },
  }
}

/** Events about the named object (cluster-scoped objects' events live in "default", as client-go puts them). */
async function eventsFor(name: string): Promise<Event[]> {
  const list = await client.list<Event>(EVENTS)
  return list.items.filter(e => e.involvedObject.name === name)
}

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
    await client.create<PersistentVolume>(PERSISTENT_VOLUMES, {
      metadata: { name, labels: { name, polity: 'fast' } },
      spec: {
        nfs: { path: `/data/volumes/v${name.slice(-1)}`, server: 'node2' },
        accessModes: [...modes],
        capacity: { storage: size },
      },
    })
  for (const [name] of seedVolumes)
    await until(
      phaseIs(() => getPV(name), 'Available'),
      `${name} Available`,
    )

  await client.create(PERSISTENT_VOLUME_CLAIMS, claim('myappdata-myapp-0', '5Gi'))
  const first = await until(
    phaseIs(() => getPVC('myappdata-myapp-0'), 'Bound'),
    'the first claim Bound',
  )
  await client.create(PERSISTENT_VOLUME_CLAIMS, claim('myappdata-myapp-1', '5Gi'))
  const second = await until(
    phaseIs(() => getPVC('myappdata-myapp-1'), 'Bound'),
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
    phaseIs(() => getPV('pv001'), 'Bound'),
    'pv001 Bound',
  )
  assert.equal(pv.spec?.claimRef?.name, 'myappdata-myapp-1')
  assert.equal(pv.spec?.claimRef?.uid, second.metadata.uid)
  assert.equal(pv.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes')
  await until(
    async () => (await getPV('pv001'))?.metadata.finalizers?.includes('kubernetes.io/pv-protection'),
    'pv-protection',
  )
  await until(
    async () => (await getPVC('myappdata-myapp-1'))?.metadata.finalizers?.includes('kubernetes.io/pvc-protection'),
    'pvc-protection',
  )

  // `kubectl get pv` prints the binding in the CLAIM column.
  const table = await client.request<{ rows: { cells: string[] }[] }>({
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
  await client.delete(PERSISTENT_VOLUME_CLAIMS, 'myappdata-myapp-0', { namespace: 'default' })
  await until(
    gone(() => getPVC('myappdata-myapp-0')),
    'the claim to go (no pod uses it)',
  )
  const pv = await until(
    phaseIs(() => getPV('pv002'), 'Released'),
    'pv002 Released',
  )
  assert.equal(pv.spec?.claimRef?.name, 'myappdata-myapp-0')
  assert.equal(pv.spec?.persistentVolumeReclaimPolicy, 'Retain')
})

test('Recycle scrubs a hostPath volume and makes it Available again', async () => {
  const dir = path.join(tmp, 'pv-a')
  await fs.mkdir(path.join(dir, 'sub'), { recursive: true })
  await fs.writeFile(path.join(dir, 'kubia.txt'), 'Data stored on pod kubia-0')
  await fs.writeFile(path.join(dir, 'sub', '.hidden'), 'x')
  await client.create<PersistentVolume>(PERSISTENT_VOLUMES, {
    metadata: { name: 'pv-a' },
    spec: {
      capacity: { storage: '1Mi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Recycle',
      hostPath: { path: dir },
    },
  })
  await until(
    phaseIs(() => getPV('pv-a'), 'Available'),
    'pv-a Available',
  )
  await client.create(PERSISTENT_VOLUME_CLAIMS, claim('data-kubia-0', '1Mi'))
  const bound = await until(
    phaseIs(() => getPVC('data-kubia-0'), 'Bound'),
    'data-kubia-0 Bound',
  )
  assert.equal(bound.spec?.volumeName, 'pv-a')
  await client.delete(PERSISTENT_VOLUME_CLAIMS, 'data-kubia-0', { namespace: 'default' })
  const recycled = await until(async () => {
    const pv = await getPV('pv-a')
    return pv?.status?.phase === 'Available' && !pv.spec?.claimRef ? pv : undefined
  }, 'pv-a recycled')
  assert.equal(recycled.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], undefined)
  assert.deepEqual(await fs.readdir(dir), [], 'the directory is empty')
  const events = await eventsFor('pv-a')
  assert.ok(events.some(e => e.reason === 'VolumeRecycled' && e.message === 'Volume recycled'))
})

test('a waiting class-less claim gets the default class the provisioner creates at start', async () => {
  // 20Gi fits no free class-less volume and there is no class yet: FailedBinding.
  await client.create(PERSISTENT_VOLUME_CLAIMS, claim('www-web-0', '20Gi'))
  await until(async () => (await eventsFor('www-web-0')).some(e => e.reason === 'FailedBinding'), 'FailedBinding')
  const manager = new Manager({ client })
  manager.add(
    new LocalPathProvisioner({
      client,
      informers: manager.informers,
      volumesDir,
      nodeName: 'node-1',
      identity: 'test',
    }),
  )
  provisioner = manager.start(stop.signal)
  const standard = await until(
    () => client.get<StorageClass>(STORAGE_CLASSES, 'standard').catch(() => undefined),
    'the default class',
  )
  assert.equal(standard.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'], 'true')
  assert.equal(standard.provisioner, 'petset.dev/local-path')
  assert.equal(standard.reclaimPolicy, 'Delete')
  assert.equal(standard.volumeBindingMode, 'WaitForFirstConsumer')
  await until(async () => (await getPVC('www-web-0'))?.spec?.storageClassName === 'standard', 'the class assigned')
})

test('an Immediate local-path class provisions a node-pinned directory; Delete removes it', async () => {
  await client.create<StorageClass>(STORAGE_CLASSES, {
    metadata: { name: 'fast' },
    provisioner: 'petset.dev/local-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  })
  await client.create(PERSISTENT_VOLUME_CLAIMS, claim('fast-claim', '2Mi', { storageClassName: 'fast' }))
  const bound = await until(
    phaseIs(() => getPVC('fast-claim'), 'Bound'),
    'fast-claim Bound',
  )
  const name = `pvc-${bound.metadata.uid}`
  assert.equal(bound.spec?.volumeName, name)
  assert.equal(bound.metadata.annotations?.['volume.kubernetes.io/storage-provisioner'], 'petset.dev/local-path')
  const pv = (await getPV(name))!
  const dir = path.join(volumesDir, name)
  assert.deepEqual(pv.spec?.local, { path: dir })
  assert.deepEqual(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms, [
    { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }] },
  ])
  assert.equal(pv.spec?.persistentVolumeReclaimPolicy, 'Delete')
  assert.equal(pv.spec?.storageClassName, 'fast')
  assert.equal(pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'], 'petset.dev/local-path')
  assert.equal((await fs.stat(dir)).mode & 0o777, 0o777)
  const events = await until(async () => {
    const es = await eventsFor('fast-claim')
    return es.some(e => e.reason === 'ProvisioningSucceeded') ? es : undefined
  }, 'ProvisioningSucceeded')
  const ok = events.find(e => e.reason === 'ProvisioningSucceeded')!
  assert.equal(ok.message, `Successfully provisioned volume ${name}`)
  assert.equal(ok.source?.component, 'petset.dev/local-path_test')
  assert.ok(
    events.some(e => e.reason === 'ExternalProvisioning' && e.source?.component === 'persistentvolume-controller'),
  )

  await fs.writeFile(path.join(dir, 'data'), 'x')
  await client.delete(PERSISTENT_VOLUME_CLAIMS, 'fast-claim', { namespace: 'default' })
  await until(
    gone(() => getPV(name)),
    'the provisioned PV to be deleted',
  )
  assert.equal(existsSync(dir), false, 'the directory is removed')
})

test('WaitForFirstConsumer: provisioning waits for the node the scheduler selects', async () => {
  await until(
    async () => (await eventsFor('www-web-0')).some(e => e.reason === 'WaitForFirstConsumer'),
    'WaitForFirstConsumer',
  )
  assert.equal((await getPVC('www-web-0'))?.status?.phase, 'Pending')
  const pending = (await getPVC('www-web-0'))!
  pending.metadata.annotations = { ...pending.metadata.annotations, 'volume.kubernetes.io/selected-node': 'node-2' }
  await client.update(PERSISTENT_VOLUME_CLAIMS, pending)
  const bound = await until(
    phaseIs(() => getPVC('www-web-0'), 'Bound'),
    'www-web-0 Bound',
  )
  const pv = (await getPV(bound.spec!.volumeName!))!
  assert.deepEqual(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms[0].matchExpressions?.[0].values, ['node-2'])
  assert.ok(existsSync(path.join(volumesDir, pv.metadata.name!)))
})

test('pvc-protection keeps a claim while a scheduled pod mounts it', async () => {
  const volume = (await getPVC('www-web-0'))!.spec!.volumeName!
  await client.create(PODS, {
    metadata: { name: 'web-0', namespace: 'default' },
    spec: {
      nodeName: 'node-2',
      containers: [{ name: 'nginx', image: 'nginx' }],
      volumes: [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } }],
    },
  })
  await client.delete(PERSISTENT_VOLUME_CLAIMS, 'www-web-0', { namespace: 'default' })
  const terminating = await until(getPVC.bind(null, 'www-web-0'), 'the claim')
  assert.ok(terminating.metadata.deletionTimestamp, 'the claim is terminating')
  // Give the controller a chance to (wrongly) release it.
  await new Promise(r => setTimeout(r, 500))
  assert.ok(await getPVC('www-web-0'), 'the claim stays while the pod exists')
  assert.equal((await getPV(volume))?.status?.phase, 'Bound')
  await client.delete(PODS, 'web-0', { namespace: 'default', gracePeriodSeconds: 0 })
  await until(
    gone(() => getPVC('www-web-0')),
    'the claim to go with the pod',
  )
  await until(
    gone(() => getPV(volume)),
    'its Delete volume to be deleted',
  )
  assert.equal(existsSync(path.join(volumesDir, volume)), false)
})

test('pv-protection keeps a Bound volume until its claim lets go', async () => {
  await client.create<PersistentVolume>(PERSISTENT_VOLUMES, {
    metadata: { name: 'pv-keep' },
    spec: { capacity: { storage: '1Mi' }, accessModes: ['ReadWriteOnce'], nfs: { server: 'nfs', path: '/keep' } },
  })
  // "" keeps the claim class-less now that a default class exists.
  await client.create(PERSISTENT_VOLUME_CLAIMS, claim('keep', '1Mi', { volumeName: 'pv-keep', storageClassName: '' }))
  await until(
    phaseIs(() => getPV('pv-keep'), 'Bound'),
    'pv-keep Bound',
  )
  await until(async () => (await getPV('pv-keep'))?.metadata.finalizers?.length, 'the pv-protection finalizer')
  await client.delete(PERSISTENT_VOLUMES, 'pv-keep')
  await new Promise(r => setTimeout(r, 300))
  const held = await getPV('pv-keep')
  assert.ok(held?.metadata.deletionTimestamp, 'the Bound volume is held')
  await client.delete(PERSISTENT_VOLUME_CLAIMS, 'keep', { namespace: 'default' })
  await until(async () => isNotFound(await client.get(PERSISTENT_VOLUMES, 'pv-keep').catch(e => e)), 'pv-keep to go')
})
