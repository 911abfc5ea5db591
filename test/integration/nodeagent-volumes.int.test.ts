/**
 * A node agent on the simulated runtime, with a node directory, against the real API server
 * (memory store): a pod's configMap, secret, emptyDir and kube-api-access volumes appear under
 * its pod dir with the right content and modes; editing the ConfigMap updates the mounted file
 * within seconds (atomically, through ..data); env from configMapKeyRef reaches the container
 * config; missing references give CreateContainerConfigError and FailedMount with upstream's
 * messages, and recover once the object exists; deleting the pod removes its directory.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, readlink, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { ConfigMap, Event, Secret } from '../../src/api/core.js'
import type { Pod } from '../../src/api/pod.js'
import { type ApiServer, startApiServer } from '../../src/apiserver/server.js'
import { CONFIG_MAPS, EVENTS, PODS, SECRETS } from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { NodeIpamController } from '../../src/controllers/nodeipam/controller.js'
import { Manager } from '../../src/controllers/runtime/manager.js'
import { ServiceAccountController } from '../../src/controllers/serviceaccount/controller.js'
import { NodeAgent } from '../../src/nodeagent/agent.js'
import { simulatedProber } from '../../src/nodeagent/probes/simulated.js'
import type { ContainerConfig } from '../../src/nodeagent/runtime/runtime.js'
import { SimulatedRuntime } from '../../src/nodeagent/runtime/simulated/runtime.js'
import { openStore } from '../../src/storage/registry.js'
import type { Store } from '../../src/storage/store.js'

let store: Store
let server: ApiServer
let client: RestClient
let nodeDir: string
let runtime: SimulatedRuntime
const configs: { pod: string; config: ContainerConfig }[] = []
const stop = new AbortController()
let running: Promise<unknown>

before(async () => {
  store = await openStore('memory:')
  server = await startApiServer({ store, listen: { host: '127.0.0.1', port: 0 } })
  client = new RestClient({ server: server.url, token: server.token, ca: server.ca })
  nodeDir = await mkdtemp(join(tmpdir(), 'petset-node-'))
  const manager = new Manager({ client })
  manager.add(new NodeIpamController({ client, informers: manager.informers }))
  manager.add(new ServiceAccountController({ client, informers: manager.informers, caCert: 'CA-PEM' }))
  runtime = new SimulatedRuntime({})
  const agent = new NodeAgent({
    client,
    nodeName: 'node-1',
    runtime,
    prober: simulatedProber,
    address: '127.0.0.1',
    nodeDir,
    dns: { servers: ['10.96.0.10'] },
    heartbeatIntervalMs: 500,
    informerOptions: { backoff: { initialMs: 50, maxMs: 500 } },
    onContainerConfig: (pod, config) => configs.push({ pod: pod.metadata.name ?? '', config }),
  })
  running = Promise.all([manager.start(stop.signal), agent.run(stop.signal)])
})

after(async () => {
  stop.abort()
  await running
  await runtime.close()
  client.close()
  await server.close()
  await store.close()
  await rm(nodeDir, { recursive: true, force: true })
})

async function until<T>(get: () => Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms
  let last: unknown
  while (Date.now() < end) {
    try {
      const v = await get()
      if (v !== undefined) return v
    } catch (e) {
      last = e
    }
    await new Promise(r => setTimeout(r, 50))
  }
  assert.fail(`timed out waiting for ${what}${last ? ` (last error: ${last})` : ''}`)
}

const getPod = (name: string) => client.get<Pod>(PODS, name, { namespace: 'default' })
const running_ = (name: string) =>
  until(async () => {
    const p = await getPod(name)
    return p.status?.containerStatuses?.every(c => c.state?.running) ? p : undefined
  }, `${name} running`)
const waitingWith = (name: string, reason: string, message: string) =>
  until(async () => {
    const p = await getPod(name)
    const w = p.status?.containerStatuses?.[0]?.state?.waiting
    return w?.reason === reason && w.message === message ? w : undefined
  }, `${name} waiting ${reason}: ${message}`)
const eventsOf = async (name: string) =>
  (await client.list<Event>(EVENTS, { namespace: 'default' })).items.filter(e => e.involvedObject.name === name)
const b64 = (s: string) => Buffer.from(s).toString('base64')

test('configMap, secret, emptyDir and service-account volumes land under the pod dir; env reaches the config', async () => {
  await until(
    async () => (await client.get(CONFIG_MAPS, 'kube-root-ca.crt', { namespace: 'default' })) ?? undefined,
    'root CA',
  )
  await client.create<ConfigMap>(CONFIG_MAPS, {
    metadata: { name: 'special-config', namespace: 'default' },
    data: { 'special.how': 'very', 'game.properties': 'lives=3' },
  })
  await client.create<Secret>(SECRETS, {
    metadata: { name: 'mysecret', namespace: 'default' },
    type: 'Opaque',
    data: { username: b64('admin'), password: b64('abcdefgh') },
  })
  await client.create<Pod>(PODS, {
    metadata: { name: 'vols', namespace: 'default' },
    spec: {
      nodeName: 'node-1',
      containers: [
        {
          name: 'app',
          image: 'nginx:1.27',
          command: ['/bin/sh', '-c', 'echo $(SPECIAL_LEVEL_KEY)'],
          env: [
            {
              name: 'SPECIAL_LEVEL_KEY',
              valueFrom: { configMapKeyRef: { name: 'special-config', key: 'special.how' } },
            },
          ],
          volumeMounts: [
            { name: 'config', mountPath: '/etc/config' },
            { name: 'secrets', mountPath: '/etc/secrets', readOnly: true },
            { name: 'cache', mountPath: '/cache' },
          ],
        },
      ],
      volumes: [
        { name: 'config', configMap: { name: 'special-config' } },
        { name: 'secrets', secret: { secretName: 'mysecret', defaultMode: 0o400 } },
        { name: 'cache', emptyDir: {} },
      ],
    },
  })
  const pod = await running_('vols')
  const dir = join(nodeDir, 'pods', pod.metadata.uid!, 'volumes')
  const cfg = join(dir, 'kubernetes.io~configmap/config')
  assert.equal(await readFile(join(cfg, 'game.properties'), 'utf8'), 'lives=3')
  assert.equal((await stat(join(cfg, 'special.how'))).mode & 0o777, 0o644)
  const sec = join(dir, 'kubernetes.io~secret/secrets')
  assert.equal(await readFile(join(sec, 'username'), 'utf8'), 'admin')
  assert.equal((await stat(join(sec, 'password'))).mode & 0o777, 0o400)
  assert.ok((await stat(join(dir, 'kubernetes.io~empty-dir/cache'))).isDirectory())
  const access = pod.spec.volumes!.find(v => v.name.startsWith('kube-api-access-'))!.name
  const sa = join(dir, 'kubernetes.io~projected', access)
  assert.equal(await readFile(join(sa, 'namespace'), 'utf8'), 'default')
  assert.equal(await readFile(join(sa, 'ca.crt'), 'utf8'), 'CA-PEM')
  assert.match(await readFile(join(sa, 'token'), 'utf8'), /^ey[\w-]+\.[\w-]+\.[\w-]+$/)

  const config = configs.find(c => c.pod === 'vols')!.config
  assert.deepEqual(
    config.env?.find(e => e.name === 'SPECIAL_LEVEL_KEY'),
    { name: 'SPECIAL_LEVEL_KEY', value: 'very' },
  )
  assert.ok(config.env?.some(e => e.name === 'KUBERNETES_SERVICE_HOST'))
  assert.deepEqual(config.command, ['/bin/sh', '-c', 'echo very'])
  assert.deepEqual(
    config.mounts?.map(m => [m.containerPath, m.hostPath, !!m.readOnly]),
    [
      ['/etc/config', cfg, true],
      ['/etc/secrets', sec, true],
      ['/cache', join(dir, 'kubernetes.io~empty-dir/cache'), false],
      ['/var/run/secrets/kubernetes.io/serviceaccount', sa, true],
    ],
  )
})

test('editing the ConfigMap updates the mounted file within seconds, atomically', async () => {
  const pod = await getPod('vols')
  const cfg = join(nodeDir, 'pods', pod.metadata.uid!, 'volumes/kubernetes.io~configmap/config')
  const before = await readlink(join(cfg, '..data'))
  const cm = await client.get<ConfigMap>(CONFIG_MAPS, 'special-config', { namespace: 'default' })
  await client.update<ConfigMap>(CONFIG_MAPS, { ...cm, data: { ...cm.data, 'game.properties': 'lives=5' } })
  const started = Date.now()
  await until(
    async () => ((await readFile(join(cfg, 'game.properties'), 'utf8')) === 'lives=5' ? true : undefined),
    'new content',
    5_000,
  )
  assert.ok(Date.now() - started < 5_000)
  assert.notEqual(await readlink(join(cfg, '..data')), before)
})

test('a missing ConfigMap key ref waits in CreateContainerConfigError until the ConfigMap exists', async () => {
  await client.create<Pod>(PODS, {
    metadata: { name: 'needs-env', namespace: 'default' },
    spec: {
      nodeName: 'node-1',
      automountServiceAccountToken: false,
      containers: [
        {
          name: 'app',
          image: 'busybox',
          env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'later', key: 'x' } } }],
        },
      ],
    },
  })
  await waitingWith('needs-env', 'CreateContainerConfigError', 'configmap "later" not found')
  await until(async () => {
    const e = (await eventsOf('needs-env')).find(e => e.reason === 'Failed')
    return e?.message === 'Error: configmap "later" not found' ? e : undefined
  }, 'the Failed event')
  await client.create<ConfigMap>(CONFIG_MAPS, { metadata: { name: 'later', namespace: 'default' }, data: { y: '1' } })
  await waitingWith('needs-env', 'CreateContainerConfigError', "couldn't find key x in ConfigMap default/later")
  const cm = await client.get<ConfigMap>(CONFIG_MAPS, 'later', { namespace: 'default' })
  await client.update<ConfigMap>(CONFIG_MAPS, { ...cm, data: { x: 'ok' } })
  await running_('needs-env')
})

test('a missing ConfigMap volume gives FailedMount until it exists; the pod dir goes with the pod', async () => {
  await client.create<Pod>(PODS, {
    metadata: { name: 'needs-vol', namespace: 'default' },
    spec: {
      nodeName: 'node-1',
      automountServiceAccountToken: false,
      containers: [
        { name: 'app', image: 'busybox', volumeMounts: [{ name: 'config-volume', mountPath: '/etc/config' }] },
      ],
      volumes: [{ name: 'config-volume', configMap: { name: 'my-config' } }],
    },
  })
  const event = await until(
    async () => (await eventsOf('needs-vol')).find(e => e.reason === 'FailedMount'),
    'FailedMount',
  )
  assert.equal(event.type, 'Warning')
  assert.equal(event.message, 'MountVolume.SetUp failed for volume "config-volume" : configmap "my-config" not found')
  assert.equal((await getPod('needs-vol')).status?.containerStatuses?.[0]?.state?.waiting?.reason, 'ContainerCreating')
  await client.create<ConfigMap>(CONFIG_MAPS, {
    metadata: { name: 'my-config', namespace: 'default' },
    data: { a: 'b' },
  })
  const pod = await running_('needs-vol')
  const podDir = join(nodeDir, 'pods', pod.metadata.uid!)
  assert.ok((await stat(podDir)).isDirectory())
  await client.delete(PODS, 'needs-vol', { namespace: 'default', gracePeriodSeconds: 0 })
  await until(async () => ((await stat(podDir).catch(() => undefined)) ? undefined : true), 'the pod dir to go')
})
