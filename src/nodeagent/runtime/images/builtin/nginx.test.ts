import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { LocalImageStore } from '../store.js'
import type { ResolvedImage } from '../types.js'

// Runs the built-in nginx images the way the runc runtime lays them out (writable copies bound
// over /etc/nginx and /usr/share/nginx/html, tmpfs on the writable dirs), in a private mount and
// network namespace of the host, and fetches the pages.
const canRun =
  process.getuid?.() === 0 &&
  existsSync('/usr/sbin/nginx') &&
  existsSync('/usr/bin/unshare') &&
  existsSync('/usr/bin/curl')

const work = mkdtempSync(join(tmpdir(), 'petset-nginx-'))
after(() => process.env.KEEP_TMP || rmSync(work, { recursive: true, force: true }))
const store = new LocalImageStore({ dir: join(work, 'images') })

/** The shell script that mounts the image's dirs, runs its entrypoint+cmd and curls the paths. */
function script(img: ResolvedImage, paths: string[]): string {
  if (img.rootfs.kind !== 'host') throw new Error('host image expected')
  const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`
  const lines = ['set -e', 'ip link set lo up', 'mount -t tmpfs tmpfs /run']
  for (const d of img.rootfs.dirs) {
    const copy = join(work, `copy${d.path.replaceAll('/', '-')}`)
    lines.push(`rm -rf ${q(copy)}; cp -a ${q(d.hostPath)} ${q(copy)}`, `mount --bind ${q(copy)} ${q(d.path)}`)
  }
  // NOTE: only existing dirs: the host fs is shared here (runc would create them in its own rootfs).
  for (const w of img.rootfs.writableDirs) lines.push(`[ ! -d ${q(w)} ] || mount -t tmpfs tmpfs ${q(w)}`)
  for (const f of img.rootfs.files) lines.push(`cp ${q(f.hostPath)} ${q(join(work, f.path))}`)
  const argv = [...(img.config.entrypoint ?? []), ...(img.config.cmd ?? [])]
  const local = (a: string) =>
    img.rootfs.kind === 'host' && img.rootfs.files.some(f => f.path === a) ? join(work, a) : a
  lines.push(`HOSTNAME=web-0 ${argv.map(a => q(local(a))).join(' ')} > ${q(join(work, 'out.log'))} 2>&1 & pid=$!`)
  lines.push('for i in $(seq 50); do curl -s -o /dev/null http://127.0.0.1/ && break; sleep 0.1; done')
  for (const p of paths) lines.push(`curl -s http://127.0.0.1${p}`)
  lines.push('kill $pid; wait $pid || true')
  return lines.join('\n')
}

const run = (img: ResolvedImage, paths: string[]) =>
  execFileSync('unshare', ['--mount', '--net', '--pid', '--fork', '--mount-proc', 'sh', '-c', script(img, paths)], {
    encoding: 'utf8',
    timeout: 20_000,
  })

describe('built-in nginx images serve like the real ones', {
  skip: !canRun && 'needs root, nginx, unshare and curl',
}, () => {
  it('nginx:1.9.1 serves the welcome page on port 80 and logs the request to stdout', async () => {
    const out = run(await store.resolve('nginx:1.9.1'), ['/'])
    assert.match(out, /<h1>Welcome to nginx!<\/h1>/)
    assert.match(execFileSync('cat', [join(work, 'out.log')], { encoding: 'utf8' }), /"GET \/ HTTP\/1.1" 200/)
  })

  it('ikubernetes/myapp:v1 serves the version page and the pod name', async () => {
    const out = run(await store.resolve('ikubernetes/myapp:v1'), ['/', '/hostname.html'])
    assert.equal(out, 'Hello MyApp | Version: v1 | <a href="hostname.html">Pod Name</a>\nweb-0\n')
  })
})
