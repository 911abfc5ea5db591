/**
 * The durable Store backend: a kine-style log in one SQLite file (WAL, synchronous=FULL), so
 * an acknowledged write survives kill -9 and power loss. Writes go through group commit,
 * watchers are fed in-process right after each COMMIT (no polling), compaction sweeps in
 * small steps. Must not parse values; holds its file exclusively (a second opener gets StoreLocked).
 */
import type Database from 'better-sqlite3'
import { type AutoCompactOptions, AutoCompactor } from '../auto-compact.js'
import { StoreClosedError } from '../errors.js'
import {
  CompactedError,
  FutureRevisionError,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Store,
  type StoreEvent,
  storeErrorCode,
  type WatchHandle,
} from '../store.js'
import { WatchHub } from '../watch-hub.js'
import { readCompactRevision, recordCompactRevision, sweepLog } from './compaction.js'
import { type CommitStats, GroupCommitter } from './group-commit.js'
import { type EventRow, openDatabase, prefixRange, rangeBinding, rangeParams, rowToKv, Statements } from './schema.js'

/** Options for the sqlite backend. */
export interface SqliteStoreOptions extends AutoCompactOptions {
  /** Revisions swept per compaction transaction (default 500). */
  compactChunkRevisions?: number
}

/** Opens (or creates) the store in the file at path, resuming at its newest revision. */
export async function openSqliteStore(path: string, opts: SqliteStoreOptions = {}): Promise<SqliteStore> {
  return new SqliteStore(openDatabase(path), opts)
}

/** The sqlite backend; build it with openSqliteStore. */
export class SqliteStore implements Store {
  private readonly stmts: Statements
  private readonly committer: GroupCommitter
  private readonly hub: WatchHub
  private readonly compactor: AutoCompactor
  private compacted: number
  /** Compactions run one after another; this is the tail of that chain. */
  private compaction: Promise<void> = Promise.resolve()
  private closed = false

  /** Takes ownership of an open database (see openSqliteStore). */
  constructor(
    private readonly db: Database.Database,
    private readonly opts: SqliteStoreOptions = {},
  ) {
    this.stmts = new Statements(db)
    this.compacted = readCompactRevision(this.stmts)
    this.hub = new WatchHub({
      readEvents: (prefix, after, upto, limit) => this.readEvents(prefix, after, upto, limit),
      headRevision: () => this.committer.revision,
      compactedRevision: () => this.compacted,
    })
    this.committer = new GroupCommitter(this.stmts, this.stmts.headRevision(), events => this.hub.publish(events))
    // Finish a sweep that a crash or close interrupted (a no-op when there is none).
    this.enqueueCompaction(() => this.sweep(this.compacted)).catch(err => {
      if (storeErrorCode(err) !== 'StoreClosed') opts.onCompactError?.(err)
    })
    this.compactor = new AutoCompactor(this, opts)
    this.compactor.start()
  }

  /** Group-commit counters: commits (one fsync each), writes, largest batch. */
  stats(): CommitStats {
    return this.committer.stats()
  }

  async currentRevision(): Promise<number> {
    return this.committer.revision
  }

  async compactRevision(): Promise<number> {
    return this.compacted
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.assertOpen()
    const row = this.stmts.latest.get(key)
    return row && row.deleted === 0 ? rowToKv(row) : undefined
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.assertOpen()
    const rev = this.readRevision(opts.revision)
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0
    const range = prefixRange(prefix, opts.startAfter)
    const rows = this.stmts.listAt(range).all({ ...rangeBinding(range), rev, limit: limit > 0 ? limit + 1 : -1 })
    if (limit === 0 || rows.length <= limit)
      return { items: rows.map(rowToKv), revision: rev, more: false, remaining: 0 }
    rows.length = limit
    const after = prefixRange(prefix, rows[limit - 1]!.key)
    const remaining = this.stmts.countAt(after).get({ ...rangeBinding(after), rev })!
    return { items: rows.map(rowToKv), revision: rev, more: true, remaining }
  }

  create(key: string, value: string): Promise<KeyValue> {
    return this.committer.submit({ kind: 'create', key, value })
  }

  update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    return this.committer.submit({ kind: 'update', key, value, expected: expectedModRevision })
  }

  delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    return this.committer.submit({ kind: 'delete', key, expected: expectedModRevision })
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

  /** Records the compact revision at once (older reads fail from then on), then sweeps in chunks. */
  compact(revision: number): Promise<void> {
    if (this.closed) return Promise.reject(new StoreClosedError())
    const head = this.committer.revision
    if (revision > head) return Promise.reject(new FutureRevisionError(revision, head))
    return this.enqueueCompaction(async () => {
      if (revision <= this.compacted) return
      recordCompactRevision(this.stmts, revision)
      this.compacted = revision
      await this.sweep(revision)
    })
  }

  /** Commits queued writes, ends watches with StoreClosedError, stops timers, closes the file. */
  async close(): Promise<void> {
    if (this.closed) return
    this.committer.close()
    this.closed = true
    this.compactor.stop()
    this.hub.close()
    this.db.close()
  }

  private enqueueCompaction(step: () => Promise<void>): Promise<void> {
    const run = this.compaction.then(() => {
      if (this.closed) throw new StoreClosedError()
      return step()
    })
    this.compaction = run.catch(() => {})
    return run
  }

  private async sweep(target: number): Promise<void> {
    const finished = await sweepLog(this.stmts, target, {
      chunkRevisions: this.opts.compactChunkRevisions,
      isClosed: () => this.closed,
    })
    // Interrupted by close: the compact revision is recorded, and reopening resumes the sweep.
    if (!finished) throw new StoreClosedError()
  }

  private readRevision(requested: number | undefined): number {
    const head = this.committer.revision
    if (!requested) return head
    if (requested > head) throw new FutureRevisionError(requested, head)
    if (requested < this.compacted) throw new CompactedError(requested, this.compacted)
    return requested
  }

  private readEvents(prefix: string, after: number, upto: number, limit: number): StoreEvent[] {
    const range = prefixRange(prefix)
    const params = prefix === '' ? [] : rangeParams(range)
    const rows = this.stmts.eventsIn(range).all(after, upto, ...params, limit) as EventRow[]
    return rows.map(toEvent)
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError()
  }
}

function toEvent(row: EventRow): StoreEvent {
  const kv = rowToKv(row)
  const type = row.deleted === 1 ? 'delete' : 'put'
  if (row.p_id === null || row.p_deleted !== 0) return { type, kv }
  const prevKv = { key: row.key, value: row.p_value!, createRevision: row.p_create_revision!, modRevision: row.p_id }
  return { type, kv, prevKv }
}
