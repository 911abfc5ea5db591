/**
 * The namespace controller (upstream pkg/controller/namespace): when a Namespace has a
 * deletionTimestamp and still carries the "kubernetes" finalizer, it deletes all content,
 * keeps the deletion conditions current, and once nothing remains finalizes the namespace
 * (PUT /api/v1/namespaces/<ns>/finalize without "kubernetes"), after which the API server
 * removes it. Remaining content means "look again soon"; failures retry with backoff capped at
 * 60 s (upstream's namespace limiter), so a namespace is never abandoned in Terminating.
 */
import { FinalizerKubernetes, type Namespace } from '../../api/core.js'
import { type Clock, realClock } from '../../client/clock.js'
import type { Informer } from '../../client/informer.js'
import type { InformerFactory } from '../../client/informer-factory.js'
import { type Logger, silentLogger } from '../../client/log.js'
import { ItemExponentialRateLimiter } from '../../client/ratelimit.js'
import { NAMESPACES } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { ignoreNotFound, withRetryOnConflict } from '../../client/retry.js'
import { Controller, type ReconcileContext } from '../runtime/controller.js'
import type { Runnable } from '../runtime/manager.js'
import { done, type Result, requeueAfter } from '../runtime/result.js'
import { type DeletionReport, failureConditions, isClean, mergeConditions } from './conditions.js'
import { type ContentDeleter, RestContentDeleter } from './deleter.js'

/** Options of the NamespaceController. */
export interface NamespaceControllerOptions {
  client: RestClient
  informers: InformerFactory
  log?: Logger
  clock?: Clock
  /** Namespaces processed at once. Default 10 (upstream --concurrent-namespace-syncs). */
  workers?: number
  /** Pause before checking again while content remains. Default 1000 ms. */
  recheckAfterMs?: number
  /** See RestContentDeleterOptions.forceDeleteTerminatingPods. Default true. */
  forceDeleteTerminatingPods?: boolean
  /** Replaces the REST content deleter (tests). */
  deleter?: ContentDeleter
}

/** Empties and finalizes terminating namespaces. */
export class NamespaceController implements Runnable {
  readonly name = 'namespace'
  private readonly controller: Controller
  private readonly namespaces: Informer<Namespace>
  private readonly deleter: ContentDeleter
  private readonly clock: Clock

  constructor(private readonly opts: NamespaceControllerOptions) {
    const log = opts.log ?? silentLogger
    this.clock = opts.clock ?? realClock
    this.namespaces = opts.informers.forResource<Namespace>(NAMESPACES)
    this.deleter =
      opts.deleter ??
      new RestContentDeleter({ client: opts.client, forceDeleteTerminatingPods: opts.forceDeleteTerminatingPods, log })
    this.controller = new Controller({
      name: 'namespace',
      workers: opts.workers ?? 10,
      log,
      clock: opts.clock,
      rateLimiter: new ItemExponentialRateLimiter<string>(5, 60_000),
      reconcile: (key, ctx) => this.reconcile(key, ctx),
    })
    this.controller.watches(this.namespaces, ns => (ns.metadata.deletionTimestamp ? [ns.metadata.name!] : []))
  }

  /** Runs until signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    this.opts.informers.start(signal)
    await this.controller.run(signal)
  }

  /** One pass over a namespace: delete content, update conditions, finalize when empty. */
  private async reconcile(name: string, ctx: ReconcileContext): Promise<Result> {
    const cached = this.namespaces.lister.get(name)
    if (!cached?.metadata.deletionTimestamp) return done
    // The cache may lag: act on the live object (upstream re-reads it too).
    const ns = await ignoreNotFound(this.opts.client.get<Namespace>(NAMESPACES, name, { signal: ctx.signal }))
    if (!ns?.metadata.deletionTimestamp) return done
    if (!(ns.spec?.finalizers ?? []).includes(FinalizerKubernetes)) return done
    if (ns.status?.phase !== 'Terminating') await this.updateStatus(name, undefined)

    const report = await this.deleter.deleteAllContent(name, ctx.signal)
    await this.updateStatus(name, report)
    if (report.discoveryFailures.length || report.deleteFailures.length) {
      throw new Error(
        `deletion of namespace ${name} is incomplete: ${[...report.discoveryFailures, ...report.deleteFailures].join('; ')}`,
      )
    }
    if (!isClean(report)) {
      ctx.log.debug(
        { remaining: Object.fromEntries(report.remaining) },
        'Content remains in namespace; checking again later',
      )
      return requeueAfter(this.opts.recheckAfterMs ?? 1000)
    }
    await this.finalize(name, ctx)
    return done
  }

  /** Sets phase Terminating and, given a report, the deletion conditions; skips no-op writes. */
  private async updateStatus(name: string, report: DeletionReport | undefined): Promise<void> {
    await withRetryOnConflict(async () => {
      const ns = await ignoreNotFound(this.opts.client.get<Namespace>(NAMESPACES, name))
      if (!ns) return
      const now = new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z')
      const next = structuredClone(ns)
      next.status ??= {}
      let changed = next.status.phase !== 'Terminating'
      next.status.phase = 'Terminating'
      if (report) {
        const merged = mergeConditions(ns.status?.conditions, failureConditions(report, now), now)
        next.status.conditions = merged.conditions
        changed ||= merged.changed
      }
      if (changed) await ignoreNotFound(this.opts.client.updateStatus(NAMESPACES, next))
    })
  }

  /** PUT /finalize without the "kubernetes" finalizer; the server then deletes the namespace. */
  private async finalize(name: string, ctx: ReconcileContext): Promise<void> {
    await withRetryOnConflict(async () => {
      const ns = await ignoreNotFound(this.opts.client.get<Namespace>(NAMESPACES, name))
      if (!ns) return
      const next = structuredClone(ns)
      next.spec = { ...next.spec, finalizers: (next.spec?.finalizers ?? []).filter(f => f !== FinalizerKubernetes) }
      await ignoreNotFound(this.opts.client.update(NAMESPACES, next, { subresource: 'finalize' }))
    })
    ctx.log.info({ namespace: name }, 'Namespace content deleted; finalized')
  }
}
