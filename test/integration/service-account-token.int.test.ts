/**
 * Service-account tokens through the real API: TokenRequest issues a JWT that authenticates as
 * the account, a token bound to a pod dies with the pod, and garbage is a 401.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type ApiServer, startApiServer } from '../../src/apiserver/server.js'
import { CONFIG_MAPS, PODS, SERVICE_ACCOUNTS } from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { openStore } from '../../src/storage/registry.js'
import type { Store } from '../../src/storage/store.js'

let api: ApiServer
let store: Store
let admin: RestClient

before(async () => {
  store = await openStore('memory:')
  api = await startApiServer({ store, listen: { host: '127.0.0.1', port: 0 } })
  admin = new RestClient({ server: api.url, token: api.token, ca: api.ca })
  await admin.create(SERVICE_ACCOUNTS, { metadata: { name: 'app' } }, { namespace: 'default' })
})
after(async () => {
  await api?.close()
  await store?.close()
})

const codeIs = (code: number) => (e: any) => e?.status?.code === code

async function requestToken(body: object): Promise<{ status: { token: string; expirationTimestamp: string } }> {
  const res = await admin.request<{ status: { token: string; expirationTimestamp: string } }>({
    method: 'POST',
    path: '/api/v1/namespaces/default/serviceaccounts/app/token',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: body },
  })
  return res.body
}

test('a requested token authenticates as the service account until the account is gone', async () => {
  const { status } = await requestToken({ expirationSeconds: 3607 })
  assert.equal(status.token.split('.').length, 3)
  const asApp = new RestClient({ server: api.url, token: status.token, ca: api.ca })
  const list = await asApp.list(CONFIG_MAPS, { namespace: 'default' })
  assert.equal(list.kind, 'ConfigMapList')
  const bogus = new RestClient({ server: api.url, token: `${status.token}x`, ca: api.ca })
  await assert.rejects(bogus.list(CONFIG_MAPS, { namespace: 'default' }), codeIs(401))
  await admin.delete(SERVICE_ACCOUNTS, 'app', { namespace: 'default' })
  await assert.rejects(asApp.list(CONFIG_MAPS, { namespace: 'default' }), codeIs(401))
  await admin.create(SERVICE_ACCOUNTS, { metadata: { name: 'app' } }, { namespace: 'default' })
})

test('a token bound to a pod stops working when the pod is deleted', async () => {
  const pod = await admin.create(
    PODS,
    { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }], serviceAccountName: 'app' } },
    { namespace: 'default' },
  )
  const { status } = await requestToken({
    boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: (pod.metadata as { uid?: string }).uid },
  })
  const asPod = new RestClient({ server: api.url, token: status.token, ca: api.ca })
  await asPod.list(CONFIG_MAPS, { namespace: 'default' })
  await admin.delete(PODS, 'p', { namespace: 'default', gracePeriodSeconds: 0 })
  await assert.rejects(asPod.list(CONFIG_MAPS, { namespace: 'default' }), codeIs(401))
})

test('too short an expiration is invalid, as upstream', async () => {
  await assert.rejects(requestToken({ expirationSeconds: 60 }), (e: any) => {
    assert.equal(e.status.code, 422)
    assert.equal(
      e.status.message,
      'TokenRequest.authentication.k8s.io "app" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
    )
    return true
  })
})
