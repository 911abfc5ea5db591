/** persistentVolumeClaim: bound claims resolve to hostPath, local or NFS PVs; unbound and missing claims fail. */
import assert from 'node:assert/strict'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { PersistentVolume, PersistentVolumeClaim } from '../../../api/core.js'
import { contextFor, FakeMounter, fakeHost, podWith, tempPodDir } from '../fake-host.js'
import { nfsPlugin } from '../nfs/nfs.js'
import { pvcPlugin } from './pvc.js'

const claim = (phase: string, volumeName?: string): PersistentVolumeClaim => ({
  metadata: { name: 'data', namespace: 'default', uid: 'c1' },
  spec: { volumeName },
  status: { phase },
})
const pv = (spec: PersistentVolume['spec']): PersistentVolume => ({
  metadata: { name: 'pv-a' },
  spec: { claimRef: { uid: 'c1' }, ...spec },
})
const pod = (readOnly?: boolean) => podWith([{ name: 'www', persistentVolumeClaim: { claimName: 'data', readOnly } }])

describe('persistentVolumeClaim plugin', () => {
  it('a missing claim, an unbound claim and a missing PV fail', async () => {
    const { dir, cleanup } = await tempPodDir()
    try {
      const setUp = (objects: Parameters<typeof fakeHost>[0]) =>
        pvcPlugin.setUp(contextFor(pod(), 'www', dir, fakeHost(objects)))
      await assert.rejects(setUp({}), { message: 'persistentvolumeclaim "data" not found' })
      await assert.rejects(setUp({ claims: { 'default/data': claim('Pending') } }), {
        message: 'PVC default/data has non-bound phase ("Pending") or empty pvc.Spec.VolumeName ("")',
      })
      await assert.rejects(setUp({ claims: { 'default/data': claim('Bound', 'pv-a') } }), {
        message: 'persistentvolume "pv-a" not found',
      })
    } finally {
      await cleanup()
    }
  })

  it('hostPath and local PVs are used in place; readOnly carries over', async () => {
    const { dir, cleanup } = await tempPodDir()
    try {
      const path = join(dir, 'pv-data')
      const claims = { 'default/data': claim('Bound', 'pv-a') }
      const hp = fakeHost({ claims, volumes: { 'pv-a': pv({ hostPath: { path, type: 'DirectoryOrCreate' } }) } })
      assert.deepEqual(await pvcPlugin.setUp(contextFor(pod(true), 'www', dir, hp)), { hostPath: path, readOnly: true })
      const local = fakeHost({ claims, volumes: { 'pv-a': pv({ local: { path: join(dir, 'local') } }) } })
      await assert.rejects(pvcPlugin.setUp(contextFor(pod(), 'www', dir, local)), {
        message: `path "${join(dir, 'local')}" does not exist`,
      })
      await mkdir(join(dir, 'local'))
      assert.equal((await pvcPlugin.setUp(contextFor(pod(), 'www', dir, local))).hostPath, join(dir, 'local'))
    } finally {
      await cleanup()
    }
  })

  it('NFS PVs mount under the pod dir when mount.nfs exists, and fail like the kubelet otherwise', async () => {
    const { dir, cleanup } = await tempPodDir()
    try {
      const objects = {
        claims: { 'default/data': claim('Bound', 'pv-a') },
        volumes: { 'pv-a': pv({ nfs: { server: '192.168.66.13', path: '/opt/hyz' }, mountOptions: ['nfsvers=4.1'] }) },
      }
      const target = join(dir, 'volumes/kubernetes.io~nfs/www')
      await assert.rejects(pvcPlugin.setUp(contextFor(pod(), 'www', dir, fakeHost(objects))), (e: Error) => {
        assert.match(e.message, /^mount failed: exit status 32\nMounting command: mount\n/)
        assert.match(e.message, new RegExp(`-t nfs -o nfsvers=4.1 192.168.66.13:/opt/hyz ${target}`))
        return true
      })
      const mounter = new FakeMounter(['nfs'])
      const ctx = contextFor(pod(), 'www', dir, fakeHost(objects, mounter))
      assert.deepEqual(await pvcPlugin.setUp(ctx), { hostPath: target, readOnly: false })
      assert.deepEqual(mounter.mounted.get(target), {
        source: '192.168.66.13:/opt/hyz',
        fstype: 'nfs',
        options: ['nfsvers=4.1'],
      })
      await pvcPlugin.tearDown(ctx)
      assert.equal(mounter.mounted.size, 0)
    } finally {
      await cleanup()
    }
  })

  it('pod nfs volumes mount read-only when asked', async () => {
    const { dir, cleanup } = await tempPodDir()
    try {
      const mounter = new FakeMounter(['nfs'])
      const p = podWith([{ name: 'n', nfs: { server: 'srv', path: '/x', readOnly: true } }])
      const mounted = await nfsPlugin.setUp(contextFor(p, 'n', dir, fakeHost({}, mounter)))
      assert.equal(mounted.readOnly, true)
      assert.deepEqual([...mounter.mounted.values()][0]!.options, ['ro'])
    } finally {
      await cleanup()
    }
  })
})
