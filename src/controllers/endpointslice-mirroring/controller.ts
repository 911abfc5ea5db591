/**
 * The EndpointSlice mirroring controller (upstream pkg/controller/endpointslicemirroring): for
 * every custom Endpoints object whose Service exists and has no selector, EndpointSlices that
 * mirror it (managed-by endpointslicemirroring-controller.k8s.io, owned by the Endpoints).
 * Endpoints labelled `endpointslice.kubernetes.io/skip-mirror: "true"` (the apiserver's own
 * `kubernetes`) and leader-election locks are skipped. Keys are the Endpoints' namespace/name.
 */
import type { Endpoints, Service } from '../../api/core.js'
import { type EndpointSlice, LabelManagedBy, LabelServiceName } from '../../api/discovery.js'
import type { Clock } from '../../client/clock.js'
import { EventRecorder } from '../../client/events.js'
import type { Informer } from '../../client/informer.js'
import type { InformerFactory } from '../../client/informer-factory.js'
import { type Logger, silentLogger } from '../../client/log.js'
import { ENDPOINT_SLICES, ENDPOINTS, SERVICES } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { selectorFromSet } from '../../machinery/labels.js'
import { Controller, type ReconcileContext } from '../runtime/controller.js'
import { isNamespaceTerminating, RestSliceControl, type SliceControl } from '../runtime/endpointslices/slice-control.js'
import { type Observation, SliceTracker } from '../runtime/endpointslices/slice-tracker.js'
import type { Runnable } from '../runtime/manager.js'
import { done, type Result, requeueAfter } from '../runtime/result.js'
import { DefaultMaxEndpointsPerSubset, MirroringControllerName, type MirrorPlan, planMirroredSlices } from './plan.js'

/** Endpoints with this label set to "true" are never mirrored (discovery.LabelSkipMirror). */
export const LabelSkipMirror = 'endpointslice.kubernetes.io/skip-mirror'
const LeaderElectionAnnotation = 'control-plane.alpha.kubernetes.io/leader'
/** Safety net when waiting for our own write to reach the cache (its event normally wakes us first). */
const StaleCacheRetryMs = 1000

/** Options of the EndpointSliceMirroringController. */
export interface EndpointSliceMirroringControllerOptions {
  client: RestClient
  informers: InformerFactory
  log?: Logger
  clock?: Clock
  /** Concurrent syncs (upstream --mirroring-concurrent-service-endpoint-syncs). Default 5. */
  workers?: number
  /** Default 1000 (upstream --mirroring-max-endpoints-per-subset). */
  maxEndpointsPerSubset?: number
  /** Replaces the REST-backed writes (tests). */
  control?: SliceControl
}

/** shouldMirror: not skip-mirror, not a leader-election lock. */
export function shouldMirror(ep: Endpoints | undefined): ep is Endpoints {
  if (!ep) return false
  if (ep.metadata.labels?.[LabelSkipMirror] === 'true') return false
  return ep.metadata.annotations?.[LeaderElectionAnnotation] === undefined
}

const hasSelector = (svc: Service) => Object.keys(svc.spec?.selector ?? {}).length > 0

/** The mirroring controller, runnable by the Manager. */
export class EndpointSliceMirroringController implements Runnable {
  readonly name = 'endpointslice-mirroring'
  private readonly controller: Controller
  private readonly services: Informer<Service>
  private readonly endpoints: Informer<Endpoints>
  private readonly slices: Informer<EndpointSlice>
  private readonly control: SliceControl
  private readonly events: EventRecorder
  private readonly tracker = new SliceTracker()
  private readonly maxPerSubset: number

  constructor(opts: EndpointSliceMirroringControllerOptions) {
    const log = opts.log ?? silentLogger
    this.services = opts.informers.forResource<Service>(SERVICES)
    this.endpoints = opts.informers.forResource<Endpoints>(ENDPOINTS)
    this.slices = opts.informers.forResource<EndpointSlice>(ENDPOINT_SLICES)
    this.control = opts.control ?? new RestSliceControl(opts.client)
    this.events = new EventRecorder(opts.client, {
      component: 'endpointslicemirroring-controller',
      clock: opts.clock,
      log,
    })
    this.maxPerSubset = opts.maxEndpointsPerSubset ?? DefaultMaxEndpointsPerSubset
    this.controller = new Controller({
      name: 'endpointslice-mirroring',
      workers: opts.workers ?? 5,
      clock: opts.clock,
      log,
      reconcile: (key, ctx) => this.reconcile(key, ctx),
    })
    this.watch()
    this.controller.waitsFor(this.services).waitsFor(this.endpoints).waitsFor(this.slices)
  }

  /** Runs until signal aborts. */
  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal)
  }

  private watch(): void {
    const enqueue = (o: { metadata: { namespace?: string; name?: string } }) =>
      this.controller.enqueue(`${o.metadata.namespace}/${o.metadata.name}`)
    this.services.addEventHandler({
      onAdd: svc => !hasSelector(svc) && enqueue(svc),
      onUpdate: (old, cur) => hasSelector(old) !== hasSelector(cur) && enqueue(cur),
      onDelete: svc => !hasSelector(svc) && enqueue(svc),
    })
    this.endpoints.addEventHandler({
      onAdd: ep => shouldMirror(ep) && enqueue(ep),
      onUpdate: (old, cur) => (shouldMirror(old) || shouldMirror(cur)) && enqueue(cur),
      onDelete: ep => shouldMirror(ep) && enqueue(ep),
    })
    const mine = (s: EndpointSlice) => s.metadata.labels?.[LabelManagedBy] === MirroringControllerName
    const wake = (s: EndpointSlice, seen: Observation) => {
      const name = s.metadata.labels?.[LabelServiceName]
      if (name && seen !== 'own') this.controller.enqueue(`${s.metadata.namespace}/${name}`)
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

  /** syncEndpoints: mirror one Endpoints object, or remove its mirrors. */
  async reconcile(key: string, ctx: ReconcileContext): Promise<Result> {
    const [namespace, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)]
    const endpoints = this.endpoints.lister.get(key)
    const svc = this.services.lister.get(key)
    const mirrored = this.slices.lister.list({
      namespace,
      selector: selectorFromSet({ [LabelServiceName]: name, [LabelManagedBy]: MirroringControllerName }),
    })
    // No Endpoints, not mirrorable, no Service, or a selector (the EndpointSlice controller's job).
    if (!shouldMirror(endpoints) || !svc || hasSelector(svc)) {
      this.tracker.forgetService(key)
      for (const slice of mirrored) await this.control.delete(slice)
      return done
    }
    if (this.tracker.isStale(key, mirrored)) {
      ctx.log.debug('EndpointSlice informer cache is out of date; waiting for it')
      return requeueAfter(StaleCacheRetryMs)
    }
    const plan = planMirroredSlices(endpoints, mirrored, this.maxPerSubset)
    this.reportSkipped(endpoints, plan)
    await this.finalize(key, endpoints, plan, mirrored)
    return done
  }

  private reportSkipped(endpoints: Endpoints, plan: MirrorPlan): void {
    if (plan.invalidAddresses > 0)
      this.events.event(endpoints, {
        type: 'Warning',
        reason: 'InvalidIPAddress',
        message: `Skipped ${plan.invalidAddresses} invalid IP addresses when mirroring to EndpointSlices`,
      })
    if (plan.skippedAddresses > plan.invalidAddresses)
      this.events.event(endpoints, {
        type: 'Warning',
        reason: 'TooManyAddressesToMirror',
        message: `A max of ${this.maxPerSubset} addresses can be mirrored to EndpointSlices per Endpoints subset. ${plan.skippedAddresses} addresses were skipped`,
      })
  }

  /** finalize: creates (not while the Endpoints is being deleted), updates, deletes. */
  private async finalize(
    key: string,
    endpoints: Endpoints,
    plan: MirrorPlan,
    existing: readonly EndpointSlice[],
  ): Promise<void> {
    if (!endpoints.metadata.deletionTimestamp) {
      for (const slice of plan.create) {
        try {
          this.tracker.created(key, await this.control.create(slice))
        } catch (err) {
          if (isNamespaceTerminating(err)) return
          throw err
        }
      }
    }
    const byName = new Map(existing.map(s => [s.metadata.name, s]))
    for (const slice of plan.update) {
      const basedOn = byName.get(slice.metadata.name)
      const result = await this.control.update(slice)
      if (basedOn) this.tracker.updated(key, basedOn, result)
    }
    for (const slice of plan.delete) {
      await this.control.delete(slice)
      this.tracker.deleted(key, slice)
    }
  }
}
