/** The OCI spec deltas: namespaces, limits, capabilities, mount order, NOFILE. */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { bindMount, defaultCapabilities, linuxResources, type OciSpecInput, ociSpec } from './oci-spec.js'

const input: OciSpecInput = {
  args: ['sleep', '1'],
  env: { PATH: '/usr/bin', HOSTNAME: 'web-0' },
  cwd: '/',
  user: { uid: 0, gid: 0 },
  hostname: 'web-0',
  terminal: false,
  rootfs: 'rootfs',
  mounts: [bindMount('/var/data', '/pv/a', false), bindMount('/etc/config', '/cm', true)],
  cgroupsPath: '/petset/n/u/app-0',
  nofile: 20000,
}
type Spec = {
  process: Record<string, unknown> & { capabilities: { bounding: string[] }; env: string[] }
  mounts: { destination: string; options?: string[] }[]
  linux: { namespaces: { type: string; path?: string }[]; cgroupsPath: string }
  hostname: string
}

it('joins the node network without a netns path, the pod netns with one', () => {
  const types = (s: Spec) => s.linux.namespaces.map(n => n.type + (n.path ? `=${n.path}` : ''))
  assert.deepEqual(types(ociSpec(input) as Spec), ['pid', 'ipc', 'uts', 'mount'])
  assert.deepEqual(types(ociSpec({ ...input, netnsPath: '/var/run/netns/p' }) as Spec), [
    'pid',
    'ipc',
    'uts',
    'mount',
    'network=/var/run/netns/p',
  ])
})

it('keeps runc defaults first (no cgroup mount), then the given mounts in order', () => {
  const s = ociSpec(input) as Spec
  assert.deepEqual(
    s.mounts.map(m => m.destination),
    ['/proc', '/dev', '/dev/pts', '/dev/shm', '/dev/mqueue', '/sys', '/var/data', '/etc/config'],
  )
  assert.deepEqual(s.mounts.at(-1)?.options, ['rbind', 'ro', 'nodev'])
})

it('sets Docker capabilities, NOFILE, hostname, env and the cgroup path', () => {
  const s = ociSpec(input) as Spec
  assert.equal(s.process.capabilities.bounding.length, 14)
  assert.deepEqual(s.process.capabilities.bounding, defaultCapabilities)
  assert.deepEqual(s.process.rlimits, [{ type: 'RLIMIT_NOFILE', hard: 20000, soft: 20000 }])
  assert.deepEqual(s.process.env, ['PATH=/usr/bin', 'HOSTNAME=web-0'])
  assert.equal(s.process.terminal, false)
  assert.deepEqual([s.hostname, s.linux.cgroupsPath], ['web-0', '/petset/n/u/app-0'])
})

it('converts limits: memory bytes, pids, CPU millicores to quota and shares', () => {
  assert.deepEqual(
    linuxResources({ memoryLimitBytes: 64 * 2 ** 20, pidsLimit: 100, cpuQuotaMilli: 250, cpuRequestMilli: 100 }),
    {
      devices: [{ allow: false, access: 'rwm' }],
      memory: { limit: 67108864 },
      pids: { limit: 100 },
      cpu: { quota: 25000, period: 100000, shares: 102 },
    },
  )
  assert.deepEqual(linuxResources(undefined), { devices: [{ allow: false, access: 'rwm' }] })
})
