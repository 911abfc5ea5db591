import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { KObject } from '../../api/meta.js'
import { notFound } from '../../machinery/status-error.js'
import { streamingContext } from './context.js'
import { forwardHeaders, proxyRest } from './proxy.js'
import { serviceTarget, splitSchemeNamePort } from './proxy-target.js'

test('proxy ids split as utilnet.SplitSchemeNamePort does', () => {
  const cases: [string, ReturnType<typeof splitSchemeNamePort>][] = [
    ['web-0', { scheme: '', name: 'web-0', port: '' }],
    ['web-0:8080', { scheme: '', name: 'web-0', port: '8080' }],
    ['https:web-0:443', { scheme: 'https', name: 'web-0', port: '443' }],
    ['ftp:web-0:21', undefined],
    [':80', undefined],
    ['a:b:c:d', undefined],
  ]
  for (const [id, want] of cases) assert.deepEqual(splitSchemeNamePort(id), want, id)
})

test('the proxied path is what follows /proxy, query included, trailing slash kept', () => {
  assert.equal(proxyRest('/api/v1/namespaces/default/pods/web-0:80/proxy/a/b/?x=1'), '/a/b/?x=1')
  assert.equal(proxyRest('/api/v1/namespaces/default/services/https:web:443/proxy/'), '/')
  assert.equal(proxyRest('/api/v1/nodes/n1/proxy'), '')
  assert.equal(proxyRest('/api/v1/namespaces/default/pods/web-0/log'), undefined)
})

test('forwarded headers drop credentials and hop-by-hop headers and add X-Forwarded-For', () => {
  const h = forwardHeaders(
    {
      authorization: 'Bearer secret',
      connection: 'keep-alive',
      host: 'api',
      accept: '*/*',
      'x-forwarded-for': '1.2.3.4',
    },
    { host: '10.0.0.1:80', clientIp: '127.0.0.1' },
  )
  assert.deepEqual(h, { accept: '*/*', host: '10.0.0.1:80', 'x-forwarded-for': '1.2.3.4, 127.0.0.1' })
  const up = forwardHeaders(
    { connection: 'Upgrade', upgrade: 'websocket' },
    { host: 'h', clientIp: 'c', keepUpgrade: true },
  )
  assert.equal(up.upgrade, 'websocket')
})

test('services/proxy maps a port number to its name and picks a ready endpoint', async () => {
  const objects: Record<string, KObject> = {
    'services/web': { metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80 }] } } as KObject,
    'endpoints/web': {
      metadata: { name: 'web' },
      subsets: [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ name: 'http', port: 8080 }] }],
    } as KObject,
  }
  const ctx = streamingContext({
    get: async (r, _ns, name) => {
      const o = objects[`${r}/${name}`]
      if (!o) throw notFound({ group: '', resource: r }, name)
      return o
    },
    agents: { token: 't' },
  })
  assert.deepEqual(await serviceTarget(ctx, { namespace: 'default', id: 'web:80' }), {
    kind: 'address',
    scheme: 'http',
    ip: '10.1.2.3',
    port: 8080,
  })
  await assert.rejects(serviceTarget(ctx, { namespace: 'default', id: 'web:81' }), {
    message: 'no service port 81 found for service "web"',
  })
  await assert.rejects(serviceTarget(ctx, { namespace: 'default', id: 'web:other' }), {
    message: 'no endpoints available for service "web:other"',
  })
  await assert.rejects(serviceTarget(ctx, { namespace: 'default', id: 'nope:80' }), {
    message: 'services "nope" not found',
  })
})
