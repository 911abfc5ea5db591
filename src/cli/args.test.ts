import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseHostPort, parseUpArgs } from './args.js'

test('parseHostPort reads IPv4, IPv6 and empty hosts', () => {
  assert.deepEqual(parseHostPort('127.0.0.1:0'), { host: '127.0.0.1', port: 0 })
  assert.deepEqual(parseHostPort('[::1]:6443'), { host: '::1', port: 6443 })
  assert.deepEqual(parseHostPort(':8080'), { host: '127.0.0.1', port: 8080 })
  assert.throws(() => parseHostPort('nope'), /expected HOST:PORT/)
})

test('parseUpArgs applies defaults and rejects bad values', () => {
  const o = parseUpArgs(['--data-dir', '/tmp/x', '--listen', '127.0.0.1:0'], {})
  assert.equal(o.dataDir, '/tmp/x')
  assert.deepEqual(o.listen, { host: '127.0.0.1', port: 0 })
  assert.equal(o.nodes, 1)
  assert.equal(o.insecureHttp, false)
  assert.throws(() => parseUpArgs(['--nodes=-1'], {}), /non-negative/)
  assert.throws(() => parseUpArgs(['--runtime', 'docker'], {}), /runc, process or simulated/)
  assert.throws(() => parseUpArgs(['--bogus'], {}), /Unknown option/)
})
