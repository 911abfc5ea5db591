/**
 * The scheduler (kube-scheduler's default profile, trimmed): binds pods that have no node, name
 * no other scheduler and are not being deleted. One worker decides (scheduleOne, pure) against an
 * in-memory view of node usage that is updated the moment a pod is assumed; bindings go out in
 * parallel. Unschedulable pods get FailedScheduling and PodScheduled=False and are retried with
 * back-off when nodes, claims, volumes or classes change, or when a bound pod frees room.
 */
import type { Node, PersistentVolume, PersistentVolumeClaim } from '../../api/core.js'
import type { Pod } from '../../api/pod.js'
import type { StorageClass } from '../../api/storage.js'
import { keyOf } from '../../client/cache.js'
import { type Clock, realClock } from '../../client/clock.js'
import { EventRecorder } from '../../client/events.js'
import type { Informer } from '../../client/informer.js'
import type { InformerFactory } from '../../client/informer-factory.js'
import { type Logger, silentLogger } from '../../client/log.js'
import { NODES, PERSISTENT_VOLUME_CLAIMS, PERSISTENT_VOLUMES, PODS, STORAGE_CLASSES } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { deepEqual } from '../../machinery/objects.js'
import { isConflict, isNotFound } from '../../machinery/status-error.js'
import { Controller, type ReconcileContext } from '../runtime/controller.js'
import type { Runnable } from '../runtime/manager.js'
import { done, type Result, requeueAfter } from '../runtime/result.js'
import { Binder } from './binder.js'
import { isTerminal, SchedulerCache } from './cache.js'
import { scheduleOne } from './cycle.js'
import { isDefaultClass, podVolumes, type VolumeLookup } from './volumes.js'
import { WaitingPods } from './waiting.js'

/** Options of the Scheduler. */
export interface SchedulerOptions {
  client: RestClient
  informers: InformerFactory
  /** Pods naming this scheduler (or none) are ours. Default "default-scheduler". */
  schedulerName?: string
  /** Bindings in flight at once. Default 64. */
  bindConcurrency?: number
  /** Back-off of unschedulable pods: 1 s doubling to 10 s (upstream podInitial/MaxBackoff). */
  backoff?: { initialMs: number; maxMs: number }
  /** Retry unschedulable pods at least this often. Default 5 min (podMaxInUnschedulablePodsDuration). */
  flushUnschedulableMs?: number
  /** Give up waiting for WaitForFirstConsumer claims to bind after this long. Default 10 min. */
  bindTimeoutMs?: number
  clock?: Clock
  log?: Logger
}

/** Places pods on nodes. */
export class Scheduler implements Runnable {
  readonly name = 'scheduler'
  private readonly controller: Controller
  private readonly pods: Informer<Pod>
  private readonly nodes: Informer<Node>
  private readonly claims: Informer<PersistentVolumeClaim>
  private readonly volumes: Informer<PersistentVolume>
  private readonly classes: Informer<StorageClass>
  private readonly cache = new SchedulerCache()
  private readonly binder: Binder
  private readonly waiting: WaitingPods
  private readonly clock: Clock
  private readonly log: Logger
  private readonly schedulerName: string
  /** Unschedulable pods by key: attempts and when they may be tried again. */
  private readonly unschedulable = new Map<string, { attempts: number; retryAt: number }>()
  /** Pods waiting for class-less claims to be decided (see podVolumes), by the claim's key. */
  private readonly undecided = new Map<string, Set<string>>()
  private readonly lookup: VolumeLookup

  constructor(private readonly opts: SchedulerOptions) {
    this.clock = opts.clock ?? realClock
    this.log = (opts.log ?? silentLogger).child({ component: 'scheduler' })
    this.schedulerName = opts.schedulerName ?? 'default-scheduler'
    const f = opts.informers
    this.pods = f.forResource<Pod>(PODS)
    this.nodes = f.forResource<Node>(NODES)
    this.claims = f.forResource<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS)
    this.volumes = f.forResource<PersistentVolume>(PERSISTENT_VOLUMES)
    this.classes = f.forResource<StorageClass>(STORAGE_CLASSES)
    this.lookup = {
      claim: (ns, name) => this.claims.lister.get(`${ns}/${name}`),
      volume: name => this.volumes.lister.get(name),
      storageClass: name => this.classes.lister.get(name),
      nodeExists: name => !!this.nodes.lister.get(name),
      hasDefaultClass: () => this.classes.lister.list().some(isDefaultClass),
    }
    const recorder = new EventRecorder(opts.client, { component: this.schedulerName, clock: this.clock, log: this.log })
    this.binder = new Binder({ client: opts.client, recorder, clock: this.clock, concurrency: opts.bindConcurrency })
    this.waiting = new WaitingPods(opts.bindTimeoutMs ?? 600_000)
    this.controller = new Controller({
      name: 'scheduler',
      workers: 1,
      clock: opts.clock,
      log: opts.log,
      reconcile: (key, ctx) => this.reconcile(key, ctx),
    })
    this.watch()
  }

  /** Runs until signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    this.opts.informers.start(signal)
    await this.controller.run(signal)
  }

  private isOurs(pod: Pod): boolean {
    return (pod.spec.schedulerName ?? 'default-scheduler') === this.schedulerName
  }

  private watch(): void {
    const retry = () => this.retryUnschedulable()
    this.pods.addEventHandler({
      onAdd: p => this.onPod(p),
      onUpdate: (old, p) => this.onPod(p, old),
      onDelete: p => {
        this.cache.remove(p.metadata.uid ?? '')
        this.waiting.forget(p.metadata.uid ?? '')
        this.unschedulable.delete(keyOf(p))
        if (p.spec.nodeName) retry()
      },
    })
    this.nodes.addEventHandler({ onAdd: retry, onUpdate: (o, n) => nodeChanged(o, n) && retry() })
    this.claims.addEventHandler({
      onAdd: c => this.onClaim(c),
      onUpdate: (_, c) => this.onClaim(c),
      onDelete: c => {
        for (const key of this.undecided.get(keyOf(c)) ?? []) this.controller.enqueue(key)
        this.undecided.delete(keyOf(c))
      },
    })
    this.volumes.addEventHandler({ onAdd: retry, onUpdate: retry })
    this.classes.addEventHandler({ onAdd: retry, onUpdate: retry })
    for (const s of [this.pods, this.nodes, this.claims, this.volumes, this.classes]) this.controller.waitsFor(s)
  }

  private onPod(pod: Pod, old?: Pod): void {
    this.cache.observe(pod)
    const key = keyOf(pod)
    if (pod.spec.nodeName) {
      this.unschedulable.delete(key)
      this.waiting.forget(pod.metadata.uid ?? '')
      // A pod that finished frees its room on the node.
      if (old && isTerminal(pod) && !isTerminal(old)) this.retryUnschedulable()
      return
    }
    if (!this.isOurs(pod) || pod.metadata.deletionTimestamp) return
    // Our own status writes must not retry an unschedulable pod; real changes to it do (isPodUpdated).
    if (old && this.unschedulable.has(key) && !podChanged(old, pod)) return
    this.controller.enqueue(key)
  }

  private onClaim(claim: PersistentVolumeClaim): void {
    for (const key of this.waiting.keysUsing(claim)) this.controller.enqueue(key)
    const claimKey = keyOf(claim)
    for (const key of this.undecided.get(claimKey) ?? []) this.controller.enqueue(key)
    this.undecided.delete(claimKey)
    this.retryUnschedulable()
  }

  /** Moves every unschedulable pod back to the queue once its back-off has passed. */
  private retryUnschedulable(): void {
    const now = this.clock.now()
    for (const [key, st] of this.unschedulable) this.controller.enqueueAfter(key, Math.max(0, st.retryAt - now))
  }

  private async reconcile(key: string, ctx: ReconcileContext): Promise<Result> {
    const pod = this.pods.lister.get(key)
    const uid = pod?.metadata.uid ?? ''
    if (!pod || pod.spec.nodeName || pod.metadata.deletionTimestamp || !this.isOurs(pod)) {
      if (pod) this.waiting.forget(uid)
      this.unschedulable.delete(key)
      return done
    }
    if ((pod.spec.schedulingGates ?? []).length > 0) return done
    const wait = this.waiting.get(uid)
    if (wait) return this.continueWaiting(pod, wait.node, ctx)
    // Assumed: its binding is in flight or done and the cache has not shown it yet.
    if (this.cache.nodeOf(uid)) return done
    return this.schedule(pod, key, ctx)
  }

  private async schedule(pod: Pod, key: string, ctx: ReconcileContext): Promise<Result> {
    const hasClaims = (pod.spec.volumes ?? []).some(v => v.persistentVolumeClaim)
    const volumes = hasClaims ? podVolumes(pod, this.lookup) : undefined
    if (volumes?.undecided.length && !volumes.reject && !volumes.error) {
      // Tried again when one of these claims changes (onClaim): no failure, no back-off.
      for (const claim of volumes.undecided) {
        const claimKey = keyOf(claim)
        this.undecided.set(claimKey, (this.undecided.get(claimKey) ?? new Set()).add(key))
      }
      ctx.log.debug({ claims: volumes.undecided.map(c => c.metadata.name) }, 'Waiting for claims to get a class')
      return requeueAfter(this.opts.flushUnschedulableMs ?? 300_000)
    }
    const result = scheduleOne({
      pod,
      nodes: this.nodes.lister.list(),
      usageOf: n => this.cache.usageOf(n),
      volumes,
      lookup: this.lookup,
    })
    if ('failure' in result) return this.fail(pod, key, result.failure.reason, result.failure.message, ctx)
    const node = result.node
    this.cache.add(pod, node)
    this.unschedulable.delete(key)
    if (volumes?.delayed.length) {
      try {
        for (const { claim } of volumes.delayed) await this.binder.selectNode(claim, node)
      } catch (err) {
        this.cache.remove(pod.metadata.uid ?? '')
        throw err
      }
      this.waiting.add(
        pod,
        node,
        volumes.delayed.map(d => d.claim),
        this.clock.now(),
      )
      ctx.log.debug({ node }, 'Waiting for WaitForFirstConsumer claims to bind')
      return this.continueWaiting(pod, node, ctx)
    }
    this.startBind(pod, node, key)
    return done
  }

  private async continueWaiting(pod: Pod, node: string, ctx: ReconcileContext): Promise<Result> {
    const uid = pod.metadata.uid ?? ''
    const state = this.waiting.check(uid, this.lookup, this.clock.now())
    if (state === 'bound') {
      this.waiting.forget(uid)
      this.startBind(pod, node, keyOf(pod))
      return done
    }
    if (state === 'pending') return requeueAfter(this.waiting.remainingMs(uid, this.clock.now()))
    this.waiting.forget(uid)
    this.cache.remove(uid)
    const message =
      state === 'timeout'
        ? 'running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded'
        : 'running PreBind plugin "VolumeBinding": binding volumes: a claim changed while waiting'
    return this.fail(pod, keyOf(pod), 'SchedulerError', message, ctx)
  }

  private startBind(pod: Pod, node: string, key: string): void {
    const uid = pod.metadata.uid ?? ''
    this.binder.bind(pod, node).catch(err => {
      // The assumption did not hold: give the room back unless the pod did land there.
      if (this.pods.lister.get(key)?.spec.nodeName !== node) this.cache.remove(uid)
      if (isNotFound(err) || isConflict(err)) return
      this.log.error({ err, pod: key, node }, 'Failed to bind pod; retrying')
      this.controller.queue.addRateLimited(key)
    })
  }

  private async fail(
    pod: Pod,
    key: string,
    reason: 'Unschedulable' | 'SchedulerError',
    message: string,
    ctx: ReconcileContext,
  ): Promise<Result> {
    const st = this.unschedulable.get(key) ?? { attempts: 0, retryAt: 0 }
    st.attempts++
    const { initialMs, maxMs } = this.opts.backoff ?? { initialMs: 1_000, maxMs: 10_000 }
    st.retryAt = this.clock.now() + Math.min(initialMs * 2 ** (st.attempts - 1), maxMs)
    this.unschedulable.set(key, st)
    ctx.log.debug({ reason, message }, 'Unable to schedule pod')
    try {
      await this.binder.unschedulable(pod, reason, message)
    } catch (err) {
      if (!isNotFound(err)) ctx.log.warn({ err }, 'Failed to update the PodScheduled condition')
    }
    return requeueAfter(
      reason === 'SchedulerError' ? st.retryAt - this.clock.now() : (this.opts.flushUnschedulableMs ?? 300_000),
    )
  }
}

/** Node changes that can make an unschedulable pod fit (upstream's node-update queueing hints). */
function nodeChanged(a: Node, b: Node): boolean {
  const ready = (n: Node) => n.status?.conditions?.find(c => c.type === 'Ready')?.status
  return (
    !deepEqual(a.metadata.labels, b.metadata.labels) ||
    !deepEqual(a.spec?.taints, b.spec?.taints) ||
    !!a.spec?.unschedulable !== !!b.spec?.unschedulable ||
    !deepEqual(a.status?.allocatable, b.status?.allocatable) ||
    ready(a) !== ready(b)
  )
}

/** isPodUpdated: a change beyond status and bookkeeping metadata. */
function podChanged(a: Pod, b: Pod): boolean {
  const strip = (p: Pod) => ({ spec: p.spec, labels: p.metadata.labels, annotations: p.metadata.annotations })
  return !deepEqual(strip(a), strip(b))
}
