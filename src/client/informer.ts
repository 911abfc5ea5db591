/**
 * Informer: one resource's list-then-watch loop feeding an indexed cache and event handlers
 * (client-go's reflector + shared informer). It lists in pages of 500, watches from the list's
 * resourceVersion with bookmarks, re-watches from the last seen version when a stream ends,
 * re-lists on 410 Expired, and backs off on errors. Handlers run synchronously in cache order and
 * must be cheap (turn the object into a key and enqueue it).
 */
import type { KObject, WatchEvent } from '../api/meta.js'
import { isExpired, isStatusError } from '../machinery/status-error.js'
import { Cache, type Indexers, keyOf } from './cache.js'
import { type Clock, realClock } from './clock.js'
import { deepFreeze, freezeByDefault } from './freeze.js'
import { byNamespace, NAMESPACE_INDEX } from './indexers.js'
import { Lister } from './lister.js'
import { type Logger, silentLogger } from './log.js'
import { apiVersionOf, type ResourceRef, resourceId } from './resources.js'
import type { RestClient } from './rest-client.js'

/** Callbacks for cache changes. Deletes carry the final state, or the last known one after a re-list. */
export interface EventHandler<T> {
  onAdd?(obj: T): void
  onUpdate?(oldObj: T, newObj: T): void
  onDelete?(obj: T): void
}

/** What an informer watches and how it behaves. */
export interface InformerOptions<T> {
  /** Watch one namespace only. */
  namespace?: string
  labelSelector?: string
  fieldSelector?: string
  /** Extra indices (the namespace index is always present). */
  indexers?: Indexers<T>
  /** List page size. Default 500. */
  pageSize?: number
  /** Freeze cached objects. Default: everywhere except NODE_ENV=production. */
  freeze?: boolean
  clock?: Clock
  log?: Logger
  /** First and largest backoff after failures. Default 800 ms → 30 s (client-go). */
  backoff?: { initialMs: number; maxMs: number }
  /** Server-side watch timeout per request. Default random 300–600 s, as client-go. */
  watchTimeoutSeconds?: () => number
}

/** A shared informer for one resource. */
export class Informer<T extends KObject = KObject> {
  /** The indexed cache; read it through lister. */
  readonly cache: Cache<T>
  /** Read-only access to the cache. */
  readonly lister: Lister<T>
  private handlers: EventHandler<T>[] = []
  private synced = false
  private syncWaiters: (() => void)[] = []
  private resourceVersion = ''
  private running = false
  private readonly clock: Clock
  private readonly log: Logger
  private readonly freeze: boolean
  private readonly apiVersion: string

  constructor(
    private readonly client: RestClient,
    readonly ref: ResourceRef,
    private readonly opts: InformerOptions<T> = {},
  ) {
    this.cache = new Cache<T>({ [NAMESPACE_INDEX]: byNamespace, ...opts.indexers })
    this.lister = new Lister(this.cache)
    this.clock = opts.clock ?? realClock
    this.freeze = opts.freeze ?? freezeByDefault
    this.apiVersion = apiVersionOf(ref)
    this.log = (opts.log ?? silentLogger).child({ informer: resourceId(ref), namespace: opts.namespace })
  }

  /** Registers handlers; if the cache already holds objects, onAdd replays them first. */
  addEventHandler(handler: EventHandler<T>): { remove(): void } {
    this.handlers.push(handler)
    for (const obj of this.cache.list()) this.call(handler, 'onAdd', obj)
    return { remove: () => (this.handlers = this.handlers.filter(h => h !== handler)) }
  }

  /** Adds indices to the cache (at any time). */
  addIndexers(indexers: Indexers<T>): void {
    this.cache.addIndexers(indexers)
  }

  /** True once the first full list has been applied. */
  hasSynced(): boolean {
    return this.synced
  }

  /** Resolves true once synced, or false if signal aborts first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true)
    if (signal?.aborted) return Promise.resolve(false)
    return new Promise(resolve => {
      const onAbort = () => resolve(false)
      signal?.addEventListener('abort', onAbort, { once: true })
      this.syncWaiters.push(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve(true)
      })
    })
  }

  /** The resourceVersion of the last list, event or bookmark applied. */
  lastResourceVersion(): string {
    return this.resourceVersion
  }

  /** Lists and watches until signal aborts. Resolves after the loop has stopped. Runs once. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error(`informer for ${resourceId(this.ref)} is already running`)
    this.running = true
    const { initialMs, maxMs } = this.opts.backoff ?? { initialMs: 800, maxMs: 30_000 }
    let delay = initialMs
    while (!signal.aborted) {
      try {
        await this.listAndWatch(signal)
        delay = initialMs
      } catch (err) {
        if (signal.aborted) break
        this.log.warn({ err, delayMs: delay }, 'List or watch failed; retrying after backoff')
        await this.clock.sleep(delay, signal)
        delay = Math.min(delay * 2, maxMs)
      }
    }
    this.log.debug('Informer stopped')
  }

  /** One list followed by watches; returns to re-list (410), throws to back off and re-list. */
  private async listAndWatch(signal: AbortSignal): Promise<void> {
    await this.listAll(signal)
    const { initialMs, maxMs } = this.opts.backoff ?? { initialMs: 800, maxMs: 30_000 }
    let delay = initialMs
    while (!signal.aborted) {
      const started = this.clock.now()
      let events = 0
      try {
        const stream = this.client.watch<T>(this.ref, {
          namespace: this.opts.namespace,
          labelSelector: this.opts.labelSelector,
          fieldSelector: this.opts.fieldSelector,
          resourceVersion: this.resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: this.opts.watchTimeoutSeconds?.() ?? Math.floor(300 * (1 + Math.random())),
          signal,
        })
        for await (const ev of stream) {
          this.apply(ev)
          events++
        }
        // A normal end (server timeout): re-watch from where we are, unless it ended suspiciously fast.
        if (events > 0 || this.clock.now() - started >= 1000) {
          delay = initialMs
          continue
        }
        this.log.debug('Watch ended at once without events; backing off')
      } catch (err) {
        if (signal.aborted) return
        if (isExpired(err)) {
          this.log.info({ resourceVersion: this.resourceVersion }, 'Watch expired; re-listing')
          return
        }
        // A StatusError is the server refusing the watch: re-list. Anything else is the
        // network: the list is still good, so resume the watch where it stopped (client-go does too).
        if (isStatusError(err)) throw err
        this.log.warn({ err, delayMs: delay }, 'Watch failed; resuming after backoff')
      }
      await this.clock.sleep(delay, signal)
      delay = Math.min(delay * 2, maxMs)
    }
  }

  /** Lists every page, then replaces the cache content, emitting the differences. */
  private async listAll(signal: AbortSignal): Promise<void> {
    const items: T[] = []
    let cont: string | undefined
    let rv = ''
    do {
      const page = await this.client.list<T>(this.ref, {
        namespace: this.opts.namespace,
        labelSelector: this.opts.labelSelector,
        fieldSelector: this.opts.fieldSelector,
        limit: this.opts.pageSize ?? 500,
        continue: cont,
        signal,
      })
      for (const item of page.items) items.push(this.normalize(item))
      cont = page.metadata.continue || undefined
      rv = page.metadata.resourceVersion ?? ''
    } while (cont && !signal.aborted)
    if (signal.aborted) return
    this.replace(items)
    this.resourceVersion = rv
    this.log.debug({ items: items.length, resourceVersion: rv }, 'Listed')
    if (!this.synced) {
      this.synced = true
      for (const w of this.syncWaiters.splice(0)) w()
    }
  }

  private replace(items: T[]): void {
    const seen = new Set<string>()
    for (const obj of items) {
      seen.add(keyOf(obj))
      const old = this.cache.upsert(obj)
      if (!old) this.emit('onAdd', obj)
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.emit('onUpdate', old, obj)
    }
    for (const key of this.cache.keys()) {
      if (seen.has(key)) continue
      // Deleted while we were not watching: the final state is unknown, pass the last known one.
      const old = this.cache.remove(key)!
      this.emit('onDelete', old)
    }
  }

  private apply(ev: WatchEvent<T>): void {
    const rv = ev.object?.metadata?.resourceVersion
    if (ev.type === 'BOOKMARK') {
      if (rv) this.resourceVersion = rv
      return
    }
    const obj = this.normalize(ev.object)
    if (ev.type === 'DELETED') {
      this.cache.remove(keyOf(obj))
      this.emit('onDelete', obj)
    } else {
      const old = this.cache.upsert(obj)
      if (old) this.emit('onUpdate', old, obj)
      else this.emit('onAdd', obj)
    }
    if (rv) this.resourceVersion = rv
  }

  /** List items come without kind/apiVersion from real servers: fill them in, then freeze. */
  private normalize(obj: T): T {
    if (!obj.kind || !obj.apiVersion)
      obj = { ...obj, apiVersion: obj.apiVersion || this.apiVersion, kind: obj.kind || this.ref.kind }
    return this.freeze ? deepFreeze(obj) : obj
  }

  private emit(method: 'onAdd' | 'onDelete', obj: T): void
  private emit(method: 'onUpdate', oldObj: T, newObj: T): void
  private emit(method: keyof EventHandler<T>, a: T, b?: T): void {
    for (const h of this.handlers) this.call(h, method, a, b)
  }

  private call(h: EventHandler<T>, method: keyof EventHandler<T>, a: T, b?: T): void {
    try {
      if (method === 'onUpdate') h.onUpdate?.(a, b!)
      else h[method]?.(a)
    } catch (err) {
      this.log.error({ err, handler: method }, 'Event handler threw')
    }
  }
}
