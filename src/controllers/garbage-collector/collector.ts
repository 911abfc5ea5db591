/**
 * The garbage collector (upstream pkg/controller/garbagecollector): watches every deletable
 * resource, keeps the owner → dependents graph, and runs two queues keyed by uid:
 * - attemptToDelete: dependents whose owners may be gone (delete them, or drop dangling
 *   references when another owner is alive) and owners in foreground deletion (delete blocking
 *   dependents; remove the foregroundDeletion finalizer once none is left);
 * - attemptToOrphan: owners deleted with propagationPolicy=Orphan (strip their uid from every
 *   dependent, then remove the orphan finalizer).
 * Decisions live in plan.ts; writes go through actions.ts. An owner is only declared gone after a
 * live GET (404, or another uid under its name).
 */
import type { KObject, OwnerReference } from '../../api/meta.js'
import { FinalizerForeground, FinalizerOrphan } from '../../api/meta.js'
import { type Clock, realClock } from '../../client/clock.js'
import { discoverResources, supports } from '../../client/discovery.js'
import { type Logger, silentLogger } from '../../client/log.js'
import { KNOWN_RESOURCES, type ResourceRef, resourceId } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { withRetryOnConflict } from '../../client/retry.js'
import { Controller, type ReconcileContext, type Source } from '../runtime/controller.js'
import type { Runnable } from '../runtime/manager.js'
import { done, type Result } from '../runtime/result.js'
import { type GcActions, RestGcActions } from './actions.js'
import { DependencyGraph, type GraphNode } from './graph.js'
import { isDeletingDependents, isOrphaning, type OwnerState, planDependent, planForegroundOwner } from './plan.js'

/** Resources the collector never watches (upstream DefaultIgnoredResources). */
export const IGNORED_RESOURCES = ['events', 'events.events.k8s.io']

/** What the collector needs of an informer factory (InformerFactory satisfies it). */
export interface InformerProvider {
  forResource(ref: ResourceRef): Source<KObject>
  start(signal: AbortSignal): void
}

/** Options of the GarbageCollector. */
export interface GarbageCollectorOptions {
  client: RestClient
  /** Shared informers (the manager's InformerFactory). */
  informers: InformerProvider
  log?: Logger
  clock?: Clock
  /** Watch exactly these; by default the server's deletable resources (discovery), else the known table. */
  resources?: readonly ResourceRef[]
  /** Workers of the delete queue. Default 20 (upstream ConcurrentGCSyncs). */
  deleteWorkers?: number
  /** Workers of the orphan queue. Default 5. */
  orphanWorkers?: number
  /** Re-run discovery this often to watch new resources; 0 disables. Default 30 s (upstream). */
  rediscoverEveryMs?: number
  /** Replaces the REST-backed actions (tests). */
  actions?: GcActions
}

/** The garbage collector, runnable by the Manager. */
export class GarbageCollector implements Runnable {
  readonly name = 'garbage-collector'
  /** The dependency graph (exposed for diagnostics and tests). */
  readonly graph = new DependencyGraph()
  private readonly attemptToDelete: Controller
  private readonly attemptToOrphan: Controller
  private readonly actions: GcActions
  private readonly log: Logger
  private readonly watched = new Map<string, ResourceRef>()
  /** Owner uids verified gone; uids are never reused, so this can only go stale by eviction. */
  private readonly absentOwners = new Set<string>()

  constructor(private readonly opts: GarbageCollectorOptions) {
    this.log = (opts.log ?? silentLogger).child({ controller: 'garbage-collector' })
    this.actions = opts.actions ?? new RestGcActions(opts.client, () => this.mappableResources())
    const common = { clock: opts.clock, log: opts.log }
    this.attemptToDelete = new Controller({
      ...common,
      name: 'garbage-collector-delete',
      workers: opts.deleteWorkers ?? 20,
      reconcile: (uid, ctx) => this.reconcileDelete(uid, ctx),
    })
    this.attemptToOrphan = new Controller({
      ...common,
      name: 'garbage-collector-orphan',
      workers: opts.orphanWorkers ?? 5,
      reconcile: (uid, ctx) => this.reconcileOrphan(uid, ctx),
    })
  }

  /** Discovers resources, watches them, and runs both queues until signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    this.opts.informers.start(signal)
    for (const ref of await this.resolveResources(signal)) this.watch(ref)
    this.log.info({ resources: [...this.watched.keys()] }, 'Garbage collector watching resources')
    const loops = [this.attemptToDelete.run(signal), this.attemptToOrphan.run(signal)]
    const every = this.opts.resources ? 0 : (this.opts.rediscoverEveryMs ?? 30_000)
    if (every > 0) loops.push(this.rediscoverLoop(every, signal))
    await Promise.all(loops)
  }

  /** Starts watching ref (once) and feeds the graph from it. */
  private watch(ref: ResourceRef): void {
    const id = resourceId(ref)
    if (this.watched.has(id)) return
    this.watched.set(id, ref)
    const informer = this.opts.informers.forResource(ref)
    informer.addEventHandler({
      onAdd: obj => this.observe(ref, obj),
      onUpdate: (_, obj) => this.observe(ref, obj),
      onDelete: obj => this.forget(obj),
    })
    this.attemptToDelete.waitsFor(informer)
    this.attemptToOrphan.waitsFor(informer)
  }

  /** Graph bookkeeping for an added or updated object, and the work it may call for. */
  private observe(ref: ResourceRef, obj: KObject): void {
    if (!obj.metadata.uid) return
    const { node, previous } = this.graph.upsert(ref, obj)
    const uid = node.identity.uid
    if (node.deletingDependents) this.attemptToDelete.enqueue(uid)
    if (node.orphaning) this.attemptToOrphan.enqueue(uid)
    // Owners we have not seen may not exist, and foreground-deleting owners are waiting for us.
    if (node.ownerReferences.some(r => !this.graph.get(r.uid) || this.graph.get(r.uid)!.deletingDependents)) {
      this.attemptToDelete.enqueue(uid)
    }
    // An owner waiting in the foreground may be free once this object stops blocking it.
    for (const r of previous?.ownerReferences ?? []) {
      const still = node.ownerReferences.find(n => n.uid === r.uid)
      if (r.blockOwnerDeletion && !still?.blockOwnerDeletion) this.wakeForegroundOwner(r)
    }
  }

  /** Graph bookkeeping for a deleted object: its dependents and waiting owners need a look. */
  private forget(obj: KObject): void {
    const uid = obj.metadata.uid
    if (!uid) return
    const node = this.graph.remove(uid)
    this.absentOwners.add(uid)
    if (this.absentOwners.size > 10_000) this.absentOwners.delete(this.absentOwners.values().next().value!)
    for (const dep of this.graph.dependentsOf(uid)) this.attemptToDelete.enqueue(dep.identity.uid)
    for (const r of node?.ownerReferences ?? obj.metadata.ownerReferences ?? []) this.wakeForegroundOwner(r)
  }

  private wakeForegroundOwner(r: OwnerReference): void {
    if (this.graph.get(r.uid)?.deletingDependents) this.attemptToDelete.enqueue(r.uid)
  }

  /** attemptToDeleteItem. */
  private async reconcileDelete(uid: string, ctx: ReconcileContext): Promise<Result> {
    const node = this.graph.get(uid)
    if (!node) return done
    const latest = await this.actions.getLatest(node.identity)
    // Gone (or replaced): the delete event wakes whoever depended on it.
    if (!latest) return done
    if (isDeletingDependents(latest.metadata)) return this.processDeletingDependents(node, ctx)
    const refs = latest.metadata.ownerReferences ?? []
    if (latest.metadata.deletionTimestamp || !refs.length) return done
    const ownerStates = await this.ownerStates(refs, latest.metadata.namespace)
    const action = planDependent({
      metadata: latest.metadata,
      ownerStates,
      hasDependents: this.graph.hasDependents(uid),
    })
    const target = {
      resource: resourceId(node.identity.ref),
      namespace: node.identity.namespace,
      name: node.identity.name,
    }
    switch (action.type) {
      case 'none':
        ctx.log.debug({ ...target, why: action.why }, 'Keeping object')
        break
      case 'removeOwnerReferences':
        ctx.log.info({ ...target, owners: action.uids }, 'Removing dangling owner references')
        await withRetryOnConflict(() => this.actions.removeOwnerReferences(node.identity, action.uids))
        break
      case 'delete':
        ctx.log.info(
          { ...target, propagationPolicy: action.propagationPolicy },
          'Deleting object whose owners are gone',
        )
        await this.actions.delete(node.identity, action.propagationPolicy)
        break
    }
    return done
  }

  /** processDeletingDependentsItem: wait for blocking dependents, then release the owner. */
  private async processDeletingDependents(node: GraphNode, ctx: ReconcileContext): Promise<Result> {
    const uid = node.identity.uid
    const deps = this.graph.dependentsOf(uid).map(d => ({
      uid: d.identity.uid,
      ownerReferences: d.ownerReferences,
      deletingDependents: d.deletingDependents,
    }))
    const plan = planForegroundOwner(uid, deps)
    if (plan.removeFinalizer) {
      ctx.log.info(
        { name: node.identity.name },
        'No blocking dependents left; removing the foregroundDeletion finalizer',
      )
      await withRetryOnConflict(() => this.actions.removeFinalizer(node.identity, FinalizerForeground))
      return done
    }
    ctx.log.debug({ blocking: plan.deleteDependents.length }, 'Waiting for blocking dependents to be deleted')
    for (const dep of plan.deleteDependents) this.attemptToDelete.enqueue(dep)
    return done
  }

  /** attemptToOrphan: strip the owner from every dependent, then drop the orphan finalizer. */
  private async reconcileOrphan(uid: string, ctx: ReconcileContext): Promise<Result> {
    const node = this.graph.get(uid)
    if (!node) return done
    const latest = await this.actions.getLatest(node.identity)
    if (!latest || !isOrphaning(latest.metadata)) return done
    const deps = this.graph.dependentsOf(uid)
    ctx.log.info({ name: node.identity.name, dependents: deps.length }, 'Orphaning dependents')
    await Promise.all(deps.map(d => withRetryOnConflict(() => this.actions.removeOwnerReferences(d.identity, [uid]))))
    await withRetryOnConflict(() => this.actions.removeFinalizer(node.identity, FinalizerOrphan))
    return done
  }

  /** The state of each owner: from the graph when observed there, else by a live GET. */
  private async ownerStates(refs: readonly OwnerReference[], namespace?: string): Promise<Map<string, OwnerState>> {
    const states = new Map<string, OwnerState>()
    await Promise.all(
      refs.map(async ref => {
        const owner = this.graph.get(ref.uid)
        // An observed owner in another namespace is an invalid reference: verify it live instead.
        const sameScope = owner && (!owner.identity.ref.namespaced || owner.identity.namespace === namespace)
        if (owner && sameScope) {
          states.set(ref.uid, owner.deletingDependents ? 'deletingDependents' : 'live')
        } else if (this.absentOwners.has(ref.uid)) {
          states.set(ref.uid, 'absent')
        } else {
          const state = await this.actions.lookupOwner(ref, namespace)
          if (state === 'absent') this.absentOwners.add(ref.uid)
          states.set(ref.uid, state)
        }
      }),
    )
    return states
  }

  private async resolveResources(signal: AbortSignal): Promise<ResourceRef[]> {
    if (this.opts.resources) return [...this.opts.resources]
    try {
      return await this.discover(signal)
    } catch (err) {
      this.log.warn({ err }, 'Discovery failed; watching the known resources')
      return KNOWN_RESOURCES.filter(r => !IGNORED_RESOURCES.includes(resourceId(r)))
    }
  }

  /** Deletable, listable, watchable resources the server serves, minus the ignored ones. */
  private async discover(signal: AbortSignal): Promise<ResourceRef[]> {
    const found = await discoverResources(this.opts.client, { signal })
    for (const f of found.failedGroupVersions)
      this.log.warn({ groupVersion: f.groupVersion }, 'Discovery of a group version failed')
    return found.resources
      .filter(r => supports(r, 'delete', 'list', 'watch') && !IGNORED_RESOURCES.includes(resourceId(r)))
      .map(({ verbs: _verbs, ...ref }) => ref)
  }

  private async rediscoverLoop(every: number, signal: AbortSignal): Promise<void> {
    const clock = this.opts.clock ?? realClock
    while (!signal.aborted) {
      await clock.sleep(every, signal)
      if (signal.aborted) return
      try {
        for (const ref of await this.discover(signal)) {
          if (this.watched.has(resourceId(ref))) continue
          this.log.info({ resource: resourceId(ref) }, 'Watching a newly discovered resource')
          this.watch(ref)
        }
      } catch (err) {
        this.log.debug({ err }, 'Re-discovery failed; will retry')
      }
    }
  }

  /** Resources to map owner kinds with: the watched ones first, then the known table. */
  private mappableResources(): ResourceRef[] {
    return [...this.watched.values(), ...KNOWN_RESOURCES]
  }
}
