/**
 * Option and result types of RestClient, kept apart from the client's logic. Types and one
 * constant table only: no I/O.
 */
import type { DeleteOptions, KObject } from '../api/meta.js'
import type { Query } from './paths.js'
import type { Transport } from './transport.js'

/** How to reach and authenticate to the API server. */
export interface RestClientOptions {
  /** "https://host:port". */
  server: string
  /** Bearer token. */
  token?: string
  /** PEM CA that signed the serving certificate. */
  ca?: string | Buffer
  insecureSkipTLSVerify?: boolean
  /** Sent as User-Agent; defaults to "petset". */
  userAgent?: string
  /** Replaces the HTTP transport (e.g. an in-process one); server/ca/TLS options are then unused. */
  transport?: Transport
}

/** Options every call accepts. */
export interface CallOptions {
  signal?: AbortSignal
}

/** Options of calls on one object. */
export interface ObjectOptions extends CallOptions {
  namespace?: string
  subresource?: string
}

/** Options of writes. */
export interface WriteOptions extends ObjectOptions {
  fieldManager?: string
  /** Server-side dry run (dryRun=All). */
  dryRun?: boolean
}

/** Options of list and deletecollection. */
export interface ListOptions extends CallOptions {
  /** Omit to list across all namespaces. */
  namespace?: string
  labelSelector?: string
  fieldSelector?: string
  limit?: number
  continue?: string
  resourceVersion?: string
  resourceVersionMatch?: 'Exact' | 'NotOlderThan'
}

/** Options of watch. */
export interface WatchOptions extends CallOptions {
  namespace?: string
  labelSelector?: string
  fieldSelector?: string
  resourceVersion?: string
  allowWatchBookmarks?: boolean
  /** The server ends the watch after this long (the stream then just ends). */
  timeoutSeconds?: number
}

/** The four patch encodings the API server accepts. */
export type PatchType = 'merge' | 'strategic' | 'json' | 'apply'

/** Content-Type of each patch type. */
export const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
}

/** Options of patch. */
export interface PatchOptions extends WriteOptions {
  type: PatchType
  /** The patch document: an object (merge, strategic, apply) or an operation list (json). */
  body: unknown
  /** Server-side apply only: take ownership of conflicting fields. */
  force?: boolean
}

/** Options of delete: target plus DeleteOptions sent as the body. */
export type DeleteCallOptions = ObjectOptions &
  Omit<DeleteOptions, 'kind' | 'apiVersion' | 'dryRun'> & { dryRun?: boolean }

/** Options of deletecollection. */
export type DeleteCollectionOptions = ListOptions &
  Omit<DeleteOptions, 'kind' | 'apiVersion' | 'dryRun'> & { dryRun?: boolean }

/** autoscaling/v1 Scale. */
export interface Scale extends KObject {
  spec: { replicas?: number }
  status?: { replicas: number; selector?: string }
}

/** A raw request; path is absolute ("/api/v1/..."). */
export interface RawRequest extends CallOptions {
  /** Holds the connection open (watch, logs -f): uses the transport's unbounded pool. */
  longRunning?: boolean
  method: string
  path: string
  query?: Query
  body?: unknown
  contentType?: string
  accept?: string
}

/** A raw response; body is parsed JSON when the server sent JSON, else text. */
export interface RawResponse<T = unknown> {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: T
}
