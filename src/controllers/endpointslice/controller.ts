/**
 * The EndpointSlice controller (upstream pkg/controller/endpointslice): for every Service with a
 * selector, EndpointSlices `<service>-<random>` listing the matching pods, at most 100 per
 * slice, updated in place. Wiring only: reconcile reads listers, plan.ts decides, SliceControl
 * writes, SliceTracker keeps a sync from acting on a cache that misses its own last writes.
 */
import type { Node, Service } from '../../api/core.js'
import { type EndpointSlice, LabelManagedBy, LabelServiceName } from '../../api/discovery.js'
import type { Pod } from '../../api/pod.js'
import type { Clock } from '../../client/clock.js'
import { EventRecorder } from '../../client/events.js'
import type { Informer } from '../../client/informer.js'
import type { InformerFactory } from '../../client/informer-factory.js'
import { type Logger, silentLogger } from '../../client/log.js'
import { ENDPOINT_SLICES, NODES, PODS, SERVICES } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { selectorFromSet } from '../../machinery/labels.js'
import { isConflict } from '../../machinery/status-error.js'
import { Controller, type ReconcileContext } from '../runtime/controller.js'
import {
  AnnotationLastChangeTriggerTime,
  hasSelector,
  servicesSelecting,
  servicesToUpdateOnPodChange,
} from '../runtime/endpoints/pod-endpoints.js'
import { formatTriggerTime, TriggerTimeTracker } from '../runtime/endpoints/trigger-time.js'
import { isNamespaceTerminating, RestSliceControl, type SliceControl } from '../runtime/endpointslices/slice-control.js'
import { type Observation, SliceTracker } from '../runtime/endpointslices/slice-tracker.js'
import type { Runnable } from '../runtime/manager.js'
import { done, type Result, requeueAfter } from '../runtime/result.js'
import { ControllerName } from './desired.js'
import { DefaultMaxEndpointsPerSlice, planEndpointSlices, type SlicePlan } from './plan.js'

/** Delay before syncing after someone else changed one of our slices (upstream endpointSliceChangeMinSyncDelay). */
const SliceChangeMinSyncDelayMs = 1000
/** Safety net when waiting for our own write to reach the cache (its event normally wakes us first). */
const StaleCacheRetryMs = 1000

/** Options of the EndpointSliceController. */
export interface EndpointSliceControllerOptions {
  client: RestClient
  informers: InformerFactory
  log?: Logger
  clock?: Clock
  /** Concurrent syncs (upstream --concurrent-service-endpoint-syncs). Default 5. */
  workers?: number
  /** Default 100 (upstream --max-endpoints-per-slice). */
  maxEndpointsPerSlice?: number
  /** Replaces the REST-backed writes (tests). */
  control?: SliceControl
}

/** The EndpointSlice controller, runnable by the Manager. */
export class EndpointSliceController implements Runnable {
  readonly name = 'endpointslice'
  private readonly controller: Controller
  private readonly services: Informer<Service>
  private readonly pods: Informer<Pod>
  private readonly nodes: Informer<Node>
  private readonly slices: Informer<EndpointSlice>
  private readonly control: SliceControl
  private readonly events: EventRecorder
  private readonly tracker = new SliceTracker()
  private readonly triggerTimes = new TriggerTimeTracker()
  private readonly maxEndpointsPerSlice: number

  constructor(opts: EndpointSliceControllerOptions) {
    const log = opts.log ?? silentLogger
    this.services = opts.informers.forResource<Service>(SERVICES)
    this.pods = opts.informers.forResource<Pod>(PODS)
    this.nodes = opts.informers.forResource<Node>(NODES)
    this.slices = opts.informers.forResource<EndpointSlice>(ENDPOINT_SLICES)
    this.control = opts.control ?? new RestSliceControl(opts.client)
    this.events = new EventRecorder(opts.client, { component: 'endpoint-slice-controller', clock: opts.clock, log })
    this.maxEndpointsPerSlice = opts.maxEndpointsPerSlice ?? DefaultMaxEndpointsPerSlice
    this.controller = new Controller({
      name: 'endpointslice',
      workers: opts.workers ?? 5,
      clock: opts.clock,
      log,
      reconcile: (key, ctx) => this.reconcile(key, ctx),
    })
    this.controller.for(this.services)
    this.watchPods()
    this.watchSlices()
    this.controller.waitsFor(this.pods).waitsFor(this.nodes).waitsFor(this.slices)
  }

  /** Runs until signal aborts. */
  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal)
  }

  private watchPods(): void {
    const enqueue = (keys: string[]) => {
      for (const k of keys) this.controller.enqueue(k)
    }
    const servicesIn = (ns: string | undefined) => this.services.lister.list({ namespace: ns ?? '' })
    this.pods.addEventHandler({
      onAdd: pod => enqueue(servicesSelecting(servicesIn(pod.metadata.namespace), pod.metadata.labels)),
      onUpdate: (old, cur) => enqueue(servicesToUpdateOnPodChange(servicesIn(cur.metadata.namespace), old, cur)),
      onDelete: pod => enqueue(servicesSelecting(servicesIn(pod.metadata.namespace), pod.metadata.labels)),
    })
  }

  /** Slice events wake their service only when they are not our own writes coming back. */
  private watchSlices(): void {
    const mine = (s: EndpointSlice) => s.metadata.labels?.[LabelManagedBy] === ControllerName
    const wake = (s: EndpointSlice, seen: Observation) => {
      const service = s.metadata.labels?.[LabelServiceName]
      if (!service || seen === 'own') return
      const key = `${s.metadata.namespace}/${service}`
      if (seen === 'caught-up') this.controller.enqueue(key)
      else this.controller.enqueueAfter(key, SliceChangeMinSyncDelayMs)
    }
    this.slices.addEventHandler({
      onAdd: s => mine(s) && wake(s, this.tracker.observe(s)),
      onUpdate: (old, cur) => {
        if (old.metadata.labels?.[LabelServiceName] !== cur.metadata.labels?.[LabelServiceName]) {
          wake(old, 'foreign')
          wake(cur, 'foreign')
        } else if (mine(old) !== mine(cur)) wake(cur, 'foreign')
        else if (mine(cur)) wake(cur, this.tracker.observe(cur))
      },
      onDelete: s => mine(s) && wake(s, this.tracker.observeDeletion(s)),
    })
  }

  /** syncService: brings one service's slices in line with its pods. */
  async reconcile(key: string, ctx: ReconcileContext): Promise<Result> {
    const svc = this.services.lister.get(key)
    if (!svc) {
      // Deleted: the garbage collector removes the slices through their owner references.
      const [namespace, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)]
      this.triggerTimes.deleteService(namespace, name)
      this.tracker.forgetService(key)
      return done
    }
    if (svc.spec?.type === 'ExternalName' || !hasSelector(svc)) return done
    const namespace = svc.metadata.namespace ?? ''
    const pods = this.pods.lister.list({ namespace, selector: selectorFromSet(svc.spec.selector) })
    const existing = this.slices.lister.list({
      namespace,
      selector: selectorFromSet({ [LabelServiceName]: svc.metadata.name ?? '', [LabelManagedBy]: ControllerName }),
      filter: s => !s.metadata.deletionTimestamp,
    })
    if (this.tracker.isStale(key, existing)) {
      ctx.log.debug('EndpointSlice informer cache is out of date; waiting for it')
      return requeueAfter(StaleCacheRetryMs)
    }
    const triggerTime = this.triggerTimes.compute(svc, pods)
    const plan = planEndpointSlices({
      service: svc,
      pods,
      existing,
      getNode: name => this.nodes.lister.get(name),
      maxEndpointsPerSlice: this.maxEndpointsPerSlice,
      controllerName: ControllerName,
    })
    try {
      await this.finalize(key, svc, plan, existing, triggerTime, ctx)
    } catch (err) {
      if (!isConflict(err)) {
        const message = `Error updating Endpoint Slices for Service ${key}: ${err instanceof Error ? err.message : err}`
        this.events.event(svc, { type: 'Warning', reason: 'FailedToUpdateEndpointSlices', message })
      }
      throw err
    }
    if (plan.podsOnMissingNodes.length)
      throw new Error(`skipping Pods ${plan.podsOnMissingNodes.join(', ')} for Service ${key}: Node Not Found`)
    return done
  }

  /** finalize: creates, then updates, then deletes, recording each write in the tracker. */
  private async finalize(
    key: string,
    svc: Service,
    plan: SlicePlan,
    existing: readonly EndpointSlice[],
    triggerTime: number | undefined,
    ctx: ReconcileContext,
  ): Promise<void> {
    const changes = plan.create.length + plan.update.length + plan.delete.length
    if (changes)
      ctx.log.debug(
        { create: plan.create.length, update: plan.update.length, delete: plan.delete.length },
        'Writing endpoint slices',
      )
    // No creates for a Service being deleted: the garbage collector would race them.
    if (!svc.metadata.deletionTimestamp) {
      for (const slice of plan.create) {
        try {
          this.tracker.created(key, await this.control.create(withTriggerTime(slice, triggerTime)))
        } catch (err) {
          if (isNamespaceTerminating(err)) return
          throw err
        }
      }
    }
    const byName = new Map(existing.map(s => [s.metadata.name, s]))
    for (const slice of plan.update) {
      const result = await this.control.update(withTriggerTime(slice, triggerTime))
      const basedOn = byName.get(slice.metadata.name)
      if (basedOn) this.tracker.updated(key, basedOn, result)
    }
    for (const slice of plan.delete) {
      await this.control.delete(slice)
      this.tracker.deleted(key, slice)
    }
  }
}

/** addTriggerTimeAnnotation on a copy: set when there is a trigger time, removed otherwise. */
function withTriggerTime(slice: EndpointSlice, triggerTime: number | undefined): EndpointSlice {
  const annotations = { ...(slice.metadata.annotations ?? {}) }
  if (triggerTime !== undefined) annotations[AnnotationLastChangeTriggerTime] = formatTriggerTime(triggerTime)
  else delete annotations[AnnotationLastChangeTriggerTime]
  return { ...slice, metadata: { ...slice.metadata, annotations } }
}
