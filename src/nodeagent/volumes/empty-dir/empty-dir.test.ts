/** emptyDir: a 0777 dir under the pod dir; Memory medium mounts tmpfs (sized) when the host can. */
import assert from 'node:assert/strict'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { contextFor, FakeMounter, fakeHost, podWith, tempPodDir } from '../fake-host.js'
import { emptyDirPlugin } from './empty-dir.js'

describe('emptyDir plugin', () => {
  it('makes a 0777 directory and removes it on tearDown', async () => {
    const { dir, cleanup } = await tempPodDir()
    try {
      const ctx = contextFor(podWith([{ name: 'cache', emptyDir: {} }]), 'cache', dir, fakeHost())
      const { hostPath } = await emptyDirPlugin.setUp(ctx)
      assert.equal(hostPath, join(dir, 'volumes/kubernetes.io~empty-dir/cache'))
      assert.equal((await stat(hostPath)).mode & 0o777, 0o777)
      await emptyDirPlugin.tearDown(ctx)
      await assert.rejects(stat(hostPath))
    } finally {
      await cleanup()
    }
  })

  it('medium Memory mounts a sized tmpfs once, and unmounts it before removal', async () => {
    const { dir, cleanup } = await tempPodDir()
    try {
      const mounter = new FakeMounter(['tmpfs'])
      const pod = podWith([{ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }])
      const ctx = contextFor(pod, 'shm', dir, fakeHost({}, mounter))
      const { hostPath } = await emptyDirPlugin.setUp(ctx)
      await emptyDirPlugin.setUp(ctx)
      assert.deepEqual(
        [...mounter.mounted],
        [[hostPath, { source: 'tmpfs', fstype: 'tmpfs', options: ['size=67108864'] }]],
      )
      await emptyDirPlugin.tearDown(ctx)
      assert.equal(mounter.mounted.size, 0)
    } finally {
      await cleanup()
    }
  })

  it('medium Memory without mount rights is a plain directory', async () => {
    const { dir, cleanup } = await tempPodDir()
    try {
      const mounter = new FakeMounter([])
      const ctx = contextFor(podWith([{ name: 'm', emptyDir: { medium: 'Memory' } }]), 'm', dir, fakeHost({}, mounter))
      const { hostPath } = await emptyDirPlugin.setUp(ctx)
      assert.ok((await stat(hostPath)).isDirectory())
      assert.equal(mounter.mounted.size, 0)
    } finally {
      await cleanup()
    }
  })
})
