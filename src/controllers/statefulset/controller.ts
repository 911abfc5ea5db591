/**
 * The StatefulSet controller's wiring (upstream stateful_set.go): informers for StatefulSets, Pods,
 * PersistentVolumeClaims and ControllerRevisions; pod events mapped to the owning set (or, for
 * orphans, to every set whose selector matches); a reconcile that reads listers only and hands the
 * snapshot to syncStatefulSet. PVC and revision changes wake nothing, as upstream.
 */
import type { ControllerRevision, StatefulSet } from '../../api/apps.js'
import type { PersistentVolumeClaim } from '../../api/core.js'
import { parseApiVersion } from '../../api/meta.js'
import type { Pod } from '../../api/pod.js'
import { keyOf, splitKey } from '../../client/cache.js'
import { type Clock, realClock } from '../../client/clock.js'
import { EventRecorder } from '../../client/events.js'
import type { Informer } from '../../client/informer.js'
import type { InformerFactory } from '../../client/informer-factory.js'
import { type Logger, silentLogger } from '../../client/log.js'
import { CONTROLLER_REVISIONS, PERSISTENT_VOLUME_CLAIMS, PODS, STATEFUL_SETS } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { type Selector, selectorFromLabelSelector } from '../../machinery/labels.js'
import { getControllerOf } from '../../machinery/objects.js'
import { Controller, type ReconcileContext } from '../runtime/controller.js'
import type { Runnable } from '../runtime/manager.js'
import { done, type Result, requeueAfter, TerminalError } from '../runtime/result.js'
import { isOwnedOrOrphan } from './ownership.js'
import { RestStatefulPodControl, type StatefulPodControl } from './pod-control.js'
import { isPodReady } from './pods.js'
import { syncStatefulSet } from './sync.js'

/** Options of the StatefulSetController. */
export interface StatefulSetControllerOptions {
  client: RestClient
  informers: InformerFactory
  log?: Logger
  clock?: Clock
  /** Sets synced at once. Default 5 (kube-controller-manager's --concurrent-statefulset-syncs). */
  workers?: number
  /** Replaces the REST writer (tests). */
  control?: StatefulPodControl
}

/** Runs StatefulSets: pods in order, claims, revisions, rolling updates, status. */
export class StatefulSetController implements Runnable {
  readonly name = 'statefulset'
  private readonly controller: Controller
  private readonly sets: Informer<StatefulSet>
  private readonly pods: Informer<Pod>
  private readonly claims: Informer<PersistentVolumeClaim>
  private readonly revisions: Informer<ControllerRevision>
  private readonly control: StatefulPodControl
  private readonly clock: Clock
  /** Parsed selectors per cached set object (cached objects are replaced, never changed). */
  private readonly selectors = new WeakMap<StatefulSet, Selector | null>()

  constructor(private readonly opts: StatefulSetControllerOptions) {
    const log = opts.log ?? silentLogger
    this.clock = opts.clock ?? realClock
    this.sets = opts.informers.forResource<StatefulSet>(STATEFUL_SETS)
    this.pods = opts.informers.forResource<Pod>(PODS)
    this.claims = opts.informers.forResource<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS)
    this.revisions = opts.informers.forResource<ControllerRevision>(CONTROLLER_REVISIONS)
    this.control =
      opts.control ??
      new RestStatefulPodControl({
        client: opts.client,
        recorder: new EventRecorder(opts.client, { component: 'statefulset-controller', clock: opts.clock, log }),
      })
    this.controller = new Controller({
      name: 'statefulset',
      workers: opts.workers ?? 5,
      log,
      clock: opts.clock,
      reconcile: (key, ctx) => this.reconcile(key, ctx),
    })
    this.controller.for(this.sets)
    this.controller.watches(this.pods, pod => this.setKeysForPod(pod))
    this.pods.addEventHandler({ onUpdate: (old, cur) => this.requeueWhenAvailable(old, cur) })
    this.controller.waitsFor(this.claims).waitsFor(this.revisions)
  }

  /** Runs until signal aborts (starts the informers if no Manager did). */
  async run(signal: AbortSignal): Promise<void> {
    this.opts.informers.start(signal)
    await this.controller.run(signal)
  }

  /** One sync of the set named by key, from the caches. */
  private async reconcile(key: string, ctx: ReconcileContext): Promise<Result> {
    const set = this.sets.lister.get(key)
    if (!set) return done // deleted: the garbage collector removes what it owned
    const selector = this.selectorOf(set)
    if (!selector) throw new TerminalError(`StatefulSet ${key} has an invalid selector`)
    const namespace = splitKey(key).namespace ?? ''
    const result = await syncStatefulSet(
      {
        set,
        pods: this.pods.lister.list({ namespace, filter: pod => isOwnedOrOrphan(pod, set) }),
        revisions: this.revisions.lister.list({ namespace, selector }),
        claims: { get: name => this.claims.lister.get({ namespace, name }) },
        now: this.clock.now(),
      },
      this.control,
      ctx.log,
    )
    return result.requeueAfterMs ? requeueAfter(result.requeueAfterMs) : done
  }

  /**
   * The sets a pod event concerns: its controller when that is a StatefulSet of the same UID, or,
   * for an orphan, every set in its namespace whose selector matches (one of them may adopt it).
   */
  private setKeysForPod(pod: Pod): string[] {
    const namespace = pod.metadata.namespace ?? ''
    const ref = getControllerOf(pod)
    if (ref) {
      if (ref.kind !== 'StatefulSet' || parseApiVersion(ref.apiVersion).group !== 'apps') return []
      const set = this.sets.lister.get({ namespace, name: ref.name })
      return set && set.metadata.uid === ref.uid ? [keyOf(set)] : []
    }
    return this.sets.lister
      .list({ namespace })
      .filter(set => this.selectorOf(set)?.matches(pod.metadata.labels))
      .map(keyOf)
  }

  /** A pod that just turned Ready becomes available minReadySeconds later: look again then (+1 s of skew). */
  private requeueWhenAvailable(old: Pod, cur: Pod): void {
    if (isPodReady(old) || !isPodReady(cur) || !getControllerOf(cur)) return
    for (const key of this.setKeysForPod(cur)) {
      const minReadySeconds = this.sets.lister.get(key)?.spec.minReadySeconds ?? 0
      if (minReadySeconds > 0) this.controller.enqueueAfter(key, minReadySeconds * 1000 + 1000)
    }
  }

  private selectorOf(set: StatefulSet): Selector | null {
    let selector = this.selectors.get(set)
    if (selector === undefined) {
      try {
        selector = selectorFromLabelSelector(set.spec.selector)
      } catch {
        selector = null
      }
      this.selectors.set(set, selector)
    }
    return selector
  }
}
