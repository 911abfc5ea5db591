/** secret volumes: decoded bytes, items, modes (defaultMode 0644 = 420), optional, missing keys. */
import assert from 'node:assert/strict'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { Secret } from '../../../api/core.js'
import { contextFor, fakeHost, podWith, tempPodDir } from '../fake-host.js'
import { secretPayload, secretPlugin } from './secret.js'

const b64 = (s: string) => Buffer.from(s).toString('base64')
const secret: Secret = {
  metadata: { name: 'mysecret', namespace: 'default' },
  type: 'Opaque',
  data: { username: b64('admin'), password: b64('abcdefgh') },
}

describe('secretPayload', () => {
  it('decodes every key with mode 420 by default', () => {
    const p = secretPayload(secret, {})
    assert.equal(p.get('username')!.data.toString(), 'admin')
    assert.equal(p.get('password')!.mode, 420)
  })
  it('items with modes, and missing keys', () => {
    const p = secretPayload(secret, { defaultMode: 0o400, items: [{ key: 'password', path: 'pw', mode: 0o600 }] })
    assert.deepEqual([...p.keys()], ['pw'])
    assert.equal(p.get('pw')!.mode, 0o600)
    assert.throws(() => secretPayload(secret, { items: [{ key: 'x', path: 'x' }] }), {
      message: 'references non-existent secret key: x',
    })
    assert.equal(secretPayload(secret, { items: [{ key: 'x', path: 'x' }], optional: true }).size, 0)
  })
})

describe('secret plugin', () => {
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => ({ dir, cleanup } = await tempPodDir()))
  afterEach(() => cleanup())

  it('mounts read-only files with the decoded content and defaultMode', async () => {
    const pod = podWith([{ name: 'secrets', secret: { secretName: 'mysecret', defaultMode: 0o440 } }])
    const host = fakeHost({ secrets: { 'default/mysecret': secret } })
    const mounted = await secretPlugin.setUp(contextFor(pod, 'secrets', dir, host))
    assert.equal(mounted.hostPath, join(dir, 'volumes/kubernetes.io~secret/secrets'))
    assert.equal(mounted.readOnly, true)
    assert.equal(await readFile(join(mounted.hostPath, 'username'), 'utf8'), 'admin')
    assert.equal((await stat(join(mounted.hostPath, 'password'))).mode & 0o777, 0o440)
  })

  it('a missing Secret fails with the API message', async () => {
    const pod = podWith([{ name: 's', secret: { secretName: 'nope' } }])
    await assert.rejects(secretPlugin.setUp(contextFor(pod, 's', dir, fakeHost())), {
      message: 'secret "nope" not found',
    })
  })
})
