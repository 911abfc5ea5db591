/** Tests of the message helpers: names, zones, reply skeletons. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Flag, isSubdomain, lowerName, opcodeOf, Rcode, rcodeOf, replyTo, trimZone, withRcode } from './message.js'

test('names compare lower case without the trailing dot', () => {
  assert.equal(lowerName('Web-0.Nginx.Default.SVC.cluster.local.'), 'web-0.nginx.default.svc.cluster.local')
  assert.equal(lowerName('.'), '')
  assert.equal(lowerName(''), '')
})

test('zones: subdomain checks are label-aligned', () => {
  assert.ok(isSubdomain('a.cluster.local', 'cluster.local'))
  assert.ok(isSubdomain('cluster.local', 'cluster.local'))
  assert.ok(!isSubdomain('xcluster.local', 'cluster.local'))
  assert.ok(isSubdomain('anything', ''))
  assert.equal(trimZone('web-0.nginx.default.svc.cluster.local', 'cluster.local'), 'web-0.nginx.default.svc')
  assert.equal(trimZone('cluster.local', 'cluster.local'), '')
  assert.equal(trimZone('example.com', 'cluster.local'), undefined)
})

test('replyTo copies id, question, RD and opcode, sets RA, and carries the rcode', () => {
  const query = { id: 77, flags: Flag.RD, questions: [{ name: 'x', type: 'A' as const }] }
  const r = replyTo(query, { rcode: Rcode.NXDOMAIN, authoritative: true })
  assert.equal(r.id, 77)
  assert.equal(r.type, 'response')
  assert.deepEqual(r.questions, query.questions)
  assert.equal(rcodeOf(r), Rcode.NXDOMAIN)
  assert.equal(opcodeOf(r), 0)
  assert.equal((r.flags ?? 0) & (Flag.RD | Flag.RA | Flag.AA), Flag.RD | Flag.RA | Flag.AA)
  assert.equal(rcodeOf(withRcode(r, Rcode.SERVFAIL)), Rcode.SERVFAIL)
  const noRd = replyTo({ id: 1, flags: 0, questions: [] })
  assert.equal((noRd.flags ?? 0) & Flag.RD, 0)
  assert.equal((noRd.flags ?? 0) & Flag.AA, 0)
})
