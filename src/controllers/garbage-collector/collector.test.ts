/**
 * GarbageCollector wiring tests against a small fake cluster written here: it applies delete
 * semantics like the API server (finalizers hold objects, propagation policies add the orphan or
 * foregroundDeletion finalizer), feeds informer-like sources, and serves as GcActions. The real
 * API server path is covered by test/integration/gc.int.test.ts.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { KObject, OwnerReference } from '../../api/meta.js'
import type { EventHandler } from '../../client/informer.js'
import { CONFIG_MAPS, type ResourceRef, SECRETS } from '../../client/resources.js'
import { RestClient } from '../../client/rest-client.js'
import type { Source } from '../runtime/controller.js'
import type { GcActions } from './actions.js'
import { GarbageCollector } from './collector.js'
import type { Identity } from './graph.js'
import type { OwnerState } from './plan.js'

class FakeSource implements Source<KObject> {
  handlers: EventHandler<KObject>[] = []
  addEventHandler(h: EventHandler<KObject>) {
    this.handlers.push(h)
    return { remove: () => {} }
  }
  hasSynced = () => true
  waitForSync = async () => true
}

type Policy = 'Background' | 'Foreground' | 'Orphan'

/** Objects by uid with API-server delete semantics. */
class FakeCluster implements GcActions {
  objects = new Map<string, { ref: ResourceRef; obj: KObject }>()
  sources = new Map<string, FakeSource>()
  private seq = 0

  source(ref: ResourceRef): FakeSource {
    let s = this.sources.get(ref.resource)
    if (!s) this.sources.set(ref.resource, (s = new FakeSource()))
    return s
  }

  create(ref: ResourceRef, name: string, owners: OwnerReference[] = [], finalizers?: string[]): KObject {
    const obj: KObject = {
      kind: ref.kind,
      apiVersion: 'v1',
      metadata: {
        name,
        namespace: 'ns',
        uid: `uid-${name}`,
        resourceVersion: String(++this.seq),
        ownerReferences: owners,
        finalizers,
      },
    }
    this.objects.set(obj.metadata.uid!, { ref, obj })
    for (const h of this.source(ref).handlers) h.onAdd?.(obj)
    return obj
  }

  /** A user's (or the collector's) DELETE with a propagation policy. */
  remove(uid: string, policy: Policy = 'Background'): void {
    const e = this.objects.get(uid)
    if (!e) return
    const finalizers = [...(e.obj.metadata.finalizers ?? [])]
    if (policy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan')
    if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion')
    if (!finalizers.length) {
      this.drop(uid)
      return
    }
    this.write(uid, { finalizers, deletionTimestamp: e.obj.metadata.deletionTimestamp ?? '2024-01-01T00:00:00Z' })
  }

  write(uid: string, meta: Partial<KObject['metadata']>): void {
    const e = this.objects.get(uid)!
    const old = e.obj
    e.obj = { ...old, metadata: { ...old.metadata, ...meta, resourceVersion: String(++this.seq) } }
    if (e.obj.metadata.deletionTimestamp && !e.obj.metadata.finalizers?.length) {
      this.drop(uid)
      return
    }
    for (const h of this.source(e.ref).handlers) h.onUpdate?.(old, e.obj)
  }

  drop(uid: string): void {
    const e = this.objects.get(uid)!
    this.objects.delete(uid)
    for (const h of this.source(e.ref).handlers) h.onDelete?.(e.obj)
  }

  has(name: string): KObject | undefined {
    return this.objects.get(`uid-${name}`)?.obj
  }

  async getLatest(id: Identity) {
    return this.objects.get(id.uid)?.obj
  }
  async lookupOwner(ref: OwnerReference): Promise<OwnerState> {
    if (ref.apiVersion !== 'v1') return 'unknown'
    const o = this.objects.get(ref.uid)?.obj
    if (!o) return 'absent'
    return o.metadata.deletionTimestamp && o.metadata.finalizers?.includes('foregroundDeletion')
      ? 'deletingDependents'
      : 'live'
  }
  async delete(id: Identity, policy: Policy) {
    this.remove(id.uid, policy)
  }
  async removeOwnerReferences(id: Identity, uids: readonly string[]) {
    const o = this.objects.get(id.uid)
    if (o)
      this.write(id.uid, { ownerReferences: (o.obj.metadata.ownerReferences ?? []).filter(r => !uids.includes(r.uid)) })
  }
  async removeFinalizer(id: Identity, f: string) {
    const o = this.objects.get(id.uid)
    if (o) this.write(id.uid, { finalizers: (o.obj.metadata.finalizers ?? []).filter(x => x !== f) })
  }
}

const ownerRef = (o: KObject, block = false): OwnerReference => ({
  apiVersion: 'v1',
  kind: o.kind!,
  name: o.metadata.name!,
  uid: o.metadata.uid!,
  ...(block ? { blockOwnerDeletion: true, controller: true } : {}),
})

async function until(cond: () => boolean, what: string) {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise(r => setTimeout(r, 2))
  assert.ok(cond(), `timed out waiting for ${what}`)
}

async function start() {
  const cluster = new FakeCluster()
  const gc = new GarbageCollector({
    client: new RestClient({ server: 'http://127.0.0.1:1' }),
    informers: { forResource: ref => cluster.source(ref), start: () => {} },
    resources: [CONFIG_MAPS, SECRETS],
    actions: cluster,
  })
  const ac = new AbortController()
  const running = gc.run(ac.signal)
  // run() registers its handlers after an await; this fake source does not replay adds.
  await new Promise(r => setImmediate(r))
  return {
    cluster,
    gc,
    stop: () => {
      ac.abort()
      return running
    },
  }
}

test('background: dependents of a deleted owner are deleted; a live co-owner keeps its dependent', async () => {
  const { cluster, stop } = await start()
  const owner = cluster.create(CONFIG_MAPS, 'owner')
  const other = cluster.create(SECRETS, 'other')
  cluster.create(CONFIG_MAPS, 'dep-1', [ownerRef(owner)])
  cluster.create(SECRETS, 'dep-2', [ownerRef(owner)])
  cluster.create(CONFIG_MAPS, 'shared', [ownerRef(owner), ownerRef(other)])
  cluster.remove(owner.metadata.uid!)
  await until(() => !cluster.has('dep-1') && !cluster.has('dep-2'), 'dependents deleted')
  await until(() => cluster.has('shared')?.metadata.ownerReferences?.length === 1, 'dangling ref removed')
  assert.equal(cluster.has('shared')!.metadata.ownerReferences![0]!.uid, 'uid-other')
  await stop()
})

test('a dependent whose owner never existed is collected after verification', async () => {
  const { cluster, stop } = await start()
  cluster.create(CONFIG_MAPS, 'stray', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'uid-ghost' }])
  cluster.create(CONFIG_MAPS, 'unknown-kind', [{ apiVersion: 'x.io/v1', kind: 'Widget', name: 'w', uid: 'uid-w' }])
  await until(() => !cluster.has('stray'), 'stray deleted')
  assert.ok(cluster.has('unknown-kind'), 'owners of unknown kinds are never assumed gone')
  await stop()
})

test('foreground: the owner waits for blocking dependents, then its finalizer is removed', async () => {
  const { cluster, stop } = await start()
  const owner = cluster.create(CONFIG_MAPS, 'fg-owner')
  cluster.create(CONFIG_MAPS, 'fg-dep', [ownerRef(owner, true)], ['test/hold'])
  cluster.create(CONFIG_MAPS, 'fg-free', [ownerRef(owner)])
  cluster.remove(owner.metadata.uid!, 'Foreground')
  await until(() => !!cluster.has('fg-dep')?.metadata.deletionTimestamp, 'blocking dependent marked for deletion')
  await new Promise(r => setTimeout(r, 20))
  assert.ok(cluster.has('fg-owner'), 'owner held while a blocking dependent exists')
  cluster.write('uid-fg-dep', { finalizers: [] })
  await until(() => !cluster.has('fg-owner'), 'owner deleted after its blocking dependent')
  await until(() => !cluster.has('fg-free'), 'non-blocking dependent collected after the owner')
  await stop()
})

test('orphan: owner references are stripped from dependents, then the orphan finalizer goes', async () => {
  const { cluster, gc, stop } = await start()
  const owner = cluster.create(CONFIG_MAPS, 'or-owner')
  cluster.create(CONFIG_MAPS, 'or-dep-1', [ownerRef(owner, true)])
  cluster.create(SECRETS, 'or-dep-2', [ownerRef(owner)])
  cluster.remove(owner.metadata.uid!, 'Orphan')
  await until(() => !cluster.has('or-owner'), 'owner deleted')
  for (const n of ['or-dep-1', 'or-dep-2']) assert.deepEqual(cluster.has(n)?.metadata.ownerReferences, [], n)
  assert.equal(gc.graph.hasDependents(owner.metadata.uid!), false)
  await stop()
})
