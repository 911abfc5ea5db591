/**
 * Errors the storage room adds beyond the seam's own (store.ts): store lifecycle and store URLs.
 * Like the seam's errors they carry a `code` for callers to branch on; they know nothing of HTTP.
 */

/** The store was closed: pending and later operations, and open watches, end with this. */
export class StoreClosedError extends Error {
  readonly code = 'StoreClosed'
  constructor() {
    super('store is closed')
  }
}

/** openStore was given a URL whose scheme has no backend (yet). */
export class UnsupportedSchemeError extends Error {
  readonly code = 'UnsupportedScheme'
  constructor(
    readonly url: string,
    detail: string,
  ) {
    super(`unsupported store URL "${url}": ${detail}`)
  }
}

/** Another process (or connection) holds the store's file: a store has exactly one writer. */
export class StoreLockedError extends Error {
  readonly code = 'StoreLocked'
  constructor(
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(`store file ${path} is in use by another process`, options)
  }
}
