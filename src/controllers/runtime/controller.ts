/**
 * Controller: informers → handlers → work queue → reconcile, shared by every controller (C7).
 * run() waits for every watched cache to sync before any worker starts, runs N workers that never
 * see the same key at once, and applies the Result contract of result.ts. Each attempt logs
 * through a child logger carrying the key and a fresh reconcileID.
 */
import { randomUUID } from 'node:crypto'
import type { KObject } from '../../api/meta.js'
import type { Clock } from '../../client/clock.js'
import type { EventHandler } from '../../client/informer.js'
import { type Logger, silentLogger } from '../../client/log.js'
import type { RateLimiter } from '../../client/ratelimit.js'
import { WorkQueue } from '../../client/workqueue.js'
import { isConflict } from '../../machinery/status-error.js'
import { controllerOwnerKey, enqueueHandler, type MapFunc, type OwnerKind, ownKey } from './handlers.js'
import { isTerminalError, type Result } from './result.js'

/** What an informer must offer a controller (Informer satisfies it). */
export interface Source<T extends KObject = KObject> {
  addEventHandler(handler: EventHandler<T>): { remove(): void }
  hasSynced(): boolean
  waitForSync(signal?: AbortSignal): Promise<boolean>
}

/** Per-attempt context handed to reconcile. */
export interface ReconcileContext {
  /** Child logger with controller, key and reconcileID. */
  log: Logger
  /** Aborts when the controller stops. */
  signal: AbortSignal
  reconcileID: string
}

/** Brings the object named by key to its desired state. Throw to retry; see result.ts. */
export type ReconcileFunc = (key: string, ctx: ReconcileContext) => Promise<Result>

/** Options of a Controller. */
export interface ControllerOptions {
  /** Short name for logs: "statefulset". */
  name: string
  reconcile: ReconcileFunc
  /** Concurrent workers. Default 5 (kube-controller-manager's usual --concurrent-*-syncs). */
  workers?: number
  rateLimiter?: RateLimiter<string>
  clock?: Clock
  log?: Logger
}

/** One controller: its sources, its queue and its workers. */
export class Controller {
  /** The controller's queue (exposed so wiring code and tests can enqueue directly). */
  readonly queue: WorkQueue<string>
  readonly name: string
  private readonly sources: Source<any>[] = []
  private readonly log: Logger
  private readonly reconcileFn: ReconcileFunc
  private readonly workers: number

  constructor(opts: ControllerOptions) {
    this.name = opts.name
    this.reconcileFn = opts.reconcile
    this.workers = opts.workers ?? 5
    this.queue = new WorkQueue<string>({ rateLimiter: opts.rateLimiter, clock: opts.clock })
    this.log = (opts.log ?? silentLogger).child({ controller: opts.name })
  }

  /** Reconciles the objects of this source under their own keys. */
  for<T extends KObject>(source: Source<T>): this {
    return this.watches(source, ownKey)
  }

  /** Reconciles the controller owner (of the given kind) when an owned object changes. */
  owns<T extends KObject>(source: Source<T>, owner: OwnerKind): this {
    return this.watches(source, controllerOwnerKey(owner))
  }

  /** Reconciles the keys map(obj) returns whenever an object of this source changes. */
  watches<T extends KObject>(source: Source<T>, map: MapFunc<T>): this {
    source.addEventHandler(enqueueHandler(map, key => this.queue.add(key)))
    return this.waitsFor(source)
  }

  /** Waits for this source's cache before starting, without handling its events. */
  waitsFor(source: Source<any>): this {
    if (!this.sources.includes(source)) this.sources.push(source)
    return this
  }

  /** Queues key for reconciliation. */
  enqueue(key: string): void {
    this.queue.add(key)
  }

  /** Queues key after ms. */
  enqueueAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms)
  }

  /** Waits for caches, runs workers until signal aborts, then drains in-flight work and resolves. */
  async run(signal: AbortSignal): Promise<void> {
    this.log.info({ workers: this.workers }, 'Starting controller')
    const synced = await Promise.all(this.sources.map(s => s.waitForSync(signal)))
    if (!synced.every(Boolean)) {
      this.queue.shutdown()
      this.log.info('Stopping controller before caches synced')
      return
    }
    this.log.info('Caches synced; starting workers')
    const stop = () => this.queue.shutdown()
    signal.addEventListener('abort', stop, { once: true })
    await Promise.all(Array.from({ length: this.workers }, () => this.worker(signal)))
    signal.removeEventListener('abort', stop)
    this.log.info('Stopping controller')
  }

  private async worker(signal: AbortSignal): Promise<void> {
    for (;;) {
      const key = await this.queue.get()
      if (key === undefined) return
      // The queue still hands out keys after shutdown (client-go drains); a stopping controller does not.
      if (signal.aborted) {
        this.queue.done(key)
        return
      }
      try {
        await this.processOne(key, signal)
      } finally {
        this.queue.done(key)
      }
    }
  }

  /** One reconcile attempt and the queue bookkeeping its outcome calls for. */
  private async processOne(key: string, signal: AbortSignal): Promise<void> {
    const reconcileID = randomUUID()
    const log = this.log.child({ key, reconcileID })
    try {
      const result = await this.reconcileFn(key, { log, signal, reconcileID })
      this.queue.forget(key)
      if (result.requeueAfter && result.requeueAfter > 0) this.queue.addAfter(key, result.requeueAfter)
    } catch (err) {
      if (signal.aborted) return
      if (isTerminalError(err)) {
        log.error({ err }, 'Reconciler error is terminal; not retrying')
        this.queue.forget(key)
        return
      }
      // Conflicts are routine (a stale cache): retry quietly.
      if (isConflict(err)) log.debug({ err }, 'Reconcile hit a conflict; retrying')
      else log.error({ err }, 'Reconciler error; retrying with backoff')
      this.queue.addRateLimited(key)
    }
  }
}
