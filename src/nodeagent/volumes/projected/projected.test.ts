/** projected volumes: the kube-api-access shape (token, ca.crt, namespace), secrets, errors collected. */
import assert from 'node:assert/strict'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { Volume } from '../../../api/pod.js'
import { contextFor, fakeHost, podWith, tempPodDir } from '../fake-host.js'
import { projectedPlugin } from './projected.js'

const apiAccess: Volume = {
  name: 'kube-api-access-abcde',
  projected: {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      {
        downwardAPI: {
          items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
        },
      },
    ],
  },
}
const rootCA = { metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': 'PEM' } }

describe('projected plugin', () => {
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => ({ dir, cleanup } = await tempPodDir()))
  afterEach(() => cleanup())

  it('projects token, ca.crt and namespace like kube-api-access', async () => {
    const host = fakeHost({ configMaps: { 'default/kube-root-ca.crt': rootCA } })
    const pod = podWith([apiAccess], { serviceAccountName: 'default' })
    const { hostPath, readOnly } = await projectedPlugin.setUp(contextFor(pod, apiAccess.name, dir, host))
    assert.equal(readOnly, true)
    assert.equal(hostPath, join(dir, 'volumes/kubernetes.io~projected', apiAccess.name))
    assert.equal(await readFile(join(hostPath, 'token'), 'utf8'), 'token-1')
    assert.equal(await readFile(join(hostPath, 'ca.crt'), 'utf8'), 'PEM')
    assert.equal(await readFile(join(hostPath, 'namespace'), 'utf8'), 'default')
    assert.equal((await stat(join(hostPath, 'token'))).mode & 0o777, 0o644)
    assert.deepEqual(host.tokenRequests, [{ pod, audience: undefined, expirationSeconds: 3607 }])
    assert.deepEqual(projectedPlugin.references!(apiAccess), { configMaps: ['kube-root-ca.crt'], secrets: [] })
  })

  it('reports every failing source at once', async () => {
    const host = fakeHost()
    host.tokenError = 'serviceaccounts "default" not found'
    const pod = podWith([apiAccess])
    await assert.rejects(projectedPlugin.setUp(contextFor(pod, apiAccess.name, dir, host)), {
      message: '[serviceaccounts "default" not found, configmap "kube-root-ca.crt" not found]',
    })
  })

  it('merges a secret source with its items', async () => {
    const vol: Volume = {
      name: 'all',
      projected: { sources: [{ secret: { name: 's', items: [{ key: 'k', path: 'dir/k', mode: 0o400 }] } }] },
    }
    const host = fakeHost({ secrets: { 'default/s': { metadata: { name: 's' }, data: { k: 'dg==' } } } })
    const { hostPath } = await projectedPlugin.setUp(contextFor(podWith([vol]), 'all', dir, host))
    assert.equal(await readFile(join(hostPath, 'dir/k'), 'utf8'), 'v')
    assert.equal((await stat(join(hostPath, 'dir/k'))).mode & 0o777, 0o400)
  })
})
