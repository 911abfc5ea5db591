import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { gzipSync } from 'node:zlib'
import { ImagePullError } from '../runtime.js'
import { LocalImageStore } from './store.js'

const isRoot = process.getuid?.() === 0
const work = mkdtempSync(join(tmpdir(), 'petset-load-'))
after(() => rmSync(work, { recursive: true, force: true }))

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/** Writes a tree ({ 'a/b.txt': 'x', 'dir/': null }) and tars it with the host tar. */
function layerTar(name: string, files: Record<string, string | null>): Buffer {
  const dir = join(work, 'src', name)
  for (const [p, data] of Object.entries(files)) {
    if (data === null) mkdirSync(join(dir, p), { recursive: true })
    else {
      mkdirSync(join(dir, p, '..'), { recursive: true })
      writeFileSync(join(dir, p), data)
    }
  }
  execFileSync('tar', ['-cf', join(work, `${name}.tar`), '-C', dir, '.'])
  return readFileSync(join(work, `${name}.tar`))
}

// Layer 1: etc/a.txt, d/x, keep/k. Layer 2 deletes etc/a.txt, makes d/ opaque (d/y only), adds b.txt.
const layer1 = () => layerTar('l1', { 'etc/a.txt': 'a', 'd/x': 'x', 'keep/k': 'k' })
const layer2 = () => layerTar('l2', { 'etc/.wh.a.txt': '', 'd/.wh..wh..opq': '', 'd/y': 'y', 'b.txt': 'b' })

const imageConfig = {
  architecture: 'amd64',
  os: 'linux',
  config: {
    Entrypoint: ['/bin/app'],
    Cmd: ['--serve'],
    Env: ['PATH=/usr/bin', 'MODE=test'],
    WorkingDir: '/srv',
    User: '1000:1000',
    ExposedPorts: { '8080/tcp': {}, '53/udp': {} },
  },
  rootfs: { type: 'layers', diff_ids: [] },
}

/** An OCI image layout tar (layer 2 gzip-compressed), named via containerd's annotation. */
function ociArchive(name: string): string {
  const dir = join(work, 'oci')
  mkdirSync(join(dir, 'blobs/sha256'), { recursive: true })
  const blob = (b: Buffer) => {
    writeFileSync(join(dir, 'blobs/sha256', sha(b)), b)
    return { digest: `sha256:${sha(b)}`, size: b.length }
  }
  const l1 = layer1()
  const l2 = gzipSync(layer2())
  const config = blob(Buffer.from(JSON.stringify(imageConfig)))
  const manifest = blob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [
          { mediaType: 'application/vnd.oci.image.layer.v1.tar', ...blob(l1) },
          { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...blob(l2) },
        ],
      }),
    ),
  )
  const annotations = { 'io.containerd.image.name': name, 'org.opencontainers.image.ref.name': 'v1' }
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}')
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations }],
    }),
  )
  execFileSync('tar', ['-cf', join(work, 'oci.tar'), '-C', dir, '.'])
  return join(work, 'oci.tar')
}

/** A `docker save` archive (legacy layout: <id>/layer.tar, <config>.json, manifest.json). */
function dockerArchive(tags: string[], layers = [layer1(), layer2()]): string {
  const dir = join(work, `docker-${sha(Buffer.from(tags.join()))}`)
  const [l1, l2] = layers as [Buffer, Buffer]
  const cfg = Buffer.from(JSON.stringify({ ...imageConfig, config: { ...imageConfig.config, Env: ['MODE=docker'] } }))
  for (const [id, data] of [
    [sha(l1), l1],
    [sha(l2), l2],
  ] as const) {
    mkdirSync(join(dir, id), { recursive: true })
    writeFileSync(join(dir, id, 'layer.tar'), data)
  }
  writeFileSync(join(dir, `${sha(cfg)}.json`), cfg)
  const manifest = [
    { Config: `${sha(cfg)}.json`, RepoTags: tags, Layers: [`${sha(l1)}/layer.tar`, `${sha(l2)}/layer.tar`] },
  ]
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest))
  execFileSync('tar', ['-cf', `${dir}.tar`, '-C', dir, '.'])
  return `${dir}.tar`
}

const opaque = (dir: string) =>
  execFileSync(
    'python3',
    ['-c', `import os,sys; print(os.getxattr(sys.argv[1], 'trusted.overlay.opaque').decode())`, dir],
    {
      encoding: 'utf8',
    },
  ).trim()

describe('LocalImageStore.load', { skip: !isRoot && 'needs root (mknod, trusted.* xattrs)' }, () => {
  const store = new LocalImageStore({ dir: join(work, 'store') })
  let oci: string
  let docker: string
  before(() => {
    oci = ociArchive('example.com/team/app:v1')
    docker = dockerArchive(['myorg/app:2.0', 'busybox:1.36'])
  })

  it('loads an OCI layout: layers unpacked, whiteouts converted, config read', async () => {
    assert.deepEqual(await store.load(oci), ['example.com/team/app:v1'])
    const img = await store.resolve('example.com/team/app:v1')
    assert.equal(img.builtIn, false)
    assert.equal(img.rootfs.kind, 'layers')
    if (img.rootfs.kind !== 'layers') return
    const [l1, l2] = img.rootfs.layers as [string, string]
    assert.equal(readFileSync(join(l1, 'etc/a.txt'), 'utf8'), 'a')
    const wh = lstatSync(join(l2, 'etc/a.txt'))
    assert.ok(wh.isCharacterDevice() && wh.rdev === 0, 'etc/a.txt is a 0/0 whiteout device')
    assert.equal(existsSync(join(l2, 'etc/.wh.a.txt')), false)
    assert.equal(existsSync(join(l2, 'd/.wh..wh..opq')), false)
    assert.equal(opaque(join(l2, 'd')), 'y')
    assert.equal(readFileSync(join(l2, 'd/y'), 'utf8'), 'y')
    assert.deepEqual(img.config, {
      entrypoint: ['/bin/app'],
      cmd: ['--serve'],
      env: ['PATH=/usr/bin', 'MODE=test'],
      workingDir: '/srv',
      user: '1000:1000',
      exposedPorts: [8080, 53],
    })
    assert.match(img.id, /^sha256:[a-f0-9]{64}$/)
    assert.equal(img.ref, `example.com/team/app@${img.id}`)
  })

  it('an overlay mount of the layers honours the whiteout and the opaque directory', async t => {
    const img = await store.resolve('example.com/team/app:v1')
    if (img.rootfs.kind !== 'layers') return assert.fail('layers expected')
    const m = join(work, 'ovl')
    for (const d of ['upper', 'work', 'merged']) mkdirSync(join(m, d), { recursive: true })
    const lower = [...img.rootfs.layers].reverse().join(':')
    try {
      execFileSync('mount', [
        '-t',
        'overlay',
        'overlay',
        '-o',
        `lowerdir=${lower},upperdir=${m}/upper,workdir=${m}/work`,
        `${m}/merged`,
      ])
    } catch {
      return t.skip('overlayfs is not available here')
    }
    try {
      const ls = (p: string) =>
        execFileSync('ls', ['-A', join(m, 'merged', p)], { encoding: 'utf8' })
          .split('\n')
          .filter(Boolean)
      assert.deepEqual(ls('.').sort(), ['b.txt', 'd', 'etc', 'keep'])
      assert.deepEqual(ls('etc'), [])
      assert.deepEqual(ls('d'), ['y'])
      assert.deepEqual(ls('keep'), ['k'])
    } finally {
      execFileSync('umount', [`${m}/merged`])
    }
  })

  it('loads a docker save archive with several tags; a loaded busybox wins over the built-in', async () => {
    assert.deepEqual(await store.load(docker), ['docker.io/myorg/app:2.0', 'docker.io/library/busybox:1.36'])
    const img = await store.resolve('myorg/app:2.0')
    assert.deepEqual(img.config.env, ['MODE=docker'])
    assert.equal(img.rootfs.kind, 'layers')
    const bb = await store.resolve('busybox:1.36')
    assert.equal(bb.builtIn, false)
    assert.equal((await store.resolve('busybox:latest')).builtIn, true)
    // Same layers as the OCI image: unpacked once.
    assert.equal(
      execFileSync('ls', [join(work, 'store/layers')], { encoding: 'utf8' })
        .trim()
        .split('\n').length,
      2,
    )
    assert.equal((await store.resolve(img.id)).id, img.id)
    assert.equal((await store.resolve(`myorg/app@${img.id}`)).id, img.id)
  })

  it('lists loaded images beside the built-ins, and a second store sees them', async () => {
    const rows = await new LocalImageStore({ dir: join(work, 'store') }).list()
    const app = rows.find(r => r.name === 'docker.io/myorg/app:2.0')
    assert.ok(app && !app.builtIn && app.size > 0)
    assert.ok(rows.find(r => r.name === 'example.com/team/app:v1'))
    assert.ok(rows.find(r => r.name === 'docker.io/library/nginx:*' && r.builtIn))
  })

  it('re-tagging moves a name to the newly loaded image', async () => {
    const before = await store.resolve('busybox:1.36')
    await store.load(ociArchive('docker.io/library/busybox:1.36'))
    const afterLoad = await store.resolve('busybox:1.36')
    assert.notEqual(afterLoad.id, before.id)
    assert.ok((await store.list()).some(r => r.id === before.id && r.name === 'docker.io/myorg/app:2.0'))
  })

  it('rejects what is not an image archive, and traversal inside a layer', async () => {
    const plain = join(work, 'plain.tar')
    execFileSync('tar', ['-cf', plain, '-C', join(work, 'src'), 'l1'])
    await assert.rejects(store.load(plain), /not an image archive/)
    await assert.rejects(store.load(join(work, 'missing.tar')), /no such file/)
    // A layer holding "../escaped" (host tar keeps it with -P): refused before anything is written.
    mkdirSync(join(work, 'evil/inner'), { recursive: true })
    writeFileSync(join(work, 'evil/escaped'), 'pwned')
    execFileSync('tar', ['-cPf', join(work, 'evil.tar'), '../escaped'], { cwd: join(work, 'evil/inner') })
    const evil = dockerArchive(['evil:1'], [layer1(), readFileSync(join(work, 'evil.tar'))])
    await assert.rejects(store.load(evil), /"..\/escaped" escapes the extraction directory/)
    await assert.rejects(store.resolve('evil:1'), ImagePullError)
    assert.equal(existsSync(join(work, 'store/escaped')), false)
  })
})

describe('LocalImageStore.resolve of unknown images', () => {
  const store = new LocalImageStore({ dir: join(work, 'empty') })
  it('rejects ImagePullError saying how to load the image', async () => {
    await assert.rejects(store.resolve('redis:7'), (e: unknown) => {
      assert.ok(e instanceof ImagePullError)
      assert.equal(
        (e as Error).message,
        'failed to pull and unpack image "docker.io/library/redis:7": no registry is reachable from petset; load the image with: petset image load <file> (an OCI layout or docker save archive)',
      )
      assert.equal((e as { image: string }).image, 'redis:7')
      return true
    })
  })
  it('rejects an invalid name as ImagePullError', async () => {
    await assert.rejects(store.resolve('Redis'), /invalid reference format/)
    await assert.rejects(store.resolve('ikubernetes/myapp:latest'), /no registry is reachable/)
    await assert.rejects(store.resolve(`sha256:${'b'.repeat(64)}`), /no registry is reachable/)
  })
})
