/**
 * The local-path provisioner with the PV controller against the real API server: started late,
 * it creates the default class, which a waiting class-less claim then gets (retroactive default
 * class); Immediate and WaitForFirstConsumer classes get node-pinned directories under the
 * volumes directory; Delete removes them; pvc-protection holds a claim a scheduled pod mounts.
 */
import assert from 'node:assert/strict'
import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { StorageClass } from '../../src/api/storage.js'
import { PERSISTENT_VOLUME_CLAIMS, PODS, STORAGE_CLASSES } from '../../src/client/resources.js'
import { claim, gone, PvCluster, phaseIs, until } from './pv-harness.js'

let c: PvCluster
before(async () => {
  c = await PvCluster.start()
})
after(async () => {
  await c.stop()
})

test('a waiting class-less claim gets the default class the provisioner creates at start', async () => {
  // No volume and no class yet: FailedBinding.
  await c.client.create(PERSISTENT_VOLUME_CLAIMS, claim('www-web-0', '20Gi'))
  await until(async () => (await c.eventsFor('www-web-0')).some(e => e.reason === 'FailedBinding'), 'FailedBinding')
  c.startProvisioner()
  const standard = await until(
    () => c.client.get<StorageClass>(STORAGE_CLASSES, 'standard').catch(() => undefined),
    'the default class',
  )
  assert.equal(standard.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'], 'true')
  assert.equal(standard.provisioner, 'petset.dev/local-path')
  assert.equal(standard.reclaimPolicy, 'Delete')
  assert.equal(standard.volumeBindingMode, 'WaitForFirstConsumer')
  await until(async () => (await c.getPVC('www-web-0'))?.spec?.storageClassName === 'standard', 'the class assigned')
})

test('an Immediate local-path class provisions a node-pinned directory; Delete removes it', async () => {
  await c.client.create<StorageClass>(STORAGE_CLASSES, {
    metadata: { name: 'fast' },
    provisioner: 'petset.dev/local-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  })
  await c.client.create(PERSISTENT_VOLUME_CLAIMS, claim('fast-claim', '2Mi', { storageClassName: 'fast' }))
  const bound = await until(
    phaseIs(() => c.getPVC('fast-claim'), 'Bound'),
    'fast-claim Bound',
  )
  const name = `pvc-${bound.metadata.uid}`
  assert.equal(bound.spec?.volumeName, name)
  assert.equal(bound.metadata.annotations?.['volume.kubernetes.io/storage-provisioner'], 'petset.dev/local-path')
  const pv = (await c.getPV(name))!
  const dir = path.join(c.volumesDir, name)
  assert.deepEqual(pv.spec?.local, { path: dir })
  assert.deepEqual(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms, [
    { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }] },
  ])
  assert.equal(pv.spec?.persistentVolumeReclaimPolicy, 'Delete')
  assert.equal(pv.spec?.storageClassName, 'fast')
  assert.equal(pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'], 'petset.dev/local-path')
  assert.equal((await fs.stat(dir)).mode & 0o777, 0o777)
  const events = await until(async () => {
    const es = await c.eventsFor('fast-claim')
    return es.some(e => e.reason === 'ProvisioningSucceeded') ? es : undefined
  }, 'ProvisioningSucceeded')
  const ok = events.find(e => e.reason === 'ProvisioningSucceeded')!
  assert.equal(ok.message, `Successfully provisioned volume ${name}`)
  assert.equal(ok.source?.component, 'petset.dev/local-path_test')
  assert.ok(
    events.some(e => e.reason === 'ExternalProvisioning' && e.source?.component === 'persistentvolume-controller'),
  )

  await fs.writeFile(path.join(dir, 'data'), 'x')
  await c.client.delete(PERSISTENT_VOLUME_CLAIMS, 'fast-claim', { namespace: 'default' })
  await until(
    gone(() => c.getPV(name)),
    'the provisioned PV to be deleted',
  )
  assert.equal(existsSync(dir), false, 'the directory is removed')
})

test('WaitForFirstConsumer: provisioning waits for the node the scheduler selects', async () => {
  await until(
    async () => (await c.eventsFor('www-web-0')).some(e => e.reason === 'WaitForFirstConsumer'),
    'WaitForFirstConsumer',
  )
  assert.equal((await c.getPVC('www-web-0'))?.status?.phase, 'Pending')
  const pending = (await c.getPVC('www-web-0'))!
  pending.metadata.annotations = { ...pending.metadata.annotations, 'volume.kubernetes.io/selected-node': 'node-2' }
  await c.client.update(PERSISTENT_VOLUME_CLAIMS, pending)
  const bound = await until(
    phaseIs(() => c.getPVC('www-web-0'), 'Bound'),
    'www-web-0 Bound',
  )
  const pv = (await c.getPV(bound.spec!.volumeName!))!
  assert.deepEqual(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms[0].matchExpressions?.[0].values, ['node-2'])
  assert.ok(existsSync(path.join(c.volumesDir, pv.metadata.name!)))
})

test('pvc-protection keeps a claim while a scheduled pod mounts it', async () => {
  const volume = (await c.getPVC('www-web-0'))!.spec!.volumeName!
  await c.client.create(PODS, {
    metadata: { name: 'web-0', namespace: 'default' },
    spec: {
      nodeName: 'node-2',
      containers: [{ name: 'nginx', image: 'nginx' }],
      volumes: [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } }],
    },
  })
  await c.client.delete(PERSISTENT_VOLUME_CLAIMS, 'www-web-0', { namespace: 'default' })
  const terminating = await until(() => c.getPVC('www-web-0'), 'the claim')
  assert.ok(terminating.metadata.deletionTimestamp, 'the claim is terminating')
  // Give the controller a chance to (wrongly) release it.
  await new Promise(r => setTimeout(r, 500))
  assert.ok(await c.getPVC('www-web-0'), 'the claim stays while the pod exists')
  assert.equal((await c.getPV(volume))?.status?.phase, 'Bound')
  await c.client.delete(PODS, 'web-0', { namespace: 'default', gracePeriodSeconds: 0 })
  await until(
    gone(() => c.getPVC('www-web-0')),
    'the claim to go with the pod',
  )
  await until(
    gone(() => c.getPV(volume)),
    'its Delete volume to be deleted',
  )
  assert.equal(existsSync(path.join(c.volumesDir, volume)), false)
})
