/** HostVolumeStorage on a temporary directory: scrubbing, removal, and the paths it refuses. */
import assert from 'node:assert/strict'
import { existsSync, promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { HostVolumeStorage } from './volume-storage.js'

let root: string
before(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'pv-storage-'))
})
after(async () => {
  await fs.rm(root, { recursive: true, force: true })
})

test('scrub empties a hostPath directory, dotfiles included, and keeps the directory', async () => {
  const dir = path.join(root, 'pv-a')
  await fs.mkdir(path.join(dir, 'sub'), { recursive: true })
  await fs.writeFile(path.join(dir, 'kubia.txt'), 'data')
  await fs.writeFile(path.join(dir, '.hidden'), 'x')
  await fs.writeFile(path.join(dir, 'sub', 'deep'), 'y')
  await new HostVolumeStorage().scrub({ kind: 'hostPath', path: dir })
  assert.deepEqual(await fs.readdir(dir), [])
})

test('scrub removes a symlink inside the volume, not its target', async () => {
  const dir = path.join(root, 'pv-link')
  const outside = path.join(root, 'precious')
  await fs.mkdir(dir)
  await fs.mkdir(outside)
  await fs.writeFile(path.join(outside, 'keep'), 'k')
  await fs.symlink(outside, path.join(dir, 'escape'))
  await new HostVolumeStorage().scrub({ kind: 'hostPath', path: dir })
  assert.deepEqual(await fs.readdir(dir), [])
  assert.ok(existsSync(path.join(outside, 'keep')))
})

test('a missing hostPath directory counts as scrubbed', async () => {
  await new HostVolumeStorage().scrub({ kind: 'hostPath', path: path.join(root, 'never-created') })
})

test('scrub refuses the filesystem root and top-level directories', async () => {
  await assert.rejects(
    new HostVolumeStorage().scrub({ kind: 'hostPath', path: '/' }),
    /too close to the filesystem root/,
  )
  await assert.rejects(
    new HostVolumeStorage().scrub({ kind: 'hostPath', path: os.tmpdir() }),
    /too close to the filesystem root/,
  )
})

test('a local volume is scrubbed only inside the volumes directory, even through a symlink', async () => {
  const volumes = path.join(root, 'volumes')
  const elsewhere = path.join(root, 'elsewhere')
  await fs.mkdir(path.join(volumes, 'pvc-1'), { recursive: true })
  await fs.mkdir(elsewhere)
  await fs.writeFile(path.join(volumes, 'pvc-1', 'f'), 'x')
  await fs.writeFile(path.join(elsewhere, 'keep'), 'k')
  await fs.symlink(elsewhere, path.join(volumes, 'pvc-2'))
  const storage = new HostVolumeStorage(volumes)
  await storage.scrub({ kind: 'local', path: path.join(volumes, 'pvc-1') })
  assert.deepEqual(await fs.readdir(path.join(volumes, 'pvc-1')), [])
  await assert.rejects(
    storage.scrub({ kind: 'local', path: path.join(volumes, 'pvc-2') }),
    /outside the volumes directory/,
  )
  assert.ok(existsSync(path.join(elsewhere, 'keep')))
})

test('remove deletes a tree, removes a symlink as a link, and accepts a missing path', async () => {
  const dir = path.join(root, 'gone')
  await fs.mkdir(path.join(dir, 'a'), { recursive: true })
  const storage = new HostVolumeStorage()
  await storage.remove(dir)
  assert.equal(existsSync(dir), false)
  await storage.remove(dir)
  const target = path.join(root, 'target')
  await fs.mkdir(target)
  await fs.symlink(target, path.join(root, 'link'))
  await storage.remove(path.join(root, 'link'))
  assert.ok(existsSync(target))
})
