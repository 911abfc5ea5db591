/** LocalPathDirectories on a temporary directory: creation mode, removal, and refusals. */
import assert from 'node:assert/strict'
import { existsSync, promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { LocalPathDirectories } from './local-path.js'

let root: string
let volumes: string
before(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'local-path-'))
  volumes = path.join(root, 'volumes')
})
after(async () => {
  await fs.rm(root, { recursive: true, force: true })
})

test('create makes <root>/<name> with mode 0777, idempotently', async () => {
  const dirs = new LocalPathDirectories(volumes)
  const dir = await dirs.create('pvc-1')
  assert.equal(dir, path.join(volumes, 'pvc-1'))
  assert.equal((await fs.stat(dir)).mode & 0o777, 0o777)
  await fs.writeFile(path.join(dir, 'f'), 'x')
  assert.equal(await dirs.create('pvc-1'), dir)
  assert.ok(existsSync(path.join(dir, 'f')), 'an existing directory keeps its content')
})

test('create refuses names that are not a single path segment', async () => {
  const dirs = new LocalPathDirectories(volumes)
  for (const bad of ['', '.', '..', 'a/b']) await assert.rejects(dirs.create(bad), /invalid volume name/)
})

test('remove deletes a volume directory and accepts a missing one', async () => {
  const dirs = new LocalPathDirectories(volumes)
  const dir = await dirs.create('pvc-2')
  await fs.mkdir(path.join(dir, 'deep', 'er'), { recursive: true })
  await dirs.remove(dir)
  assert.equal(existsSync(dir), false)
  await dirs.remove(dir)
})

test('remove refuses paths outside the volumes directory and the directory itself', async () => {
  const dirs = new LocalPathDirectories(volumes)
  await dirs.create('keep')
  await assert.rejects(dirs.remove(root), /outside the volumes directory/)
  await assert.rejects(dirs.remove(volumes), /outside the volumes directory/)
  await assert.rejects(dirs.remove(path.join(volumes, '..', 'x')), /outside the volumes directory/)
  assert.ok(existsSync(path.join(volumes, 'keep')))
})

test('a symlink in the volumes directory is removed as a link, its target untouched', async () => {
  const dirs = new LocalPathDirectories(volumes)
  const precious = path.join(root, 'precious')
  await fs.mkdir(precious)
  await fs.writeFile(path.join(precious, 'data'), 'x')
  await fs.symlink(precious, path.join(volumes, 'pvc-evil'))
  await dirs.remove(path.join(volumes, 'pvc-evil'))
  assert.equal(existsSync(path.join(volumes, 'pvc-evil')), false)
  assert.ok(existsSync(path.join(precious, 'data')))
})
