/** Tests of resolv.conf and upstream parsing. */
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { parseResolvConf, parseUpstream, readResolvConf } from './resolv-conf.js'

test('parseResolvConf keeps nameservers in order and ignores everything else', () => {
  const text = [
    '# generated',
    'search default.svc.cluster.local svc.cluster.local',
    'nameserver 10.255.255.53',
    'nameserver   fe80::1%eth0 ; link-local',
    'nameserver not-an-ip',
    'options ndots:5',
    'nameserver 1.1.1.1 # trailing comment',
  ].join('\n')
  assert.deepEqual(parseResolvConf(text), [
    { host: '10.255.255.53', port: 53 },
    { host: 'fe80::1', port: 53 },
    { host: '1.1.1.1', port: 53 },
  ])
})

test('readResolvConf reads a file and is empty when there is none', () => {
  const dir = mkdtempSync(join(tmpdir(), 'petset-dns-'))
  writeFileSync(join(dir, 'resolv.conf'), 'nameserver 192.0.2.1\n')
  assert.deepEqual(readResolvConf(join(dir, 'resolv.conf')), [{ host: '192.0.2.1', port: 53 }])
  assert.deepEqual(readResolvConf(join(dir, 'missing')), [])
})

test('parseUpstream accepts host, host:port and [v6]:port', () => {
  assert.deepEqual(parseUpstream('1.1.1.1'), { host: '1.1.1.1', port: 53 })
  assert.deepEqual(parseUpstream('127.0.0.1:5353'), { host: '127.0.0.1', port: 5353 })
  assert.deepEqual(parseUpstream('::1'), { host: '::1', port: 53 })
  assert.deepEqual(parseUpstream('[::1]:5353'), { host: '::1', port: 5353 })
  for (const bad of ['dns.google', '1.1.1.1:0', '1.1.1.1:99999', '[::1]:x'])
    assert.throws(() => parseUpstream(bad), bad)
})
