/**
 * EventRecorder unit tests over a fake HTTP endpoint written here: naming, the involvedObject,
 * aggregation into count+1 PATCHes, re-creation after a 404, and that failures never reach callers.
 */
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import type { KObject } from '../api/meta.js'
import { FakeClock } from './clock.js'
import { EventRecorder } from './events.js'
import { RestClient } from './rest-client.js'

interface Req {
  method: string
  url: string
  body: any
  type: string
}

async function fakeServer(respond: (r: Req) => [number, unknown]) {
  const requests: Req[] = []
  const server = http.createServer(async (req, res) => {
    let text = ''
    for await (const c of req) text += c
    const r = {
      method: req.method!,
      url: req.url!,
      body: text ? JSON.parse(text) : undefined,
      type: String(req.headers['content-type']),
    }
    requests.push(r)
    const [code, body] = respond(r)
    res.writeHead(code, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  const client = new RestClient({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })
  const close = () => {
    client.close()
    server.close()
  }
  return { requests, client, close }
}

const pod: KObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-0', namespace: 'default', uid: 'u1', resourceVersion: '7' },
}

test('events are created with upstream names and fields, then aggregated by PATCH', async () => {
  const srv = await fakeServer(r => [r.method === 'POST' ? 201 : 200, r.body])
  const clock = new FakeClock(Date.UTC(2024, 0, 2, 3, 4, 5, 678))
  const rec = new EventRecorder(srv.client, { component: 'statefulset-controller', clock })
  rec.event(pod, {
    type: 'Normal',
    reason: 'SuccessfulCreate',
    message: 'create Pod web-0 in StatefulSet web successful',
  })
  rec.event(pod, {
    type: 'Normal',
    reason: 'SuccessfulCreate',
    message: 'create Pod web-0 in StatefulSet web successful',
  })
  rec.event(
    { ...pod, metadata: { ...pod.metadata, resourceVersion: '8' } },
    { type: 'Normal', reason: 'SuccessfulCreate', message: 'create Pod web-0 in StatefulSet web successful' },
  )
  rec.event(pod, { type: 'Warning', reason: 'FailedCreate', message: 'boom' })
  await rec.flush()
  const posts = srv.requests.filter(r => r.method === 'POST')
  const patches = srv.requests.filter(r => r.method === 'PATCH')
  assert.equal(posts.length, 2)
  assert.equal(patches.length, 2)
  const ev = posts.find(p => p.body.reason === 'SuccessfulCreate')!
  assert.equal(ev.url, '/api/v1/namespaces/default/events')
  assert.match(ev.body.metadata.name, /^web-0\.[0-9a-f]+$/)
  assert.equal(BigInt(`0x${ev.body.metadata.name.split('.')[1]}`) / 1_000_000n, BigInt(clock.now()))
  assert.deepEqual(ev.body.involvedObject, {
    kind: 'Pod',
    namespace: 'default',
    name: 'web-0',
    uid: 'u1',
    apiVersion: 'v1',
    resourceVersion: '7',
  })
  assert.deepEqual(ev.body.source, { component: 'statefulset-controller' })
  assert.equal(ev.body.firstTimestamp, '2024-01-02T03:04:05Z')
  assert.equal(ev.body.count, 1)
  assert.equal(ev.body.type, 'Normal')
  assert.equal(patches[0]!.url, `/api/v1/namespaces/default/events/${ev.body.metadata.name}`)
  assert.equal(patches[0]!.type, 'application/merge-patch+json')
  assert.deepEqual(
    patches.map(p => p.body.count),
    [2, 3],
  )
  srv.close()
})

test('a 404 on the aggregation PATCH creates a fresh event; errors are never thrown', async () => {
  let fail = false
  const srv = await fakeServer(r => {
    if (fail) return [500, { kind: 'Status', status: 'Failure', code: 500, message: 'nope' }]
    if (r.method === 'PATCH') return [404, { kind: 'Status', status: 'Failure', code: 404, reason: 'NotFound' }]
    return [201, r.body]
  })
  const rec = new EventRecorder(srv.client, { component: 'x' })
  const node: KObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'n' } }
  rec.event(node, { type: 'Normal', reason: 'R', message: 'm' })
  rec.event(node, { type: 'Normal', reason: 'R', message: 'm' })
  await rec.flush()
  assert.deepEqual(
    srv.requests.map(r => r.method),
    ['POST', 'PATCH', 'POST'],
  )
  assert.equal(srv.requests[0]!.url, '/api/v1/namespaces/default/events', 'cluster-scoped objects: default namespace')
  fail = true
  assert.doesNotThrow(() => rec.event(node, { type: 'Warning', reason: 'Other', message: 'm' }))
  await rec.flush()
  srv.close()
})
