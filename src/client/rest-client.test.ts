/**
 * RestClient unit tests over a fake HTTP endpoint written here: paths, query parameters, headers,
 * patch content types, delete bodies, StatusError mapping and watch streaming.
 */
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, test } from 'node:test'
import { isConflict, isExpired, isNotFound } from '../machinery/status-error.js'
import { CONFIG_MAPS, NAMESPACES, STATEFUL_SETS } from './resources.js'
import { RestClient } from './rest-client.js'
import { withRetryOnConflict } from './retry.js'

interface Seen {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: any
}

const seen: Seen[] = []
let handler: (req: Seen, res: http.ServerResponse) => void = (_, res) => res.end('{}')
const server = http.createServer(async (req, res) => {
  let text = ''
  for await (const c of req) text += c
  const s = { method: req.method!, url: req.url!, headers: req.headers, body: text ? JSON.parse(text) : undefined }
  seen.push(s)
  handler(s, res)
})
let client: RestClient

before(async () => {
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  client = new RestClient({ server: `http://127.0.0.1:${port}`, token: 'tok', userAgent: 'test-agent' })
})
after(() => {
  client.close()
  server.close()
})

function json(res: http.ServerResponse, code: number, body: unknown) {
  res.writeHead(code, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

test('requests carry paths, queries, headers and bodies as upstream clients send them', async () => {
  seen.length = 0
  handler = (req, res) => json(res, 200, req.body ?? { kind: 'List', metadata: {}, items: [] })
  await client.get(STATEFUL_SETS, 'web', { namespace: 'default' })
  await client.list(CONFIG_MAPS, { namespace: 'ns', labelSelector: 'a=b', limit: 500, continue: 'c1' })
  await client.create(CONFIG_MAPS, { metadata: { name: 'x', namespace: 'ns' } }, { fieldManager: 'me' })
  await client.updateStatus(STATEFUL_SETS, { metadata: { name: 'web', namespace: 'default' } })
  await client.patch(CONFIG_MAPS, 'x', { namespace: 'ns', type: 'merge', body: { data: { a: '1' } } })
  await client.patch(CONFIG_MAPS, 'x', { namespace: 'ns', type: 'apply', body: {}, fieldManager: 'm', force: true })
  await client.patch(CONFIG_MAPS, 'x', { namespace: 'ns', type: 'json', body: [] })
  await client.delete(CONFIG_MAPS, 'x', {
    namespace: 'ns',
    propagationPolicy: 'Foreground',
    preconditions: { uid: 'u' },
  })
  await client.deleteCollection(CONFIG_MAPS, { namespace: 'ns', labelSelector: 'a', gracePeriodSeconds: 0 })
  await client.update(NAMESPACES, { metadata: { name: 'gone' }, spec: { finalizers: [] } }, { subresource: 'finalize' })
  assert.deepEqual(
    seen.map(s => `${s.method} ${s.url}`),
    [
      'GET /apis/apps/v1/namespaces/default/statefulsets/web',
      'GET /api/v1/namespaces/ns/configmaps?continue=c1&labelSelector=a%3Db&limit=500',
      'POST /api/v1/namespaces/ns/configmaps?fieldManager=me',
      'PUT /apis/apps/v1/namespaces/default/statefulsets/web/status',
      'PATCH /api/v1/namespaces/ns/configmaps/x',
      'PATCH /api/v1/namespaces/ns/configmaps/x?fieldManager=m&force=true',
      'PATCH /api/v1/namespaces/ns/configmaps/x',
      'DELETE /api/v1/namespaces/ns/configmaps/x',
      'DELETE /api/v1/namespaces/ns/configmaps?labelSelector=a',
      'PUT /api/v1/namespaces/gone/finalize',
    ],
  )
  assert.equal(seen[0]!.headers.authorization, 'Bearer tok')
  assert.equal(seen[0]!.headers['user-agent'], 'test-agent')
  assert.equal(seen[0]!.headers.accept, 'application/json')
  assert.deepEqual(
    seen.slice(4, 7).map(s => s.headers['content-type']),
    ['application/merge-patch+json', 'application/apply-patch+yaml', 'application/json-patch+json'],
  )
  assert.deepEqual(seen[7]!.body, {
    kind: 'DeleteOptions',
    apiVersion: 'v1',
    propagationPolicy: 'Foreground',
    preconditions: { uid: 'u' },
  })
  assert.equal(seen[8]!.body.gracePeriodSeconds, 0)
  await assert.rejects(client.patch(CONFIG_MAPS, 'x', { type: 'apply', body: {} }), /fieldManager/)
})

test('non-2xx answers throw StatusError, from the Status body or synthesized from the code', async () => {
  handler = (req, res) => {
    if (req.url.endsWith('/missing'))
      return json(res, 404, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        reason: 'NotFound',
        code: 404,
        message: 'configmaps "missing" not found',
      })
    res.writeHead(409)
    res.end()
  }
  const err = await client.get(CONFIG_MAPS, 'missing', { namespace: 'ns' }).catch(e => e)
  assert.ok(isNotFound(err))
  assert.equal(err.message, 'configmaps "missing" not found')
  assert.equal(err.code, 404)
  assert.ok(isConflict(await client.get(CONFIG_MAPS, 'other', { namespace: 'ns' }).catch(e => e)))

  let attempts = 0
  const result = await withRetryOnConflict(async () => {
    if (++attempts < 3) await client.get(CONFIG_MAPS, 'other', { namespace: 'ns' })
    return 'ok'
  })
  assert.equal(result, 'ok')
  assert.equal(attempts, 3)
})

test('watch streams NDJSON events, throws on ERROR events and ends quietly on abort', async () => {
  handler = (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    const cm = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'a', resourceVersion: '5' } }
    res.write(`${JSON.stringify({ type: 'ADDED', object: cm })}\n{"type":"MODIFIED",`)
    res.write(`"object":${JSON.stringify(cm)}}\n`)
    if (req.url.includes('resourceVersion=1&')) {
      const status = {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        code: 410,
        reason: 'Expired',
        message: 'too old',
      }
      res.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`)
    }
  }
  const types: string[] = []
  const err = await (async () => {
    for await (const ev of client.watch(CONFIG_MAPS, {
      namespace: 'ns',
      resourceVersion: '1',
      allowWatchBookmarks: true,
    }))
      types.push(ev.type)
  })().catch(e => e)
  assert.deepEqual(types, ['ADDED', 'MODIFIED'])
  assert.ok(isExpired(err))
  assert.match(seen.at(-1)!.url, /allowWatchBookmarks=true&resourceVersion=1&watch=true$/)

  const ac = new AbortController()
  const got: string[] = []
  for await (const ev of client.watch(CONFIG_MAPS, { namespace: 'ns', resourceVersion: '2', signal: ac.signal })) {
    got.push(ev.type)
    if (got.length === 2) ac.abort()
  }
  assert.deepEqual(got, ['ADDED', 'MODIFIED'])
})
