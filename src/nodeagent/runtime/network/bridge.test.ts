import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, test } from 'node:test'
import { isNetworkNotReady } from '../runtime.js'
import { BridgeNetwork, bridgeMac } from './bridge.js'
import { parseLinkNames, routingCommands } from './host-routing.js'
import { IpCommandError, type IpRunner } from './ip-command.js'
import { netnsName, vethName } from './names.js'
import type { SandboxNetwork } from './types.js'

/** Records every ip command (batch lines appended); fail decides which ones throw. */
function recorder(fail: (cmd: string) => string | undefined = () => undefined, outputs: Record<string, string> = {}) {
  const cmds: string[] = []
  const run: IpRunner = async (args, opts) => {
    const cmd = [...args, ...(opts?.batch ? ['<<', ...opts.batch] : [])].join(' ')
    cmds.push(cmd)
    const err = fail(cmd)
    if (err) throw new IpCommandError(args, err)
    return outputs[args.join(' ')] ?? ''
  }
  const sysctls: string[] = []
  const sysctl = async (link: string, key: string, value: string) => void sysctls.push(`${link}.${key}=${value}`)
  return { cmds, run, sysctls, sysctl }
}

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bridge-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const sandbox = { id: 'sb1', uid: 'u1', namespace: 'default', name: 'web-0' }

test('setup before a podCIDR rejects NetworkNotReady and creates nothing', async () => {
  const r = recorder()
  const net = new BridgeNetwork({ nodeName: 'node-1', stateDir: dir, run: r.run, sysctl: r.sysctl })
  await assert.rejects(net.setup(sandbox), isNetworkNotReady)
  assert.deepEqual(r.cmds, [])
  assert.equal(net.status().ready, false)
})

test('configure creates the bridge with a fixed MAC, the gateway and per-bridge forwarding', async () => {
  const r = recorder(cmd => (cmd === 'link add psbr-node-1 type bridge' ? 'RTNETLINK answers: File exists' : undefined))
  const net = new BridgeNetwork({ nodeName: 'node-1', stateDir: dir, run: r.run, sysctl: r.sysctl })
  await net.configure({ podCIDR: '10.244.1.0/24' })
  assert.deepEqual(r.cmds, [
    'link add psbr-node-1 type bridge',
    `link set psbr-node-1 address ${bridgeMac('psbr-node-1')}`,
    '-o -4 addr show dev psbr-node-1',
    'addr replace 10.244.1.1/24 dev psbr-node-1',
    'link set psbr-node-1 up',
    ...routingCommands('psbr-node-1', '10.244.0.0/16').map(c => c.join(' ')),
  ])
  assert.deepEqual(r.sysctls, ['psbr-node-1.forwarding=1'])
  assert.deepEqual(net.status(), { ready: true })
  assert.equal(net.gateway(), '10.244.1.1')
  assert.match(bridgeMac('psbr-node-1'), /^02(:[0-9a-f]{2}){5}$/)
})

test('setup creates netns, veth, address and default route; teardown removes them and frees the IP', async () => {
  const r = recorder()
  const net = new BridgeNetwork({ nodeName: 'node-1', stateDir: dir, run: r.run, sysctl: r.sysctl })
  await net.configure({ podCIDR: '10.244.1.0/24' })
  r.cmds.length = 0
  const ns = netnsName('node-1', 'sb1')
  const veth = vethName('node-1', 'sb1')
  assert.deepEqual(await net.setup(sandbox), { ip: '10.244.1.2', netnsPath: `/var/run/netns/${ns}` })
  assert.deepEqual(r.cmds, [
    `netns del ${ns}`,
    `link del ${veth}`,
    `netns add ${ns}`,
    `link add ${veth} type veth peer name eth0 netns ${ns}`,
    `link set ${veth} master psbr-node-1 up`,
    `-n ${ns} << addr add 10.244.1.2/24 dev eth0 link set eth0 up link set lo up route add default via 10.244.1.1`,
  ])
  r.cmds.length = 0
  await net.teardown(sandbox)
  assert.deepEqual(r.cmds, [`netns del ${ns}`, `link del ${veth}`])
  assert.equal((await net.setup({ ...sandbox, id: 'sb2' })).ip, '10.244.1.3', 'round robin: .2 not reused at once')
})

test('adopt keeps a surviving sandbox IP out of new allocations', async () => {
  const r = recorder()
  const net: SandboxNetwork = new BridgeNetwork({ nodeName: 'node-1', stateDir: dir, run: r.run, sysctl: r.sysctl })
  net.adopt(sandbox, { ip: '10.244.1.2', netnsPath: '/var/run/netns/x' })
  await net.configure({ podCIDR: '10.244.1.0/24' })
  assert.equal((await net.setup({ ...sandbox, id: 'other' })).ip, '10.244.1.3')
})

test('a failed setup removes what it created and frees the IP', async () => {
  const r = recorder(cmd => (cmd.includes('master') ? 'RTNETLINK answers: Operation not permitted' : undefined))
  const net = new BridgeNetwork({ nodeName: 'node-1', stateDir: dir, run: r.run, sysctl: r.sysctl })
  await net.configure({ podCIDR: '10.244.1.0/24' })
  await assert.rejects(net.setup(sandbox), /Operation not permitted/)
  const ns = netnsName('node-1', 'sb1')
  assert.deepEqual(r.cmds.slice(-2), [`netns del ${ns}`, `link del ${vethName('node-1', 'sb1')}`])
})

test('gc removes namespaces and veths of sandboxes that are gone, keeping live ones', async () => {
  const live = netnsName('node-1', 'live')
  const dead = netnsName('node-1', 'dead')
  const r = recorder(undefined, {
    'netns list': `${dead} (id: 3)\n${live} (id: 2)\nps-node-10_other (id: 1)\nsomeone-else\n`,
    '-o link show master psbr-node-1': [
      `7: ${vethName('node-1', 'live')}@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master psbr-node-1`,
      `9: ${vethName('node-1', 'dead')}@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master psbr-node-1`,
    ].join('\n'),
  })
  const net = new BridgeNetwork({ nodeName: 'node-1', stateDir: dir, run: r.run, sysctl: r.sysctl })
  const { removed } = await net.gc(['live'])
  assert.deepEqual(removed, [dead, vethName('node-1', 'dead')])
  assert.ok(!r.cmds.some(c => c.includes('ps-node-10_other') || c.includes(live)))
})

test('cleanupAll removes namespaces, the bridge and its rules', async () => {
  const r = recorder(
    cmd =>
      cmd.startsWith('rule del') || cmd.startsWith('route del')
        ? 'RTNETLINK answers: No such file or directory'
        : undefined,
    {
      'netns list': `${netnsName('node-1', 'a')}\n`,
    },
  )
  const net = new BridgeNetwork({ nodeName: 'node-1', stateDir: dir, run: r.run, sysctl: r.sysctl })
  await net.cleanupAll()
  assert.ok(r.cmds.includes(`netns del ${netnsName('node-1', 'a')}`))
  assert.ok(r.cmds.includes('link del psbr-node-1'))
  assert.ok(r.cmds.includes('rule del pref 2440 iif psbr-node-1 to 10.244.0.0/16 lookup main'))
  assert.ok(r.cmds.includes('rule del pref 2441 iif psbr-node-1 unreachable'))
  assert.ok(r.cmds.includes('route del unreachable 10.244.0.0/16'), 'no other petset bridge: the cluster route goes')
})

test('link names are parsed from ip -o link output', () => {
  assert.deepEqual(
    parseLinkNames('1: lo: <LOOPBACK> mtu 65536\n7: psv0123456789ab@if2: <UP> mtu 1500\n12: psbr-node-1: <UP>\n'),
    ['lo', 'psv0123456789ab', 'psbr-node-1'],
  )
})
