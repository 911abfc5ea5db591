/** Tests of parseRequest: the shapes of cluster names (CoreDNS's parse_test.go). */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseRequest, type RecordRequest } from './parse.js'

const r = (parts: Partial<RecordRequest>): RecordRequest => ({
  podOrSvc: '',
  namespace: '',
  service: '',
  endpoint: '',
  port: '',
  protocol: '',
  ...parts,
})

test('parseRequest splits every valid shape', () => {
  const cases: [string, RecordRequest][] = [
    ['', r({})],
    ['svc', r({ podOrSvc: 'svc' })],
    ['pod', r({ podOrSvc: 'pod' })],
    ['default.svc', r({ podOrSvc: 'svc', namespace: 'default' })],
    ['nginx.default.svc', r({ podOrSvc: 'svc', namespace: 'default', service: 'nginx' })],
    ['web-0.nginx.default.svc', r({ podOrSvc: 'svc', namespace: 'default', service: 'nginx', endpoint: 'web-0' })],
    [
      '_web._tcp.nginx.default.svc',
      r({ podOrSvc: 'svc', namespace: 'default', service: 'nginx', port: 'web', protocol: 'tcp' }),
    ],
    ['10-0-0-1.podns.pod', r({ podOrSvc: 'pod', namespace: 'podns', service: '10-0-0-1' })],
  ]
  for (const [name, want] of cases) assert.deepEqual(parseRequest(name), want, name)
})

test('parseRequest rejects names that cannot exist', () => {
  for (const name of ['foo', 'default.foo', 'a.b.c.nginx.default.svc', 'dns-version', 'x.svc.y']) {
    assert.equal(parseRequest(name), undefined, name)
  }
})
