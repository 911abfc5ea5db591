/** configMap volumes: all keys, items with paths and modes, defaultMode, optional, missing keys, atomic updates. */
import assert from 'node:assert/strict'
import { readFile, readlink, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { ConfigMap } from '../../../api/core.js'
import { contextFor, fakeHost, podWith, tempPodDir } from '../fake-host.js'
import { configMapPayload, configMapPlugin } from './config-map.js'

const cm: ConfigMap = {
  metadata: { name: 'cfg', namespace: 'default' },
  data: { 'game.properties': 'lives=3', 'ui.properties': 'color=red' },
  binaryData: { logo: Buffer.from([0, 1, 2]).toString('base64') },
}

describe('configMapPayload', () => {
  it('projects every key (binaryData decoded) with the default mode 0644', () => {
    const p = configMapPayload(cm, {})
    assert.deepEqual([...p.keys()], ['game.properties', 'ui.properties', 'logo'])
    assert.equal(p.get('game.properties')!.mode, 0o644)
    assert.deepEqual([...p.get('logo')!.data], [0, 1, 2])
  })
  it('items pick keys, name paths and override modes', () => {
    const p = configMapPayload(cm, {
      defaultMode: 0o400,
      items: [
        { key: 'game.properties', path: 'conf/game' },
        { key: 'ui.properties', path: 'ui', mode: 0o600 },
      ],
    })
    assert.deepEqual(
      [...p].map(([k, v]) => [k, v.mode]),
      [
        ['conf/game', 0o400],
        ['ui', 0o600],
      ],
    )
  })
  it('a missing item key fails unless optional', () => {
    const items = [{ key: 'nope', path: 'x' }]
    assert.throws(() => configMapPayload(cm, { items }), {
      message: 'configmap references non-existent config key: nope',
    })
    assert.equal(configMapPayload(cm, { items, optional: true }).size, 0)
  })
})

describe('configMap plugin', () => {
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => ({ dir, cleanup } = await tempPodDir()))
  afterEach(() => cleanup())

  it('writes the keys under volumes/kubernetes.io~configmap/<name>, read-only', async () => {
    const objects = { configMaps: { 'default/cfg': cm } }
    const pod = podWith([{ name: 'config', configMap: { name: 'cfg' } }])
    const mounted = await configMapPlugin.setUp(contextFor(pod, 'config', dir, fakeHost(objects)))
    assert.deepEqual(mounted, { hostPath: join(dir, 'volumes/kubernetes.io~configmap/config'), readOnly: true })
    assert.equal(await readFile(join(mounted.hostPath, 'game.properties'), 'utf8'), 'lives=3')
    assert.equal((await stat(join(mounted.hostPath, 'ui.properties'))).mode & 0o777, 0o644)
  })

  it('a missing ConfigMap fails unless optional (then the dir is empty)', async () => {
    const pod = podWith([
      { name: 'a', configMap: { name: 'absent' } },
      { name: 'b', configMap: { name: 'absent', optional: true } },
    ])
    await assert.rejects(configMapPlugin.setUp(contextFor(pod, 'a', dir, fakeHost())), {
      message: 'configmap "absent" not found',
    })
    const mounted = await configMapPlugin.setUp(contextFor(pod, 'b', dir, fakeHost()))
    assert.ok((await stat(mounted.hostPath)).isDirectory())
  })

  it('update swaps the content atomically; unchanged data writes nothing', async () => {
    const objects = { configMaps: { 'default/cfg': cm } }
    const host = fakeHost(objects)
    const pod = podWith([{ name: 'config', configMap: { name: 'cfg' } }])
    const ctx = contextFor(pod, 'config', dir, host)
    const { hostPath } = await configMapPlugin.setUp(ctx)
    const before = await readlink(join(hostPath, '..data'))
    assert.equal(await configMapPlugin.update!(ctx), false)
    objects.configMaps['default/cfg'] = { ...cm, data: { 'game.properties': 'lives=5' } }
    assert.equal(await configMapPlugin.update!(ctx), true)
    assert.notEqual(await readlink(join(hostPath, '..data')), before)
    assert.equal(await readFile(join(hostPath, 'game.properties'), 'utf8'), 'lives=5')
    await assert.rejects(stat(join(hostPath, 'ui.properties')))
    await configMapPlugin.tearDown(ctx)
    await assert.rejects(stat(hostPath))
  })
})
