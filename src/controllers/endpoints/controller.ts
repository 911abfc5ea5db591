/**
 * The Endpoints controller (upstream pkg/controller/endpoint): for every Service with a
 * selector, an Endpoints object of the same name listing the pods the selector matches.
 * Wiring only: pods and services map to service keys, reconcile reads listers, plan.ts decides,
 * EndpointsControl writes. A pod burst for one service collapses into few syncs through the
 * work queue's deduplication.
 */
import type { Endpoints, Service } from '../../api/core.js'
import type { Pod } from '../../api/pod.js'
import type { Clock } from '../../client/clock.js'
import { EventRecorder } from '../../client/events.js'
import type { Informer } from '../../client/informer.js'
import type { InformerFactory } from '../../client/informer-factory.js'
import { type Logger, silentLogger } from '../../client/log.js'
import { ENDPOINTS, PODS, SERVICES } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { selectorFromSet } from '../../machinery/labels.js'
import { isAlreadyExists, isConflict, isForbidden, isNotFound, reasonOf } from '../../machinery/status-error.js'
import { Controller, type ReconcileContext } from '../runtime/controller.js'
import { hasSelector, servicesSelecting, servicesToUpdateOnPodChange } from '../runtime/endpoints/pod-endpoints.js'
import { TriggerTimeTracker } from '../runtime/endpoints/trigger-time.js'
import type { Runnable } from '../runtime/manager.js'
import { done, type Result, requeueAfter } from '../runtime/result.js'
import { type EndpointsControl, RestEndpointsControl, WrittenEndpoints } from './endpoints-control.js'
import { planEndpoints } from './plan.js'

/** Endpoints carrying this annotation are leader-election locks, never cleaned up. */
const LeaderElectionAnnotation = 'control-plane.alpha.kubernetes.io/leader'
/** How long to wait for the cache when the server knows an object the cache does not yet. */
const CacheLagRetryMs = 50

/** Options of the EndpointsController. */
export interface EndpointsControllerOptions {
  client: RestClient
  informers: InformerFactory
  log?: Logger
  clock?: Clock
  /** Concurrent syncs (upstream --concurrent-endpoint-syncs). Default 5. */
  workers?: number
  /** Replaces the REST-backed writes (tests). */
  control?: EndpointsControl
}

/** The Endpoints controller, runnable by the Manager. */
export class EndpointsController implements Runnable {
  readonly name = 'endpoints'
  private readonly controller: Controller
  private readonly services: Informer<Service>
  private readonly pods: Informer<Pod>
  private readonly endpoints: Informer<Endpoints>
  private readonly control: EndpointsControl
  private readonly events: EventRecorder
  private readonly triggerTimes = new TriggerTimeTracker()
  private readonly written = new WrittenEndpoints()

  constructor(opts: EndpointsControllerOptions) {
    const log = opts.log ?? silentLogger
    this.services = opts.informers.forResource<Service>(SERVICES)
    this.pods = opts.informers.forResource<Pod>(PODS)
    this.endpoints = opts.informers.forResource<Endpoints>(ENDPOINTS)
    this.control = opts.control ?? new RestEndpointsControl(opts.client)
    this.events = new EventRecorder(opts.client, { component: 'endpoint-controller', clock: opts.clock, log })
    this.controller = new Controller({
      name: 'endpoints',
      workers: opts.workers ?? 5,
      clock: opts.clock,
      log,
      reconcile: (key, ctx) => this.reconcile(key, ctx),
    })
    this.controller.for(this.services)
    const enqueue = (keys: string[]) => {
      for (const k of keys) this.controller.enqueue(k)
    }
    const servicesIn = (ns: string | undefined) => this.services.lister.list({ namespace: ns ?? '' })
    this.pods.addEventHandler({
      onAdd: pod => enqueue(servicesSelecting(servicesIn(pod.metadata.namespace), pod.metadata.labels)),
      onUpdate: (old, cur) => enqueue(servicesToUpdateOnPodChange(servicesIn(cur.metadata.namespace), old, cur)),
      onDelete: pod => enqueue(servicesSelecting(servicesIn(pod.metadata.namespace), pod.metadata.labels)),
    })
    // Only deletions of Endpoints matter (someone removed ours); our own writes do not wake us.
    this.endpoints.addEventHandler({ onDelete: ep => this.controller.enqueue(keyOf(ep)) })
    this.controller.waitsFor(this.pods).waitsFor(this.endpoints)
  }

  /** Runs until signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const leftovers = this.endpoints.waitForSync(signal).then(synced => {
      if (synced) this.checkLeftoverEndpoints()
    })
    await Promise.all([this.controller.run(signal), leftovers])
  }

  /**
   * Queues every existing Endpoints once at start, so that Endpoints whose Service was deleted
   * while no controller ran are found and removed (upstream checkLeftoverEndpoints).
   */
  private checkLeftoverEndpoints(): void {
    for (const ep of this.endpoints.lister.list()) {
      if (ep.metadata.annotations?.[LeaderElectionAnnotation] !== undefined) continue
      this.controller.enqueue(keyOf(ep))
    }
  }

  /** syncService: brings one service's Endpoints in line with its pods. */
  async reconcile(key: string, ctx: ReconcileContext): Promise<Result> {
    const [namespace, name] = splitKey(key)
    const svc = this.services.lister.get(key)
    if (!svc) {
      // The Service is gone: so are its Endpoints (upstream deletes whatever carries the name).
      await this.control.delete(namespace, name)
      this.triggerTimes.deleteService(namespace, name)
      this.written.forget(key)
      return done
    }
    // ExternalName and selector-less services get no endpoints from this controller; the
    // latter's Endpoints are written by users (or the apiserver, for `kubernetes`).
    if (svc.spec?.type === 'ExternalName' || !hasSelector(svc)) return done
    const pods = this.pods.lister.list({ namespace, selector: selectorFromSet(svc.spec.selector) })
    // Computed before the no-op check so the tracker's state advances on every sync (upstream).
    const triggerTime = this.triggerTimes.compute(svc, pods)
    const current = this.written.current(key, this.endpoints.lister.get(key))
    const plan = planEndpoints(svc, pods, current, triggerTime)
    if (!plan.action || !plan.endpoints) {
      ctx.log.trace('Endpoints are up to date')
      return done
    }
    ctx.log.debug({ ready: plan.ready, notReady: plan.notReady, action: plan.action }, 'Writing endpoints')
    try {
      const result =
        plan.action === 'create' ? await this.control.create(plan.endpoints) : await this.control.update(plan.endpoints)
      this.written.wrote(key, current, result)
      return done
    } catch (err) {
      return this.handleWriteError(key, plan.action, plan.endpoints, err)
    }
  }

  /** Classifies a failed write: cache lag waits, a terminating namespace ends, the rest retries. */
  private handleWriteError(key: string, action: 'create' | 'update', ep: Endpoints, err: unknown): Result {
    if ((action === 'create' && isAlreadyExists(err)) || (action === 'update' && isNotFound(err))) {
      // Our view was wrong (someone created or deleted it meanwhile): forget it, look again.
      this.written.forget(key)
      return requeueAfter(CacheLagRetryMs)
    }
    if (action === 'create' && isForbidden(err) && hasNamespaceTerminatingCause(err)) return done
    if (isConflict(err)) this.written.forget(key)
    else {
      const [namespace, name] = splitKey(key)
      const message =
        action === 'create'
          ? `Failed to create endpoint for service ${namespace}/${name}: ${errorMessage(err)}`
          : `Failed to update endpoint ${namespace}/${name}: ${errorMessage(err)}`
      const reason = action === 'create' ? 'FailedToCreateEndpoint' : 'FailedToUpdateEndpoint'
      this.events.event(ep, { type: 'Warning', reason, message })
    }
    throw err
  }
}

function keyOf(obj: { metadata: { namespace?: string; name?: string } }): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/')
  return [key.slice(0, i), key.slice(i + 1)]
}

function hasNamespaceTerminatingCause(err: unknown): boolean {
  const causes = (err as { status?: { details?: { causes?: { reason?: string }[] } } }).status?.details?.causes
  return reasonOf(err) !== undefined && (causes ?? []).some(c => c.reason === 'NamespaceTerminating')
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
