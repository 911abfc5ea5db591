import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { formatTable, humanSize, imageCommand, imagesDir } from './image.js'

const work = mkdtempSync(join(tmpdir(), 'petset-imagecmd-'))
after(() => rmSync(work, { recursive: true, force: true }))

async function run(...argv: string[]) {
  let out = ''
  let err = ''
  const code = await imageCommand(argv, { out: t => (out += t), err: t => (err += t) })
  return { code, out, err }
}

/** A one-layer `docker save` archive tagged `tags`. */
function dockerSave(tags: string[]): string {
  const dir = join(work, 'save')
  mkdirSync(join(dir, 'rootfs/app'), { recursive: true })
  writeFileSync(join(dir, 'rootfs/app/hello.txt'), 'hello')
  mkdirSync(join(dir, 'l1'))
  execFileSync('tar', ['-cf', join(dir, 'l1/layer.tar'), '-C', join(dir, 'rootfs'), '.'])
  const cfg = JSON.stringify({ config: { Cmd: ['cat', '/app/hello.txt'] } })
  const cfgName = `${createHash('sha256').update(cfg).digest('hex')}.json`
  writeFileSync(join(dir, cfgName), cfg)
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify([{ Config: cfgName, RepoTags: tags, Layers: ['l1/layer.tar'] }]),
  )
  execFileSync('tar', ['-cf', join(work, 'image.tar'), '-C', dir, 'manifest.json', cfgName, 'l1'])
  return join(work, 'image.tar')
}

describe('petset image', () => {
  const dataDir = join(work, 'data')

  it('load prints one line per tag, like docker load', async () => {
    const r = await run('load', dockerSave(['redis:7', 'registry.local:5000/cache/redis:7']), '--data-dir', dataDir)
    assert.equal(r.err, '')
    assert.equal(r.out, 'Loaded image: redis:7\nLoaded image: registry.local:5000/cache/redis:7\n')
    assert.equal(r.code, 0)
  })

  it('ls lists loaded and built-in images in columns', async () => {
    const r = await run('ls', '--data-dir', dataDir)
    assert.equal(r.code, 0)
    const lines = r.out.trimEnd().split('\n')
    assert.match(lines[0]!, /^IMAGE\s+ID\s+SIZE\s+BUILT-IN$/)
    assert.match(lines[1]!, /^docker\.io\/library\/redis:7\s+[a-f0-9]{12}\s+5B\s+no$/)
    assert.ok(lines.some(l => /^docker\.io\/library\/nginx:\*\s+[a-f0-9]{12}\s+\S+\s+yes$/.test(l)))
  })

  it('reports errors with a non-zero exit code', async () => {
    const missing = await run('load', join(work, 'nope.tar'), '--data-dir', dataDir)
    assert.equal(missing.code, 1)
    assert.match(missing.err, /^petset image load: open .*nope\.tar: no such file or directory\n$/)
    assert.equal((await run('load', '--data-dir', dataDir)).code, 2)
    assert.equal((await run('frob')).code, 2)
    assert.equal((await run('ls', '--bogus')).code, 2)
  })

  it('formats like docker', () => {
    assert.deepEqual([0, 999, 1234, 187_654_321, 5e9].map(humanSize), ['0B', '999B', '1.23kB', '188MB', '5GB'])
    assert.equal(
      formatTable([
        ['A', 'BB'],
        ['CCC', 'D'],
      ]),
      'A     BB\nCCC   D\n',
    )
    assert.equal(imagesDir('/x'), '/x/images')
    assert.equal(imagesDir(undefined, { PETSET_DATA_DIR: '/d' }), '/d/images')
  })
})
