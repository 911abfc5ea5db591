import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import type { Service } from '../../../api/core.js'
import type { AdmissionContext } from '../resource.js'
import {
  AllocationError,
  allocateClusterIP,
  allocateNodePorts,
  configureServiceNetwork,
  parseCIDR,
  reservedKubernetesServiceIP,
} from './network.js'

const svc = (name: string, clusterIP: string, nodePorts: number[] = []): Service => ({
  metadata: { name, namespace: 'default' },
  spec: { clusterIP, clusterIPs: [clusterIP], ports: nodePorts.map((n, i) => ({ port: 80 + i, nodePort: n })) },
})
const ctxOf = (items: Service[]): AdmissionContext => ({ list: async () => items })
const failure = (e: unknown) =>
  e instanceof AllocationError ? `${e.requested ? 'static' : 'dynamic'}: ${e.message}` : String(e)

describe('service network', () => {
  let clock = 0
  beforeEach(() => {
    clock = 1_000
    configureServiceNetwork({
      cidr: '10.96.0.0/12',
      nodePortRange: '30000-32767',
      now: () => clock,
      random: Math.random,
    })
  })

  it('parses CIDRs and names the kubernetes service IP', () => {
    const cases = [
      { cidr: '10.96.0.0/12', ip: '10.96.0.1', size: 2 ** 20 },
      { cidr: '10.100.7.9/16', ip: '10.100.0.1', size: 2 ** 16 },
      { cidr: '192.168.0.0/29', ip: '192.168.0.1', size: 8 },
    ]
    for (const c of cases) {
      assert.equal(reservedKubernetesServiceIP(c.cidr), c.ip, c.cidr)
      assert.equal(parseCIDR(c.cidr).size, c.size, c.cidr)
    }
    assert.throws(() => parseCIDR('fd00::/108'))
  })

  it('never hands out the same IP to 200 concurrent creates', async () => {
    const ctx = ctxOf([svc('kubernetes', '10.96.0.1')])
    const ips = await Promise.all(Array.from({ length: 200 }, () => allocateClusterIP(ctx, '')))
    assert.equal(new Set(ips).size, 200)
    for (const ip of ips) {
      assert.match(ip, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/)
      assert.notEqual(ip, '10.96.0.1')
    }
  })

  it('prefers the dynamic band and honours requests', async () => {
    configureServiceNetwork({ random: () => 0 })
    const ctx = ctxOf([svc('a', '10.96.0.10')])
    // First dynamic address: offset 256 (the static band is 256 addresses on a /12).
    assert.equal(await allocateClusterIP(ctx, ''), '10.96.1.1')
    const cases: { name: string; requested: string; want: string }[] = [
      { name: 'free', requested: '10.96.0.5', want: '10.96.0.5' },
      { name: 'taken by a service', requested: '10.96.0.10', want: 'static: provided IP is already allocated' },
      { name: 'just reserved', requested: '10.96.0.5', want: 'static: provided IP is already allocated' },
      { name: 'outside', requested: '10.0.0.5', want: 'static: provided IP 10.0.0.5 is not in the valid range' },
      {
        name: 'network address',
        requested: '10.96.0.0',
        want: 'static: provided IP 10.96.0.0 is not in the valid range',
      },
      {
        name: 'broadcast',
        requested: '10.111.255.255',
        want: 'static: provided IP 10.111.255.255 is not in the valid range',
      },
    ]
    for (const c of cases) assert.equal(await allocateClusterIP(ctx, c.requested).catch(failure), c.want, c.name)
  })

  it('reports a full range, and frees reservations after they expire', async () => {
    configureServiceNetwork({ cidr: '192.168.0.0/29' })
    const ctx = ctxOf([])
    const got = []
    for (let i = 0; i < 5; i++) got.push(await allocateClusterIP(ctx, ''))
    assert.deepEqual(got.sort(), ['192.168.0.2', '192.168.0.3', '192.168.0.4', '192.168.0.5', '192.168.0.6'])
    assert.equal(await allocateClusterIP(ctx, '').catch(failure), 'dynamic: range is full')
    clock += 61_000
    assert.match(await allocateClusterIP(ctx, ''), /^192\.168\.0\.[2-6]$/)
  })

  it('allocates node ports, keeps them unique and rejects taken or out-of-range requests', async () => {
    const ctx = ctxOf([svc('a', '10.96.0.10', [30080])])
    const ports = await Promise.all(Array.from({ length: 50 }, () => allocateNodePorts(ctx, [0])))
    const flat = ports.flat()
    assert.equal(new Set(flat).size, 50)
    for (const p of flat) assert.ok(p >= 30000 && p <= 32767 && p !== 30080)
    const cases: { name: string; req: number[]; want: string }[] = [
      { name: 'free', req: [31000], want: '31000' },
      { name: 'taken', req: [30080], want: 'static: provided port is already allocated' },
      {
        name: 'out of range',
        req: [80],
        want: 'static: provided port is not in the valid range. The range of valid ports is 30000-32767',
      },
    ]
    for (const c of cases) assert.equal(await allocateNodePorts(ctx, c.req).then(String, failure), c.want, c.name)
    // The service being updated does not collide with itself.
    assert.deepEqual(await allocateNodePorts(ctx, [30080], svc('a', '')), [30080])
  })

  it('reports a full node port range', async () => {
    configureServiceNetwork({ nodePortRange: '30000-30002' })
    const ctx = ctxOf([])
    assert.deepEqual((await allocateNodePorts(ctx, [0, 0, 0])).sort(), [30000, 30001, 30002])
    assert.equal(await allocateNodePorts(ctx, [0]).then(String, failure), 'dynamic: range is full')
  })
})
