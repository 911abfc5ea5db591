/** TokenRequests: the request the kubelet sends, caching per pod and audience, renewal at 80% of the lifetime. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Pod } from '../api/pod.js'
import { RestClient } from '../client/rest-client.js'
import type { TransportRequest } from '../client/transport.js'
import { FakeClock } from '../machinery/clock.js'
import { TokenManager } from './token-manager.js'

const pod: Pod = {
  metadata: { name: 'web-0', namespace: 'prod', uid: 'u1' },
  spec: { serviceAccountName: 'builder', containers: [] },
}

function setup(status = 201) {
  const clock = new FakeClock(Date.UTC(2025, 0, 1))
  const requests: TransportRequest[] = []
  const client = new RestClient({
    server: 'http://unused',
    transport: {
      async request(req) {
        requests.push(req)
        const exp = new Date(clock.now() + 3600_000).toISOString()
        const body =
          status === 201
            ? { status: { token: `t${requests.length}`, expirationTimestamp: exp } }
            : {
                kind: 'Status',
                apiVersion: 'v1',
                status: 'Failure',
                code: 404,
                reason: 'NotFound',
                message: 'serviceaccounts "builder" not found',
              }
        return {
          status,
          headers: { 'content-type': 'application/json' },
          body: (async function* () {
            yield Buffer.from(JSON.stringify(body))
          })(),
        }
      },
    },
  })
  return { clock, requests, tokens: new TokenManager(client, clock) }
}

describe('TokenManager', () => {
  it('posts a pod-bound TokenRequest and caches the token until 80% of its life', async () => {
    const t = setup()
    const req = { pod, expirationSeconds: 3600 }
    assert.equal((await t.tokens.get(req)).token, 't1')
    const sent = t.requests[0]!
    assert.equal(sent.method, 'POST')
    assert.equal(sent.path, '/api/v1/namespaces/prod/serviceaccounts/builder/token')
    assert.deepEqual(JSON.parse(String(sent.body)), {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {
        audiences: [],
        expirationSeconds: 3600,
        boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'web-0', uid: 'u1' },
      },
    })
    await t.clock.advance(2_879_000)
    assert.equal((await t.tokens.get(req)).token, 't1')
    await t.clock.advance(1_000)
    assert.equal((await t.tokens.get(req)).token, 't2')
    assert.equal((await t.tokens.get({ ...req, audience: 'vault' })).token, 't3', 'another audience, another token')
    t.tokens.forget('u1')
    assert.equal((await t.tokens.get(req)).token, 't4')
  })

  it('rejects with the API message', async () => {
    const t = setup(404)
    await assert.rejects(t.tokens.get({ pod, expirationSeconds: 600 }), {
      message: 'serviceaccounts "builder" not found',
    })
  })
})
