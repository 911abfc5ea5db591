/**
 * A small cluster for the PersistentVolume integration tests: the real API server on a memory
 * store, two Node objects, the PV controller and both protection controllers; the local-path
 * provisioner starts on demand (as on a cluster that gains a default StorageClass later).
 */
import assert from 'node:assert/strict'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Event, PersistentVolume, PersistentVolumeClaim } from '../../src/api/core.js'
import { type ApiServer, startApiServer } from '../../src/apiserver/server.js'
import { EVENTS, NODES, PERSISTENT_VOLUME_CLAIMS, PERSISTENT_VOLUMES } from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { LocalPathProvisioner } from '../../src/controllers/provisioner/controller.js'
import { PersistentVolumeBinder } from '../../src/controllers/pv-binder/controller.js'
import { PvProtectionController } from '../../src/controllers/pv-protection/pv-protection.js'
import { PvcProtectionController } from '../../src/controllers/pv-protection/pvc-protection.js'
import { Manager } from '../../src/controllers/runtime/manager.js'
import { openStore } from '../../src/storage/registry.js'
import type { Store } from '../../src/storage/store.js'

/** The running test cluster. */
export class PvCluster {
  private readonly stopper = new AbortController()
  private readonly running: Promise<void>[] = []

  private constructor(
    readonly client: RestClient,
    readonly tmp: string,
    private readonly store: Store,
    private readonly server: ApiServer,
  ) {}

  /** `<tmp>/volumes`: the provisioner's directory. */
  get volumesDir(): string {
    return path.join(this.tmp, 'volumes')
  }

  /** Starts the server and the PV controller (fast resync) with the protection controllers. */
  static async start(): Promise<PvCluster> {
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'pv-int-'))
    const store = await openStore('memory:')
    const server = await startApiServer({ store, listen: { host: '127.0.0.1', port: 0 } })
    const client = new RestClient({ server: server.url, token: server.token, ca: server.ca })
    for (const name of ['node-1', 'node-2']) await client.create(NODES, { metadata: { name } })
    const cluster = new PvCluster(client, tmp, store, server)
    const manager = new Manager({ client })
    const informers = manager.informers
    manager.add(new PersistentVolumeBinder({ client, informers, volumesDir: cluster.volumesDir, resyncMs: 200 }))
    manager.add(new PvcProtectionController({ client, informers }))
    manager.add(new PvProtectionController({ client, informers }))
    cluster.running.push(manager.start(cluster.stopper.signal))
    return cluster
  }

  /** Starts the local-path provisioner (Immediate volumes go to node-1; events from `..._test`). */
  startProvisioner(): void {
    const manager = new Manager({ client: this.client })
    const volumesDir = this.volumesDir
    manager.add(
      new LocalPathProvisioner({
        client: this.client,
        informers: manager.informers,
        volumesDir,
        nodeName: 'node-1',
        identity: 'test',
      }),
    )
    this.running.push(manager.start(this.stopper.signal))
  }

  async stop(): Promise<void> {
    this.stopper.abort()
    await Promise.all(this.running)
    this.client.close()
    await this.server.close()
    await this.store.close()
    await fs.rm(this.tmp, { recursive: true, force: true })
  }

  getPV(name: string): Promise<PersistentVolume | undefined> {
    return this.client.get<PersistentVolume>(PERSISTENT_VOLUMES, name).catch(() => undefined)
  }

  getPVC(name: string): Promise<PersistentVolumeClaim | undefined> {
    return this.client
      .get<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS, name, { namespace: 'default' })
      .catch(() => undefined)
  }

  /** Events about the named object (a cluster-scoped object's events live in "default", as client-go puts them). */
  async eventsFor(name: string): Promise<Event[]> {
    const list = await this.client.list<Event>(EVENTS)
    return list.items.filter(e => e.involvedObject.name === name)
  }
}

/** Polls get() until it yields a truthy value; fails after ms. */
export async function until<T>(get: () => Promise<T | undefined | false>, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    const v = await get()
    if (v) return v
    await new Promise(r => setTimeout(r, 25))
  }
  assert.fail(`timed out waiting for ${what}`)
}

/** A getter that yields the object once its status.phase is `phase`. */
export const phaseIs =
  <T extends { status?: { phase?: string } }>(get: () => Promise<T | undefined>, phase: string) =>
  async (): Promise<T | undefined> => {
    const o = await get()
    return o?.status?.phase === phase ? o : undefined
  }

/** A getter that yields true once get() yields nothing. */
export const gone = (get: () => Promise<unknown>) => async () => (await get()) === undefined

/** A RWO claim `default/name` asking for size. */
export function claim(name: string, size: string, extra: Record<string, unknown> = {}): PersistentVolumeClaim {
  return {
    metadata: { name, namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, ...extra },
  }
}
