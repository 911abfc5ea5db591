/**
 * In-memory MVCC Store: every version is kept until compact(), so lists at past revisions and
 * watches from old revisions behave as in the durable backends. Used by tests and `memory:` URLs.
 * Must not persist anything or parse values; nothing survives close().
 */
import { type AutoCompactOptions, AutoCompactor } from '../auto-compact.js'
import { StoreClosedError } from '../errors.js'
import {
  CompactedError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  type KeyValue,
  type ListOptions,
  type ListResult,
  RevisionConflictError,
  type Store,
  type StoreEvent,
  type WatchHandle,
} from '../store.js'
import { WatchHub } from '../watch-hub.js'

/** One write to one key. Read-only once created, except `prev`, which compaction cuts. */
interface Version {
  readonly kv: KeyValue
  readonly deleted: boolean
  prev: Version | undefined
}

/** Options for an in-memory store (auto-compaction as in every backend). */
export type MemoryStoreOptions = AutoCompactOptions

/** The in-memory backend. */
export class MemoryStore implements Store {
  private rev = 0
  private compacted = 0
  private closed = false
  /** Every key with a retained version, sorted (JS string order). */
  private readonly keys: string[] = []
  private readonly versions = new Map<string, Version[]>()
  /** Versions above the compact revision; log[i] has revision compacted + 1 + i. */
  private log: Version[] = []
  private readonly hub: WatchHub
  private readonly compactor: AutoCompactor

  constructor(opts: MemoryStoreOptions = {}) {
    this.hub = new WatchHub({
      readEvents: (prefix, after, upto, limit) => this.readEvents(prefix, after, upto, limit),
      headRevision: () => this.rev,
      compactedRevision: () => this.compacted,
    })
    this.compactor = new AutoCompactor(this, opts)
    this.compactor.start()
  }

  async currentRevision(): Promise<number> {
    return this.rev
  }

  async compactRevision(): Promise<number> {
    return this.compacted
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.assertOpen()
    const v = this.latest(key)
    return v && !v.deleted ? { ...v.kv } : undefined
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.assertOpen()
    const rev = this.readRevision(opts.revision)
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Number.POSITIVE_INFINITY
    let i = lowerBound(this.keys, prefix)
    if (opts.startAfter !== undefined) i = Math.max(i, upperBound(this.keys, opts.startAfter))
    const items: KeyValue[] = []
    let remaining = 0
    for (; i < this.keys.length && this.keys[i]!.startsWith(prefix); i++) {
      const v = versionAt(this.versions.get(this.keys[i]!)!, rev)
      if (!v || v.deleted) continue
      if (items.length < limit) items.push({ ...v.kv })
      else remaining++
    }
    return { items, revision: rev, more: remaining > 0, remaining }
  }

  async create(key: string, value: string): Promise<KeyValue> {
    this.assertOpen()
    const prev = this.latest(key)
    if (prev && !prev.deleted) throw new KeyExistsError(key)
    const rev = this.rev + 1
    return this.append({ kv: { key, value, createRevision: rev, modRevision: rev }, deleted: false, prev })
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    this.assertOpen()
    const prev = this.live(key, expectedModRevision)
    const kv = { key, value, createRevision: prev.kv.createRevision, modRevision: this.rev + 1 }
    return this.append({ kv, deleted: false, prev })
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    this.assertOpen()
    const prev = this.live(key, expectedModRevision)
    const kv = { ...prev.kv, modRevision: this.rev + 1 }
    return this.append({ kv, deleted: true, prev })
  }

  watch(
    prefix: string,
    fromRevision: number,
    onEvents: (events: StoreEvent[]) => void,
    onError?: (err: Error) => void,
  ): WatchHandle {
    if (this.closed) {
      queueMicrotask(() => onError?.(new StoreClosedError()))
      return { stop() {} }
    }
    return this.hub.watch(prefix, fromRevision, onEvents, onError)
  }

  async compact(revision: number): Promise<void> {
    this.assertOpen()
    if (revision > this.rev) throw new FutureRevisionError(revision, this.rev)
    if (revision <= this.compacted) return
    const dropped = this.log.slice(0, revision - this.compacted)
    const touched = new Set(dropped.map(v => v.kv.key))
    for (const key of touched) this.compactKey(key, revision)
    this.log = this.log.slice(dropped.length)
    this.compacted = revision
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.compactor.stop()
    this.hub.close()
  }

  /** Keeps, for one key, the version visible at revision (unless a tombstone) and everything newer. */
  private compactKey(key: string, revision: number): void {
    const all = this.versions.get(key)!
    let j = all.length - 1
    while (j > 0 && all[j]!.kv.modRevision > revision) j--
    if (all[j]!.kv.modRevision <= revision && all[j]!.deleted) j++
    const kept = all.slice(j)
    if (kept.length === 0) {
      this.versions.delete(key)
      this.keys.splice(lowerBound(this.keys, key), 1)
      return
    }
    // History below the compact revision is unreachable now: cut the chain so it can be collected.
    kept[0]!.prev = undefined
    this.versions.set(key, kept)
  }

  private append(v: Version): KeyValue {
    const key = v.kv.key
    let all = this.versions.get(key)
    if (!all) {
      all = []
      this.versions.set(key, all)
      this.keys.splice(lowerBound(this.keys, key), 0, key)
    }
    all.push(v)
    this.log.push(v)
    this.rev = v.kv.modRevision
    this.hub.publish([toEvent(v)])
    return { ...v.kv }
  }

  /** The live version of key, checked against an optional expected modRevision. */
  private live(key: string, expected: number | undefined): Version {
    const v = this.latest(key)
    if (!v || v.deleted) throw new KeyNotFoundError(key)
    if (expected !== undefined && v.kv.modRevision !== expected) throw new RevisionConflictError(key, { ...v.kv })
    return v
  }

  private latest(key: string): Version | undefined {
    const all = this.versions.get(key)
    return all?.[all.length - 1]
  }

  private readRevision(requested: number | undefined): number {
    if (!requested) return this.rev
    if (requested > this.rev) throw new FutureRevisionError(requested, this.rev)
    if (requested < this.compacted) throw new CompactedError(requested, this.compacted)
    return requested
  }

  private readEvents(prefix: string, after: number, upto: number, limit: number): StoreEvent[] {
    const out: StoreEvent[] = []
    for (let i = Math.max(0, after - this.compacted); i < this.log.length && out.length < limit; i++) {
      const v = this.log[i]!
      if (v.kv.modRevision > upto) break
      if (v.kv.key.startsWith(prefix)) out.push(toEvent(v))
    }
    return out
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError()
  }
}

function toEvent(v: Version): StoreEvent {
  const prevKv = v.prev && !v.prev.deleted ? { ...v.prev.kv } : undefined
  const kv = { ...v.kv }
  return prevKv ? { type: v.deleted ? 'delete' : 'put', kv, prevKv } : { type: v.deleted ? 'delete' : 'put', kv }
}

/** The newest version at or below rev. */
function versionAt(all: Version[], rev: number): Version | undefined {
  for (let j = all.length - 1; j >= 0; j--) if (all[j]!.kv.modRevision <= rev) return all[j]
  return undefined
}

/** First index whose key is >= k. */
function lowerBound(keys: string[], k: string): number {
  let lo = 0
  let hi = keys.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (keys[mid]! < k) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** First index whose key is > k. */
function upperBound(keys: string[], k: string): number {
  let lo = 0
  let hi = keys.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (keys[mid]! <= k) lo = mid + 1
    else hi = mid
  }
  return lo
}
