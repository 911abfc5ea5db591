/**
 * The ReplicaSet controller (upstream pkg/controller/replicaset): keeps spec.replicas active pods
 * for every ReplicaSet, adopting orphans its selector matches and releasing pods it no longer
 * matches, creating in slow-start batches and deleting the least valuable pods first, and reports
 * status through /status. Reads come from informers; pod writes go through PodControl.
 */
import type { ReplicaSet } from '../../api/apps.js'
import type { Pod } from '../../api/pod.js'
import { keyOf } from '../../client/cache.js'
import { type Clock, realClock } from '../../client/clock.js'
import { EventRecorder } from '../../client/events.js'
import { byControllerUid, CONTROLLER_UID_INDEX } from '../../client/indexers.js'
import type { Informer } from '../../client/informer.js'
import type { InformerFactory } from '../../client/informer-factory.js'
import { type Logger, silentLogger } from '../../client/log.js'
import { PODS, REPLICA_SETS } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import type { Selector } from '../../machinery/labels.js'
import { getControllerOf, newControllerRef } from '../../machinery/objects.js'
import { isNotFound } from '../../machinery/status-error.js'
import { adoptPatch, decideClaim, releasePatch } from '../runtime/claim.js'
import { Controller, type ReconcileContext } from '../runtime/controller.js'
import type { Runnable } from '../runtime/manager.js'
import { done, type Result, requeueAfter } from '../runtime/result.js'
import { Expectations } from './expectations.js'
import { podHandler, replicaSetHandler, replicaSetSelector } from './handlers.js'
import { BurstReplicas, calculateStatus, desiredReplicas, planReplicas } from './plan.js'
import { isNamespaceTerminating, type PodControl, podFromTemplate, RestPodControl } from './pod-control.js'
import { isPodActive } from './pods.js'
import { SlowStartInitialBatchSize, slowStartBatch } from './slow-start.js'
import { updateReplicaSetStatus } from './status.js'

/** Options of the ReplicaSetController. */
export interface ReplicaSetControllerOptions {
  client: RestClient
  informers: InformerFactory
  log?: Logger
  clock?: Clock
  /** ReplicaSets synced at once. Default 5 (--concurrent-replicaset-syncs). */
  workers?: number
  /** Most pods created or deleted in one sync. Default 500. */
  burstReplicas?: number
  /** Replaces the REST pod writer (tests). */
  podControl?: PodControl
}

const gvk = { apiVersion: 'apps/v1', kind: 'ReplicaSet' }

/** Keeps every ReplicaSet's pods at spec.replicas. */
export class ReplicaSetController implements Runnable {
  readonly name = 'replicaset'
  private readonly controller: Controller
  private readonly replicaSets: Informer<ReplicaSet>
  private readonly pods: Informer<Pod>
  private readonly expectations: Expectations
  private readonly podControl: PodControl
  private readonly clock: Clock
  private readonly burst: number

  constructor(private readonly opts: ReplicaSetControllerOptions) {
    const log = opts.log ?? silentLogger
    this.clock = opts.clock ?? realClock
    this.burst = opts.burstReplicas ?? BurstReplicas
    this.expectations = new Expectations(this.clock)
    this.replicaSets = opts.informers.forResource<ReplicaSet>(REPLICA_SETS)
    this.replicaSets.addIndexers({ [CONTROLLER_UID_INDEX]: byControllerUid })
    this.pods = opts.informers.forResource<Pod>(PODS)
    const recorder = new EventRecorder(opts.client, { component: 'replicaset-controller', clock: opts.clock, log })
    this.podControl = opts.podControl ?? new RestPodControl(opts.client, recorder)
    this.controller = new Controller({
      name: 'replicaset',
      workers: opts.workers ?? 5,
      log,
      clock: opts.clock,
      reconcile: (key, ctx) => this.reconcile(key, ctx),
    })
    const deps = {
      replicaSets: this.replicaSets.lister,
      expectations: this.expectations,
      enqueue: (key: string) => this.controller.enqueue(key),
      enqueueAfter: (key: string, ms: number) => this.controller.enqueueAfter(key, ms),
    }
    this.replicaSets.addEventHandler(replicaSetHandler(deps))
    this.pods.addEventHandler(podHandler(deps))
    this.controller.waitsFor(this.replicaSets).waitsFor(this.pods)
  }

  /** Runs until signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    this.opts.informers.start(signal)
    await this.controller.run(signal)
  }

  /** syncReplicaSet: claim pods, resize when expectations allow, report status. */
  private async reconcile(key: string, ctx: ReconcileContext): Promise<Result> {
    const rs = this.replicaSets.lister.get(key)
    if (!rs) {
      this.expectations.delete(key)
      return done
    }
    const needsSync = this.expectations.satisfied(key)
    const selector = replicaSetSelector(rs)
    if (!selector) {
      ctx.log.error({ selector: rs.spec.selector }, 'Invalid pod selector; not syncing ReplicaSet')
      return done
    }
    const active = this.pods.lister.list({ namespace: rs.metadata.namespace ?? '' }).filter(isPodActive)
    const pods = await this.claimPods(rs, selector, active, ctx)
    let manageError: unknown
    if (needsSync && !rs.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(rs, pods, ctx)
      } catch (e) {
        manageError = e
      }
    } else if (!needsSync) {
      ctx.log.debug({ pending: this.expectations.pending(key) }, 'Waiting for expected pod creations and deletions')
    }
    const now = this.clock.now()
    const status = calculateStatus(rs, pods, manageError, now)
    const updated = await updateReplicaSetStatus(this.opts.client, rs, status, ctx.signal)
    if (manageError !== undefined) throw manageError
    const minReady = updated.spec.minReadySeconds ?? 0
    const replicas = desiredReplicas(updated)
    const ready = updated.status?.readyReplicas ?? 0
    // A last line of defence against clock skew: look again once minReadySeconds have passed.
    if (minReady > 0 && ready === replicas && (updated.status?.availableReplicas ?? 0) !== replicas) {
      return requeueAfter(minReady * 1000)
    }
    return done
  }

  /** ClaimPods: the active pods this ReplicaSet owns after adopting matching orphans and releasing strays. */
  private async claimPods(rs: ReplicaSet, selector: Selector, pods: Pod[], ctx: ReconcileContext): Promise<Pod[]> {
    const claimed: Pod[] = []
    const errors: unknown[] = []
    let canAdopt: Promise<void> | undefined
    for (const pod of pods) {
      const decision = decideClaim(rs, pod, selector.matches(pod.metadata.labels))
      try {
        if (decision === 'own') claimed.push(pod)
        else if (decision === 'release') {
          await this.podControl.patchPod(pod, releasePatch(pod, rs.metadata.uid!))
        } else if (decision === 'adopt') {
          // Recheck the ReplicaSet with a live read once before adopting anything (upstream #42639).
          canAdopt ??= this.recheckNotDeleted(rs, ctx)
          await canAdopt
          await this.podControl.patchPod(pod, adoptPatch(pod, newControllerRef(rs, gvk)))
          claimed.push(pod)
        }
      } catch (e) {
        // A pod that vanished is simply not claimed; other failures fail the sync after the loop.
        if (!isNotFound(e)) errors.push(e)
      }
    }
    if (errors.length) throw errors[0]
    return claimed
  }

  /** RecheckDeletionTimestamp: rejects if the live ReplicaSet is gone, replaced or being deleted. */
  private async recheckNotDeleted(rs: ReplicaSet, ctx: ReconcileContext): Promise<void> {
    const { namespace, name, uid } = rs.metadata
    const fresh = await this.opts.client.get<ReplicaSet>(REPLICA_SETS, name!, { namespace, signal: ctx.signal })
    if (fresh.metadata.uid !== uid) {
      throw new Error(`original ReplicaSet ${namespace}/${name} is gone: got uid ${fresh.metadata.uid}, wanted ${uid}`)
    }
    if (fresh.metadata.deletionTimestamp) throw new Error(`ReplicaSet ${namespace}/${name} has just been deleted`)
  }

  /** manageReplicas: create or delete pods toward spec.replicas, keeping expectations in step. */
  private async manageReplicas(rs: ReplicaSet, pods: Pod[], ctx: ReconcileContext): Promise<void> {
    const key = keyOf(rs)
    const plan = planReplicas(rs, pods, this.relatedPods(rs), this.clock.now(), this.burst)
    if (plan.create > 0) {
      this.expectations.expectCreations(key, plan.create)
      ctx.log.debug({ need: desiredReplicas(rs), creating: plan.create }, 'Too few replicas')
      const ref = newControllerRef(rs, gvk)
      const { successes, error } = await slowStartBatch(plan.create, SlowStartInitialBatchSize, async () => {
        try {
          await this.podControl.createPod(rs, podFromTemplate(rs.spec.template, rs.metadata.name!, ref))
        } catch (e) {
          // Every create fails in a terminating namespace; that is nothing to retry.
          if (!isNamespaceTerminating(e)) throw e
        }
      })
      // Pods never attempted will never be observed.
      for (let i = successes; i < plan.create; i++) this.expectations.creationObserved(key)
      if (error !== undefined) throw error
      return
    }
    if (!plan.delete.length) return
    ctx.log.debug({ need: desiredReplicas(rs), deleting: plan.delete.length }, 'Too many replicas')
    this.expectations.expectDeletions(key, plan.delete.map(keyOf))
    const results = await Promise.allSettled(
      plan.delete.map(async pod => {
        try {
          await this.podControl.deletePod(rs, pod)
        } catch (e) {
          // The informer will not observe a deletion that failed.
          this.expectations.deletionObserved(key, keyOf(pod))
          if (!isNotFound(e)) throw e
        }
      }),
    )
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed) throw failed.reason
  }

  /** getIndirectlyRelatedPods: the pods of every ReplicaSet with the same controller as rs. */
  private relatedPods(rs: ReplicaSet): Pod[] {
    const owner = getControllerOf(rs)
    // A ReplicaSet without a controller has no relatives: every rank is 0, as upstream.
    const siblings = owner ? this.replicaSets.lister.byIndex(CONTROLLER_UID_INDEX, owner.uid) : []
    const seen = new Set<string>()
    const related: Pod[] = []
    for (const sibling of siblings) {
      const selector = replicaSetSelector(sibling)
      if (!selector) continue
      for (const pod of this.pods.lister.list({ namespace: sibling.metadata.namespace ?? '', selector })) {
        if (seen.has(pod.metadata.uid!)) continue
        seen.add(pod.metadata.uid!)
        related.push(pod)
      }
    }
    return related
  }
}
