/**
 * Fans committed events out to watchers for any backend. A watcher first replays history
 * (fromRevision, head] from the backend's log in batches, then receives live events; each
 * event reaches it once, in revision order, and never inside the writer's call stack.
 * Must not touch a database or look inside values: history comes through an EventSource.
 */
import { StoreClosedError } from './errors.js'
import { CompactedError, type StoreEvent, type WatchHandle } from './store.js'

/** How the hub reads a backend. Every call is a synchronous snapshot of committed state. */
export interface EventSource {
  /** Committed events on keys under prefix with after < revision <= upto, in revision order, at most limit. */
  readEvents(prefix: string, after: number, upto: number, limit: number): StoreEvent[]
  /** The newest committed revision (every event at or below it has been published). */
  headRevision(): number
  /** History at or below this revision may be gone. */
  compactedRevision(): number
}

type OnEvents = (events: StoreEvent[]) => void
type OnError = ((err: Error) => void) | undefined

interface Watcher {
  readonly prefix: string
  readonly onEvents: OnEvents
  readonly onError: OnError
  /** Head at registration: replay covers (cursor, replayUntil], live events start above it. */
  readonly replayUntil: number
  /** Live events at or below this are not for this watcher (already replayed, or skipped on request). */
  readonly liveFloor: number
  /** Last revision delivered by replay. */
  cursor: number
  replaying: boolean
  stopped: boolean
  /** Live events waiting for delivery (held back while replaying). */
  pending: StoreEvent[]
}

/** Default number of events per replay batch (one onEvents call, one log query). */
export const defaultReplayBatch = 500

/** Registry of watchers for one store; the backend calls publish() right after each commit. */
export class WatchHub {
  private readonly watchers = new Set<Watcher>()
  private readonly ready = new Set<Watcher>()
  private flushQueued = false

  constructor(
    private readonly source: EventSource,
    private readonly replayBatch = defaultReplayBatch,
  ) {}

  /** Number of active watchers. */
  get size(): number {
    return this.watchers.size
  }

  /** Starts a watch (see Store.watch); replay and errors are reported asynchronously. */
  watch(prefix: string, fromRevision: number, onEvents: OnEvents, onError?: (err: Error) => void): WatchHandle {
    const head = this.source.headRevision()
    const w: Watcher = {
      prefix,
      onEvents,
      onError,
      replayUntil: head,
      liveFloor: Math.max(fromRevision, head),
      cursor: fromRevision,
      replaying: true,
      stopped: false,
      pending: [],
    }
    this.watchers.add(w)
    setImmediate(() => this.replayStep(w))
    return { stop: () => this.stop(w) }
  }

  /** Hands freshly committed events (ascending revisions) to every matching watcher. */
  publish(events: readonly StoreEvent[]): void {
    for (const w of this.watchers) {
      let added = false
      for (const e of events) {
        if (e.kv.modRevision > w.liveFloor && e.kv.key.startsWith(w.prefix)) {
          w.pending.push(e)
          added = true
        }
      }
      if (added && !w.replaying) this.ready.add(w)
    }
    this.queueFlush()
  }

  /** Ends every watch with StoreClosedError. */
  close(): void {
    const all = [...this.watchers]
    for (const w of all) this.fail(w, new StoreClosedError())
  }

  private replayStep(w: Watcher): void {
    if (w.stopped) return
    if (w.cursor < w.replayUntil) {
      // NOTE: checked before every batch, since a compaction may run between two batches.
      const compacted = this.source.compactedRevision()
      if (w.cursor < compacted) {
        this.fail(w, new CompactedError(w.cursor, compacted))
        return
      }
      const events = this.source.readEvents(w.prefix, w.cursor, w.replayUntil, this.replayBatch)
      if (events.length > 0) {
        w.cursor = events[events.length - 1]!.kv.modRevision
        this.deliver(w, events)
      }
      if (events.length >= this.replayBatch) {
        setImmediate(() => this.replayStep(w))
        return
      }
    }
    w.replaying = false
    if (w.pending.length > 0) {
      this.ready.add(w)
      this.queueFlush()
    }
  }

  private queueFlush(): void {
    if (this.flushQueued || this.ready.size === 0) return
    this.flushQueued = true
    queueMicrotask(() => this.flush())
  }

  private flush(): void {
    this.flushQueued = false
    const batch = [...this.ready]
    this.ready.clear()
    for (const w of batch) {
      if (w.stopped || w.pending.length === 0) continue
      const events = w.pending
      w.pending = []
      this.deliver(w, events)
    }
  }

  private deliver(w: Watcher, events: StoreEvent[]): void {
    if (w.stopped) return
    try {
      w.onEvents(events)
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err))
      if (!w.onError) {
        // A throwing handler with nobody to tell is a bug in the caller: surface it loudly.
        this.stop(w)
        queueMicrotask(() => {
          throw e
        })
        return
      }
      this.fail(w, e)
    }
  }

  private fail(w: Watcher, err: Error): void {
    if (w.stopped) return
    this.stop(w)
    w.onError?.(err)
  }

  private stop(w: Watcher): void {
    w.stopped = true
    w.pending = []
    this.watchers.delete(w)
    this.ready.delete(w)
  }
}
