/**
 * ReferencedObjects: the kubelet's watch-based ConfigMap/Secret manager. Each object some pod on
 * this node references (by volume or env) gets its own single-object watch (namespace +
 * `metadata.name=<name>` field selector), shared by every pod referencing it and stopped with
 * the last one; a change calls onChange so mounted files follow edits within seconds. Reads of
 * objects nobody registered (yet) go to the API directly.
 */
import type { KObject } from '../api/meta.js'
import type { Clock } from '../client/clock.js'
import { Informer, type InformerOptions } from '../client/informer.js'
import type { Logger } from '../client/log.js'
import type { ResourceRef } from '../client/resources.js'
import type { RestClient } from '../client/rest-client.js'
import { ignoreNotFound } from '../client/retry.js'

/** Options of ReferencedObjects. */
export interface ReferencedObjectsOptions {
  client: RestClient
  ref: ResourceRef
  clock: Clock
  log: Logger
  /** Stops every watch. */
  signal: AbortSignal
  /** An object changed (added, updated, deleted) after its watch synced. */
  onChange(namespace: string, name: string): void
  informerOptions?: Pick<InformerOptions<KObject>, 'backoff' | 'freeze'>
}

interface Entry<T extends KObject> {
  informer: Informer<T>
  stop: AbortController
  pods: Set<string>
}

/** Watches the objects of one resource that pods on this node reference. */
export class ReferencedObjects<T extends KObject> {
  private readonly entries = new Map<string, Entry<T>>()
  private readonly byPod = new Map<string, Set<string>>()

  constructor(private readonly opts: ReferencedObjectsOptions) {}

  /** Sets the objects (names in namespace) pod uid references; starts and stops watches to match. */
  register(uid: string, namespace: string, names: Iterable<string>): void {
    const keys = new Set([...names].filter(n => n).map(n => `${namespace}/${n}`))
    const old = this.byPod.get(uid) ?? new Set()
    for (const key of keys) if (!old.has(key)) this.entry(key).pods.add(uid)
    for (const key of old) if (!keys.has(key)) this.release(key, uid)
    if (keys.size) this.byPod.set(uid, keys)
    else this.byPod.delete(uid)
  }

  /** The pod no longer references anything. */
  unregister(uid: string): void {
    this.register(uid, '', [])
  }

  /** The object, or undefined if it does not exist. Watched objects come from the cache once synced. */
  async get(namespace: string, name: string): Promise<T | undefined> {
    const entry = this.entries.get(`${namespace}/${name}`)
    if (entry && (entry.informer.hasSynced() || (await entry.informer.waitForSync(this.deadline(entry, 5_000)))))
      return entry.informer.lister.get({ namespace, name })
    return ignoreNotFound(this.opts.client.get<T>(this.opts.ref, name, { namespace }))
  }

  /** The pods referencing namespace/name. */
  podsOf(namespace: string, name: string): string[] {
    return [...(this.entries.get(`${namespace}/${name}`)?.pods ?? [])]
  }

  /** Number of objects watched. */
  get size(): number {
    return this.entries.size
  }

  private entry(key: string): Entry<T> {
    let e = this.entries.get(key)
    if (e) return e
    const [namespace, name] = key.split('/') as [string, string]
    const stop = new AbortController()
    const informer = new Informer<T>(this.opts.client, this.opts.ref, {
      namespace,
      fieldSelector: `metadata.name=${name}`,
      clock: this.opts.clock,
      log: this.opts.log,
      ...this.opts.informerOptions,
    })
    const changed = () => {
      if (informer.hasSynced()) this.opts.onChange(namespace, name)
    }
    informer.addEventHandler({ onAdd: changed, onUpdate: changed, onDelete: changed })
    const signal = AbortSignal.any([this.opts.signal, stop.signal])
    void informer.run(signal).catch(err => this.opts.log.warn({ err, object: key }, 'Object watch failed'))
    // The first list may add the object after others already read "not found": tell them.
    void informer.waitForSync(signal).then(ok => ok && this.opts.onChange(namespace, name))
    e = { informer, stop, pods: new Set() }
    this.entries.set(key, e)
    return e
  }

  private release(key: string, uid: string): void {
    const e = this.entries.get(key)
    if (!e) return
    e.pods.delete(uid)
    if (e.pods.size) return
    e.stop.abort()
    this.entries.delete(key)
  }

  /** A signal that aborts after ms (on the injected clock) or when the entry stops. */
  private deadline(entry: Entry<T>, ms: number): AbortSignal {
    const c = new AbortController()
    const timer = this.opts.clock.setTimer(() => c.abort(), ms)
    c.signal.addEventListener('abort', () => timer.cancel(), { once: true })
    return AbortSignal.any([entry.stop.signal, c.signal])
  }
}
