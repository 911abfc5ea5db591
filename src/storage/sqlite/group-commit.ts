/**
 * Group commit for the sqlite backend: writes queue up and are applied together in one
 * transaction (one COMMIT, one fsync) on the next turn of the event loop. CAS checks run
 * inside that transaction in arrival order, so conflicting writers in one batch see each
 * other. A write's promise settles only after its batch committed. Must not notify watchers
 * itself: it hands committed events to its owner's onCommit callback.
 */
import { StoreClosedError } from '../errors.js'
import { KeyExistsError, KeyNotFoundError, type KeyValue, RevisionConflictError, type StoreEvent } from '../store.js'
import { type LogRow, rowToKv, type Statements } from './schema.js'

/** One requested write. */
export type WriteOp =
  | { kind: 'create'; key: string; value: string }
  | { kind: 'update'; key: string; value: string; expected: number }
  | { kind: 'delete'; key: string; expected: number | undefined }

interface Pending {
  op: WriteOp
  resolve: (kv: KeyValue) => void
  reject: (err: Error) => void
}

/** Counters for tests and benchmarks. */
export interface CommitStats {
  /** Transactions that wrote at least one row (each is one fsync). */
  commits: number
  /** Rows written (each is one revision). */
  writes: number
  /** Most writes committed by one transaction. */
  maxBatch: number
}

/** Largest batch per transaction; the rest waits for the next turn so one commit never hogs the loop. */
export const maxBatchSize = 4096

/** Queues writes and commits them in batches; owns the committed revision counter. */
export class GroupCommitter {
  private queue: Pending[] = []
  private flushQueued = false
  private closed = false
  private rev: number
  private readonly counters: CommitStats = { commits: 0, writes: 0, maxBatch: 0 }

  constructor(
    private readonly stmts: Statements,
    startRevision: number,
    private readonly onCommit: (events: StoreEvent[]) => void,
  ) {
    this.rev = startRevision
  }

  /** The newest committed revision. */
  get revision(): number {
    return this.rev
  }

  /** A copy of the counters. */
  stats(): CommitStats {
    return { ...this.counters }
  }

  /** Queues a write; resolves with its KeyValue once its batch committed, or rejects with a typed store error. */
  submit(op: WriteOp): Promise<KeyValue> {
    if (this.closed) return Promise.reject(new StoreClosedError())
    return new Promise<KeyValue>((resolve, reject) => {
      this.queue.push({ op, resolve, reject })
      if (!this.flushQueued) {
        this.flushQueued = true
        // setImmediate, not a microtask: writes arriving from I/O in this loop turn join the batch.
        setImmediate(() => this.flush())
      }
    })
  }

  /** Commits everything queued now, then refuses new writes. */
  close(): void {
    while (this.queue.length > 0) this.flush()
    this.closed = true
  }

  /** Commits the queued writes (up to maxBatchSize) in one transaction. */
  flush(): void {
    this.flushQueued = false
    if (this.queue.length === 0) return
    const batch = this.queue.length > maxBatchSize ? this.queue.splice(0, maxBatchSize) : this.queue
    if (batch === this.queue) this.queue = []
    else this.scheduleRest()
    const outcomes: (KeyValue | Error)[] = []
    const events: StoreEvent[] = []
    let rev = this.rev
    try {
      this.stmts.begin.run()
      for (const p of batch) {
        const out = this.apply(p.op, rev + 1)
        if (out instanceof Error) outcomes.push(out)
        else {
          rev++
          outcomes.push({ ...out.kv })
          events.push(out)
        }
      }
      this.stmts.commit.run()
    } catch (err) {
      this.abort(batch, err)
      return
    }
    this.rev = rev
    if (events.length > 0) {
      this.counters.commits++
      this.counters.writes += events.length
      this.counters.maxBatch = Math.max(this.counters.maxBatch, events.length)
      this.onCommit(events)
    }
    for (let i = 0; i < batch.length; i++) {
      const out = outcomes[i]!
      if (out instanceof Error) batch[i]!.reject(out)
      else batch[i]!.resolve(out)
    }
  }

  private scheduleRest(): void {
    if (this.flushQueued) return
    this.flushQueued = true
    setImmediate(() => this.flush())
  }

  /** A failed transaction fails every write in it: none of them is durable. */
  private abort(batch: Pending[], err: unknown): void {
    try {
      this.stmts.rollback.run()
    } catch {
      // Already rolled back by SQLite (e.g. after SQLITE_FULL); nothing else to undo.
    }
    const e = err instanceof Error ? err : new Error(String(err))
    for (const p of batch) p.reject(e)
  }

  /** Checks one write against the newest row of its key and appends its row at revision rev. */
  private apply(op: WriteOp, rev: number): StoreEvent | Error {
    const cur = this.stmts.latest.get(op.key)
    const live = cur !== undefined && cur.deleted === 0
    if (op.kind === 'create') {
      if (live) return new KeyExistsError(op.key)
      this.stmts.insert.run(rev, op.key, rev, cur?.id ?? 0, 0, op.value)
      const kv = { key: op.key, value: op.value, createRevision: rev, modRevision: rev }
      return { type: 'put', kv }
    }
    if (!live) return new KeyNotFoundError(op.key)
    const prevKv = rowToKv(cur as LogRow)
    if (op.expected !== undefined && cur.id !== op.expected) return new RevisionConflictError(op.key, prevKv)
    if (op.kind === 'update') {
      this.stmts.insert.run(rev, op.key, cur.create_revision, cur.id, 0, op.value)
      return {
        type: 'put',
        kv: { key: op.key, value: op.value, createRevision: cur.create_revision, modRevision: rev },
        prevKv,
      }
    }
    this.stmts.insert.run(rev, op.key, cur.create_revision, cur.id, 1, cur.value)
    return { type: 'delete', kv: { ...prevKv, modRevision: rev }, prevKv }
  }
}
