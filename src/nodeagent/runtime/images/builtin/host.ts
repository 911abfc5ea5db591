/**
 * Built-ins that are the host's Debian userland under another name: `busybox` (busybox applets
 * first in PATH), `tutum/dnsutils` (dig, nslookup) and `debian`/`debian-host`. Definitions only;
 * asks the host's busybox for its applet list once.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { type BuiltinImage, defaultPath } from './define.js'

/** Where the busybox applet links are bound inside the container (first in PATH). */
export const busyboxBinDir = '/busybox/bin'

let applets: { binary: string; names: string[] } | null | undefined

/** The host busybox and its applets, or null when busybox is not installed. */
function hostBusybox(): { binary: string; names: string[] } | null {
  if (applets !== undefined) return applets
  const binary = ['/usr/bin/busybox', '/bin/busybox'].find(p => existsSync(p))
  applets = null
  if (binary) {
    try {
      const out = execFileSync(binary, ['--list'], { encoding: 'utf8', timeout: 5000 })
      const names = out.split('\n').filter(n => /^[\w.[-]+$/.test(n) && n !== 'busybox')
      applets = { binary, names }
    } catch {
      applets = null
    }
  }
  return applets
}

/** A host-userland image with no content of its own. */
function hostImage(key: string, cmd: string[], extra: Partial<BuiltinImage> = {}): BuiltinImage {
  return {
    key,
    config: { cmd, env: [`PATH=${defaultPath}`] },
    content: [],
    files: [],
    dirs: [],
    writableDirs: [],
    requires: [],
    ...extra,
  }
}

/**
 * busybox: the host userland with busybox's applets first in PATH (so `sh`, `nslookup`, `wget`
 * are busybox's, as in the real image). Without busybox installed, the plain host userland.
 */
export function busyboxImage(): BuiltinImage {
  const bb = hostBusybox()
  if (!bb) return hostImage('busybox-host', ['sh'])
  return hostImage('busybox', ['sh'], {
    config: { cmd: ['sh'], env: [`PATH=${busyboxBinDir}:${defaultPath}`] },
    content: bb.names.map(n => ({ path: `bin/${n}`, symlink: bb.binary })),
    dirs: [{ path: busyboxBinDir, from: 'bin', writable: false }],
  })
}

/** tutum/dnsutils: dig and nslookup from Debian's dnsutils; the real image's default is bash. */
export function dnsutilsImage(): BuiltinImage {
  return hostImage('dnsutils', ['/bin/bash'], {
    requires: [
      {
        path: '/usr/bin/dig',
        message:
          'the built-in dnsutils image needs Debian\'s dnsutils (dig is missing): run "npm run setup" as root or "apt-get install dnsutils"',
      },
    ],
  })
}

/** debian, debian-host: the host's Debian userland, `bash` by default. */
export function debianImage(): BuiltinImage {
  return hostImage('debian-host', ['bash'])
}
