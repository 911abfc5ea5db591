/**
 * Facts about the machine a node agent runs on: OS image, kernel, architecture, a primary IPv4
 * address, and stable per-node machine ids. Reads node:os and /etc/os-release once; the rest of
 * the agent gets these as plain data (node-status.ts stays pure).
 */
import { createHash, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { arch, networkInterfaces, release } from 'node:os'
import type { NodeSystemInfo } from '../api/core.js'

/** The version the agent reports as kubeletVersion. */
export const kubeletVersion = 'v1.32.0+petset'

/** Go's GOARCH for Node's process.arch. */
export function goArch(nodeArch: string = arch()): string {
  const map: Record<string, string> = {
    x64: 'amd64',
    ia32: '386',
    arm64: 'arm64',
    arm: 'arm',
    ppc64: 'ppc64le',
    s390x: 's390x',
  }
  return map[nodeArch] ?? nodeArch
}

/** PRETTY_NAME from /etc/os-release, as the kubelet reports osImage. */
function osImage(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))
    if (m?.[1]) return m[1]
  } catch {
    // Not Linux, or a minimal container: fall through.
  }
  return 'Linux'
}

/** A UUID-shaped id derived from a seed, stable across restarts. */
function stableUUID(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

/** nodeInfo for a node named nodeName backed by this runtime. */
export function hostNodeInfo(nodeName: string, runtimeName: string): NodeSystemInfo {
  return {
    machineID: createHash('sha256').update(`machine:${nodeName}`).digest('hex').slice(0, 32),
    systemUUID: stableUUID(`system:${nodeName}`),
    bootID: randomUUID(),
    kernelVersion: release(),
    osImage: osImage(),
    containerRuntimeVersion: `${runtimeName}://petset`,
    kubeletVersion,
    operatingSystem: 'linux',
    architecture: goArch(),
  }
}

/** The first non-internal IPv4 address of this machine, else 127.0.0.1. */
export function primaryIPv4(): string {
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address
  return '127.0.0.1'
}
