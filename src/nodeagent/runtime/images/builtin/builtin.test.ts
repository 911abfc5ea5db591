import assert from 'node:assert/strict'
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { ImagePullError } from '../../runtime.js'
import { LocalImageStore } from '../store.js'
import type { HostDir, ResolvedImage } from '../types.js'
import { type BuiltinImage, builtinId, materialize, missingRequirement } from './define.js'

const work = mkdtempSync(join(tmpdir(), 'petset-builtin-'))
after(() => rmSync(work, { recursive: true, force: true }))
const store = new LocalImageStore({ dir: join(work, 'images') })

const hasNginx = existsSync('/usr/sbin/nginx')
const hasBusybox = existsSync('/usr/bin/busybox') || existsSync('/bin/busybox')

function host(img: ResolvedImage) {
  assert.equal(img.rootfs.kind, 'host')
  if (img.rootfs.kind !== 'host') throw new Error('unreachable')
  return img.rootfs
}
const dirAt = (img: ResolvedImage, path: string): HostDir | undefined => host(img).dirs.find(d => d.path === path)
const fileAt = (img: ResolvedImage, path: string) => host(img).files.find(f => f.path === path)

describe('built-in images of the seed tutorials', () => {
  for (const name of ['nginx', 'nginx:1.9.1', 'nginx:1.10', 'docker.io/library/nginx:latest']) {
    it(`${name}: Debian's nginx, official layout`, { skip: !hasNginx && 'nginx not installed' }, async () => {
      const img = await store.resolve(name)
      assert.equal(img.builtIn, true)
      assert.deepEqual(img.config.cmd, ['nginx', '-g', 'daemon off;'])
      assert.deepEqual(img.config.exposedPorts, [80])
      const html = dirAt(img, '/usr/share/nginx/html')
      assert.ok(html?.writable)
      assert.match(readFileSync(join(html.hostPath, 'index.html'), 'utf8'), /<h1>Welcome to nginx!<\/h1>/)
      const etc = dirAt(img, '/etc/nginx')
      assert.match(readFileSync(join(etc!.hostPath, 'nginx.conf'), 'utf8'), /access_log {2}\/dev\/stdout/)
      assert.match(
        readFileSync(join(etc!.hostPath, 'conf.d/default.conf'), 'utf8'),
        /root {3}\/usr\/share\/nginx\/html;/,
      )
      assert.ok(existsSync(join(etc!.hostPath, 'mime.types')))
      assert.ok(host(img).writableDirs.includes('/var/lib/nginx'))
    })
  }

  it('the same built-in under two tags shares its id and generated content', { skip: !hasNginx }, async () => {
    const a = await store.resolve('nginx:1.9.1')
    const b = await store.resolve('nginx')
    assert.equal(a.id, b.id)
    assert.equal(a.name, 'docker.io/library/nginx:1.9.1')
    assert.equal(a.ref, `docker.io/library/nginx@${a.id}`)
    assert.deepEqual(a.rootfs, b.rootfs)
  })

  for (const v of ['v1', 'v2']) {
    it(`ikubernetes/myapp:${v}: nginx with the version page and a hostname entrypoint`, {
      skip: !hasNginx,
    }, async () => {
      const img = await store.resolve(`ikubernetes/myapp:${v}`)
      assert.equal(img.name, `docker.io/ikubernetes/myapp:${v}`)
      assert.deepEqual(img.config.entrypoint, ['/myapp-entrypoint.sh'])
      assert.deepEqual(img.config.cmd, ['nginx', '-g', 'daemon off;'])
      const index = readFileSync(join(dirAt(img, '/usr/share/nginx/html')!.hostPath, 'index.html'), 'utf8')
      assert.equal(index, `Hello MyApp | Version: ${v} | <a href="hostname.html">Pod Name</a>\n`)
      const entry = fileAt(img, '/myapp-entrypoint.sh')
      assert.equal(entry?.mode, 0o755)
      assert.equal(lstatSync(entry!.hostPath).mode & 0o777, 0o755)
    })
  }

  it('myapp v1 and v2 are different images', { skip: !hasNginx }, async () => {
    assert.notEqual((await store.resolve('ikubernetes/myapp:v1')).id, (await store.resolve('ikubernetes/myapp:v2')).id)
  })

  for (const [name, peers] of [
    ['luksa/kubia-pet', false],
    ['luksa/kubia-pet-peers', true],
  ] as const) {
    it(`${name}: node app.js on 8080 with /var/data writable`, async () => {
      const img = await store.resolve(name)
      assert.deepEqual(img.config.entrypoint, ['node', 'app.js'])
      assert.equal(img.config.workingDir, '/')
      assert.deepEqual(img.config.exposedPorts, [8080])
      const app = readFileSync(fileAt(img, '/app.js')!.hostPath, 'utf8')
      assert.equal(app.includes('resolveSrv'), peers)
      assert.ok(host(img).writableDirs.includes('/var/data'))
      const path =
        img.config.env
          ?.find(e => e.startsWith('PATH='))
          ?.slice(5)
          .split(':') ?? []
      assert.ok(
        path.some(p => existsSync(join(p, 'node'))) || host(img).dirs.some(d => !d.writable),
        'node is on the PATH',
      )
    })
  }

  for (const name of ['busybox', 'busybox:1.28', 'busybox:latest']) {
    it(`${name}: host userland with busybox applets first in PATH`, async () => {
      const img = await store.resolve(name)
      assert.deepEqual(img.config.cmd, ['sh'])
      if (!hasBusybox) return
      const bin = dirAt(img, '/busybox/bin')
      assert.equal(bin?.writable, false)
      assert.match(readlinkSync(join(bin!.hostPath, 'nslookup')), /busybox$/)
      assert.ok(readdirSync(bin!.hostPath).includes('wget'))
      assert.match(img.config.env![0]!, /^PATH=\/busybox\/bin:/)
    })
  }

  it('tutum/dnsutils: host userland, bash by default', { skip: !existsSync('/usr/bin/dig') }, async () => {
    const img = await store.resolve('tutum/dnsutils')
    assert.deepEqual(img.config.cmd, ['/bin/bash'])
    assert.deepEqual(host(img), { kind: 'host', files: [], dirs: [], writableDirs: [] })
  })

  for (const name of ['debian', 'debian:bookworm', 'debian-host']) {
    it(`${name}: host userland, bash by default`, async () => {
      assert.deepEqual((await store.resolve(name)).config.cmd, ['bash'])
    })
  }

  it('lists every built-in', async () => {
    const names = (await store.list()).filter(r => r.builtIn).map(r => r.name)
    for (const n of [
      'nginx',
      'ikubernetes/myapp:v1',
      'luksa/kubia-pet',
      'luksa/kubia-pet-peers',
      'library/busybox',
      'tutum/dnsutils',
    ]) {
      assert.ok(
        names.some(x => x.includes(n)),
        n,
      )
    }
  })
})

describe('built-in generation', () => {
  const def: BuiltinImage = {
    key: 'probe',
    config: { cmd: ['true'] },
    content: [
      { path: 'a/b.txt', data: 'hello' },
      { path: 'run.sh', data: '#!/bin/sh\n', mode: 0o755 },
      { path: 'link', symlink: '/usr/bin/env' },
    ],
    files: [],
    dirs: [],
    writableDirs: [],
    requires: [{ path: join(work, 'absent'), message: 'probe needs absent' }],
  }

  it('writes content once into a directory named by its id', async () => {
    const dir = await materialize(def, join(work, 'gen'))
    assert.equal(dir, join(work, 'gen', `probe-${builtinId(def).slice(7, 19)}`))
    assert.equal(readFileSync(join(dir, 'a/b.txt'), 'utf8'), 'hello')
    assert.equal(lstatSync(join(dir, 'run.sh')).mode & 0o777, 0o755)
    assert.equal(readlinkSync(join(dir, 'link')), '/usr/bin/env')
    assert.equal(await materialize(def, join(work, 'gen')), dir)
    const changed = { ...def, content: [{ path: 'a/b.txt', data: 'bye' }] }
    assert.notEqual(await materialize(changed, join(work, 'gen')), dir)
  })

  it('reports a missing host requirement (resolve turns it into ImagePullError)', () => {
    assert.equal(missingRequirement(def), 'probe needs absent')
    assert.equal(missingRequirement({ ...def, requires: [] }), undefined)
    assert.equal(new ImagePullError('x', 'm').code, 'ImagePull')
  })
})
