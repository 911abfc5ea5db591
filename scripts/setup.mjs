#!/usr/bin/env node
// Installs what petset needs on a fresh clone: npm dependencies (with better-sqlite3's native
// build) and, when running as root on Debian, the Debian packages petset drives (runc, dnsutils).
// Safe to run repeatedly: it only acts on what is missing.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const quiet = process.argv.includes('--quiet')
const say = msg => quiet || console.log(`setup: ${msg}`)

function sqliteLoads() {
  const r = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { cwd: root })
  return r.status === 0
}

if (!existsSync(join(root, 'node_modules', '.package-lock.json')) || !sqliteLoads()) {
  console.log('setup: installing npm dependencies')
  execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' })
  if (!sqliteLoads()) execFileSync('npm', ['rebuild', 'better-sqlite3'], { cwd: root, stdio: 'inherit' })
  if (!sqliteLoads()) throw new Error('better-sqlite3 does not load after install; see the output above')
}

// Debian packages: command → package. Installed only as root, only when missing.
const debs = {
  runc: 'runc',
  dig: 'dnsutils',
  ip: 'iproute2',
  nginx: 'nginx-light',
  busybox: 'busybox',
  setfattr: 'attr',
}
const has = cmd => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0 || existsSync(`/usr/sbin/${cmd}`)
const missing = [
  ...new Set(
    Object.entries(debs)
      .filter(([cmd]) => !has(cmd))
      .map(([, pkg]) => pkg),
  ),
]
if (missing.length && process.env.PETSET_SKIP_APT !== '1') {
  if (process.getuid?.() === 0 && has('apt-get')) {
    console.log(`setup: apt-get install ${missing.join(' ')}`)
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
    const install =
      update.status === 0 &&
      spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env })
    if (install?.status !== 0)
      console.warn(`setup: could not install ${missing.join(' ')}; tests that need them will skip`)
  } else {
    say(`not root: skipping Debian packages ${missing.join(' ')} (tests that need them skip)`)
  }
}

// Debian's kubectl 1.20 (package kubernetes-client) is unpacked beside the project, not installed:
// its /usr/bin/kubectl would collide with the version dispatcher. Tests find it in .cache/.
const debianKubectl = join(root, '.cache', 'debian-kubectl', 'usr', 'bin', 'kubectl')
if (!existsSync(debianKubectl) && process.getuid?.() === 0 && has('apt-get') && process.env.PETSET_SKIP_APT !== '1') {
  const dir = join(root, '.cache', 'debian-kubectl')
  mkdirSync(dir, { recursive: true })
  const dl = spawnSync(
    'sh',
    [
      '-c',
      `cd "${dir}" && apt-get download -qq kubernetes-client && dpkg -x kubernetes-client_*.deb . && rm -f kubernetes-client_*.deb`,
    ],
    {
      stdio: 'inherit',
    },
  )
  if (dl.status !== 0) console.warn('setup: could not unpack Debian kubernetes-client; kubectl 1.20 tests will skip')
}
