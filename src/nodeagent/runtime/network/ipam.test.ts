import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, test } from 'node:test'
import { candidateOffsets, FileIpam, IpamExhausted } from './ipam.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ipam-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

test('candidate offsets skip network, gateway and broadcast and go round-robin after the last', () => {
  assert.deepEqual(candidateOffsets(8, undefined), [2, 3, 4, 5, 6])
  assert.deepEqual(candidateOffsets(8, 4), [5, 6, 2, 3, 4])
  assert.deepEqual(candidateOffsets(8, 6), [2, 3, 4, 5, 6])
  assert.deepEqual(candidateOffsets(8, 99), [2, 3, 4, 5, 6], 'a last outside the range restarts at .2')
  assert.deepEqual(candidateOffsets(4, undefined), [2], '/30: one usable pod address')
  assert.deepEqual(candidateOffsets(2, undefined), [])
  assert.equal(candidateOffsets(256, undefined).length, 253)
})

test('allocates from .2 upward, one address per owner, idempotently', async () => {
  const ipam = new FileIpam(dir)
  await ipam.setRange('10.244.1.0/24')
  assert.equal(await ipam.allocate('a'), '10.244.1.2')
  assert.equal(await ipam.allocate('b'), '10.244.1.3')
  assert.equal(await ipam.allocate('a'), '10.244.1.2', 'same owner, same address')
  assert.deepEqual([...(await ipam.allocations())].sort(), [
    ['10.244.1.2', 'a'],
    ['10.244.1.3', 'b'],
  ])
})

test('concurrent allocations get distinct addresses', async () => {
  const ipam = new FileIpam(dir)
  await ipam.setRange('10.244.1.0/24')
  const ips = await Promise.all(Array.from({ length: 20 }, (_, i) => ipam.allocate(`p${i}`)))
  assert.equal(new Set(ips).size, 20)
})

test('release frees the address; it is reused only after the others (round robin)', async () => {
  const ipam = new FileIpam(dir)
  await ipam.setRange('10.244.1.0/29') // .2-.6
  for (const o of ['a', 'b', 'c']) await ipam.allocate(o)
  assert.equal(await ipam.release('a'), '10.244.1.2')
  assert.equal(await ipam.release('a'), undefined, 'releasing twice is fine')
  assert.equal(await ipam.allocate('d'), '10.244.1.5')
  assert.equal(await ipam.allocate('e'), '10.244.1.6')
  assert.equal(await ipam.allocate('f'), '10.244.1.2', 'wrapped around to the freed one')
  await assert.rejects(
    ipam.allocate('g'),
    (e: unknown) => e instanceof IpamExhausted && /10.244.1.0\/29/.test(e.message),
  )
})

test('allocations persist across instances (an agent restart never reuses a live IP)', async () => {
  const first = new FileIpam(dir)
  await first.setRange('10.244.1.0/24')
  await first.allocate('live')
  const second = new FileIpam(dir)
  await second.setRange('10.244.1.0/24')
  assert.equal(await second.allocate('new'), '10.244.1.3')
  assert.equal(await second.allocate('live'), '10.244.1.2')
  assert.equal(readFileSync(join(dir, '10.244.1.2'), 'utf8'), 'live\n')
})

test('an address taken by another process (file exists) is skipped', async () => {
  const ipam = new FileIpam(dir)
  await ipam.setRange('10.244.1.0/24')
  await ipam.allocate('a')
  writeFileSync(join(dir, '10.244.1.3'), 'other\n')
  assert.equal(await ipam.allocate('b'), '10.244.1.4')
})

test('releaseExcept frees the addresses of owners that are gone', async () => {
  const ipam = new FileIpam(dir)
  await ipam.setRange('10.244.1.0/24')
  for (const o of ['a', 'b', 'c']) await ipam.allocate(o)
  assert.deepEqual((await ipam.releaseExcept(new Set(['b']))).sort(), ['10.244.1.2', '10.244.1.4'])
  assert.deepEqual([...(await ipam.allocations()).values()], ['b'])
})

test('a new range drops the old allocations; the same range keeps them; wipe removes everything', async () => {
  const ipam = new FileIpam(dir)
  await ipam.setRange('10.244.1.0/24')
  await ipam.allocate('a')
  await ipam.setRange('10.244.1.9/24') // same network, other spelling
  assert.equal((await ipam.allocations()).size, 1)
  await ipam.setRange('10.244.2.0/24')
  assert.equal((await ipam.allocations()).size, 0)
  assert.equal(await ipam.allocate('a'), '10.244.2.2')
  assert.equal(ipam.range(), '10.244.2.0/24')
  await ipam.wipe()
  assert.throws(() => readdirSync(dir))
  assert.equal(ipam.range(), undefined)
  await assert.rejects(ipam.allocate('a'), /no range/)
})

test('owners that cannot be stored on one line are refused', async () => {
  const ipam = new FileIpam(dir)
  await ipam.setRange('10.244.1.0/24')
  await assert.rejects(ipam.allocate('a\nb'), /invalid IPAM owner/)
  await assert.rejects(ipam.allocate(''), /invalid IPAM owner/)
})

test('reserve records a surviving sandbox address, never overwriting another owner', async () => {
  const ipam = new FileIpam(dir)
  await ipam.reserve('10.244.1.7', 'survivor')
  await ipam.setRange('10.244.1.0/24')
  await ipam.reserve('10.244.1.7', 'intruder')
  assert.equal((await ipam.allocations()).get('10.244.1.7'), 'survivor')
  assert.equal(await ipam.allocate('survivor'), '10.244.1.7')
})
