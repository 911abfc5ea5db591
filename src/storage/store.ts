/**
 * The Store seam, in the etcd/kine shape: opaque values under string keys, one global
 * revision that the API server hands out as resourceVersion. Knows no kinds, speaks no HTTP.
 * Backends register by scheme (sqlite:, memory:, etcd:) in registry.ts.
 */

export interface KeyValue {
  key: string
  /** Serialized object (JSON text). */
  value: string
  /** Revision at which the key was created (in its current incarnation). */
  createRevision: number
  /** Revision of the last write to this key; for a delete event, the revision of the delete. */
  modRevision: number
}

export interface StoreEvent {
  type: 'put' | 'delete'
  /** For 'delete' this carries the last value and modRevision = the delete's revision. */
  kv: KeyValue
  /** The previous value, when the event replaced or removed one. */
  prevKv?: KeyValue
}

export interface ListOptions {
  /** Read as of this revision (0/undefined = latest). Fails with Compacted below the compact revision. */
  revision?: number
  /** At most this many items; `more` says whether more exist. */
  limit?: number
  /** Start strictly after this key (exclusive), for paging. */
  startAfter?: string
}

export interface ListResult {
  items: KeyValue[]
  /** The revision the list was read at: pass it back with startAfter to page consistently. */
  revision: number
  more: boolean
  /** Number of keys after this page (when known). */
  remaining?: number
}

export interface WatchHandle {
  /** Stops delivery; safe to call twice. */
  stop(): void
}

export interface Store {
  /** The newest revision (0 for an empty store). */
  currentRevision(): Promise<number>
  /** The oldest revision still readable (everything at or below it was compacted away). */
  compactRevision(): Promise<number>
  /** Resolves undefined when absent. */
  get(key: string): Promise<KeyValue | undefined>
  /** Keys starting with prefix, in key order. Rejects with Compacted for a compacted revision. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>
  /** Rejects with KeyExists if the key is live. */
  create(key: string, value: string): Promise<KeyValue>
  /** Compare-and-swap on modRevision. Rejects with KeyNotFound, or RevisionConflict carrying the current value. */
  update(key: string, value: string, expectedModRevision: number): Promise<KeyValue>
  /** Removes the key; with expectedModRevision, only if unchanged. Resolves the deleted value (modRevision = delete revision). */
  delete(key: string, expectedModRevision?: number): Promise<KeyValue>
  /**
   * Delivers, in revision order, every event on keys under prefix with revision > fromRevision,
   * then live events as they commit. Batches share one call. Throws Compacted synchronously-or-async
   * via onError when fromRevision is older than the compact revision.
   */
  watch(
    prefix: string,
    fromRevision: number,
    onEvents: (events: StoreEvent[]) => void,
    onError?: (err: Error) => void,
  ): WatchHandle
  /** Drops history at or below revision (latest values are kept). */
  compact(revision: number): Promise<void>
  close(): Promise<void>
}

/** The key is live already (create). */
export class KeyExistsError extends Error {
  readonly code = 'KeyExists'
  constructor(readonly key: string) {
    super(`key exists: ${key}`)
  }
}

/** No live value at key (update, delete). */
export class KeyNotFoundError extends Error {
  readonly code = 'KeyNotFound'
  constructor(readonly key: string) {
    super(`key not found: ${key}`)
  }
}

/** CAS failed: the key changed since expectedModRevision. `current` is the live value. */
export class RevisionConflictError extends Error {
  readonly code = 'RevisionConflict'
  constructor(
    readonly key: string,
    readonly current: KeyValue,
  ) {
    super(`revision conflict on ${key}: now at ${current.modRevision}`)
  }
}

/** The requested revision is older than the compact revision. */
export class CompactedError extends Error {
  readonly code = 'Compacted'
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super(`required revision ${requested} has been compacted (compact revision ${compacted})`)
  }
}

/** The requested revision is newer than the store's current revision. */
export class FutureRevisionError extends Error {
  readonly code = 'FutureRevision'
  constructor(
    readonly requested: number,
    readonly current: number,
  ) {
    super(`required revision ${requested} is a future revision (current ${current})`)
  }
}

export const storeErrorCode = (e: unknown): string | undefined =>
  e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : undefined
