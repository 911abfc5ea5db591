import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseRequestPath, queryBool } from './request-info.js'

test('parseRequestPath recognises every URL form kubectl uses', () => {
  const cases: [string, unknown][] = [
    ['/api', { type: 'group', legacy: true }],
    ['/apis', { type: 'group', legacy: false }],
    ['/api/v1', { type: 'group', group: '', version: 'v1', legacy: true }],
    ['/apis/apps/v1', { type: 'group', group: 'apps', version: 'v1', legacy: false }],
    ['/api/v1/pods', { type: 'resource', group: '', version: 'v1', resource: 'pods' }],
    ['/api/v1/namespaces', { type: 'resource', group: '', version: 'v1', resource: 'namespaces' }],
    [
      '/api/v1/namespaces/default',
      { type: 'resource', group: '', version: 'v1', resource: 'namespaces', name: 'default' },
    ],
    [
      '/api/v1/namespaces/default/finalize',
      { type: 'resource', group: '', version: 'v1', resource: 'namespaces', name: 'default', subresource: 'finalize' },
    ],
    [
      '/api/v1/namespaces/default/pods',
      { type: 'resource', group: '', version: 'v1', namespace: 'default', resource: 'pods' },
    ],
    [
      '/apis/apps/v1/namespaces/default/statefulsets/web/scale',
      {
        type: 'resource',
        group: 'apps',
        version: 'v1',
        namespace: 'default',
        resource: 'statefulsets',
        name: 'web',
        subresource: 'scale',
      },
    ],
    [
      '/api/v1/namespaces/default/pods/web-0/proxy/a/b',
      {
        type: 'resource',
        group: '',
        version: 'v1',
        namespace: 'default',
        resource: 'pods',
        name: 'web-0',
        subresource: 'proxy',
        rest: 'a/b',
      },
    ],
    [
      '/api/v1/nodes/n1/status',
      { type: 'resource', group: '', version: 'v1', resource: 'nodes', name: 'n1', subresource: 'status' },
    ],
    ['/version', { type: 'other', path: '/version' }],
  ]
  for (const [path, want] of cases) assert.deepEqual(parseRequestPath(path), want, path)
})

test('queryBool accepts the spellings clients send', () => {
  assert.equal(queryBool('True'), true)
  assert.equal(queryBool('1'), true)
  assert.equal(queryBool('false'), false)
  assert.equal(queryBool(null), false)
})
