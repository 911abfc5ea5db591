/**
 * The watch cache: one store watch over /registry/ fanned out to every client watch, with a
 * window of recent events so a client resuming from a resourceVersion gets exactly the events
 * after it, or 410 Expired when that version has left the window (as kube-apiserver does).
 * Holds raw values; decoding and filtering belong to the watch handler.
 */
import { resourceExpired } from '../machinery/status-error.js'
import type { Store, StoreEvent, WatchHandle } from '../storage/store.js'

/** One committed change, as the cache keeps it. */
export interface CachedEvent {
  type: 'put' | 'delete'
  key: string
  revision: number
  /** For a delete, the last value before it. */
  value: string
  prevValue?: string
  /** True when the put created the key. */
  created: boolean
}

export type CacheListener = (events: CachedEvent[]) => void

interface Subscriber {
  prefix: string
  after: number
  listener: CacheListener
}

export class WatchCache {
  private buffer: CachedEvent[] = []
  private head = 0
  /** Every event with revision > lowWater is in the buffer. */
  private lowWater = 0
  private latest = 0
  private subscribers = new Set<Subscriber>()
  private handle?: WatchHandle

  constructor(
    private readonly store: Store,
    // A window of recent events (kube-apiserver keeps about 75 s per resource); older resumes get 410.
    private readonly capacity = 10_000,
  ) {}

  /** Starts following the store from its current revision. */
  async start(): Promise<void> {
    const rev = await this.store.currentRevision()
    this.lowWater = rev
    this.latest = rev
    this.handle = this.store.watch('/registry/', rev, events => this.ingest(events))
  }

  stop(): void {
    this.handle?.stop()
    this.subscribers.clear()
  }

  /** The newest revision the cache has seen (and delivered). */
  get revision(): number {
    return this.latest
  }

  /** The oldest revision a watch may resume from. */
  get oldestResumable(): number {
    return this.lowWater
  }

  private ingest(events: StoreEvent[]): void {
    const batch: CachedEvent[] = []
    for (const e of events) {
      if (e.kv.modRevision <= this.latest) continue
      const created = e.type === 'put' && !e.prevKv
      batch.push({
        type: e.type,
        key: e.kv.key,
        revision: e.kv.modRevision,
        value: e.type === 'delete' ? (e.prevKv?.value ?? e.kv.value) : e.kv.value,
        prevValue: e.prevKv?.value,
        created,
      })
      this.latest = e.kv.modRevision
    }
    if (!batch.length) return
    for (const ev of batch) this.push(ev)
    for (const sub of this.subscribers) this.deliver(sub, batch)
  }

  private push(ev: CachedEvent): void {
    if (this.buffer.length - this.head >= this.capacity) {
      this.lowWater = this.buffer[this.head]!.revision
      this.head++
      if (this.head > 4096) {
        this.buffer = this.buffer.slice(this.head)
        this.head = 0
      }
    }
    this.buffer.push(ev)
  }

  private deliver(sub: Subscriber, events: CachedEvent[]): void {
    const mine = events.filter(e => e.revision > sub.after && e.key.startsWith(sub.prefix))
    if (mine.length) sub.listener(mine)
  }

  /**
   * Subscribes to events under prefix with revision > fromRevision: buffered ones first
   * (synchronously), then live ones. Throws 410 Expired when fromRevision left the window.
   */
  watch(prefix: string, fromRevision: number, listener: CacheListener): { stop(): void } {
    if (fromRevision < this.lowWater) throw resourceExpired(fromRevision, this.lowWater + 1)
    const sub: Subscriber = { prefix, after: fromRevision, listener }
    if (fromRevision < this.latest) {
      const replay: CachedEvent[] = []
      for (let i = this.firstAfter(fromRevision); i < this.buffer.length; i++) {
        const ev = this.buffer[i]!
        if (ev.key.startsWith(prefix)) replay.push(ev)
      }
      if (replay.length) listener(replay)
    }
    this.subscribers.add(sub)
    return { stop: () => this.subscribers.delete(sub) }
  }

  /** Index of the first buffered event with revision > rev (binary search). */
  private firstAfter(rev: number): number {
    let lo = this.head
    let hi = this.buffer.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.buffer[mid]!.revision <= rev) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
