/**
 * The Deployment controller (upstream pkg/controller/deployment): owns ReplicaSets by selector and
 * controller reference, rolls templates out with RollingUpdate or Recreate, keeps revision history
 * for `kubectl rollout history|undo`, and reports status and conditions for `kubectl rollout
 * status`. Reads come from informers; writes go through the DeploymentWriter.
 */
import type { Deployment, ReplicaSet } from '../../api/apps.js'
import type { Pod } from '../../api/pod.js'
import { type Clock, realClock } from '../../client/clock.js'
import { EventRecorder } from '../../client/events.js'
import type { Informer } from '../../client/informer.js'
import type { InformerFactory } from '../../client/informer-factory.js'
import { type Logger, silentLogger } from '../../client/log.js'
import { DEPLOYMENTS, PODS, REPLICA_SETS } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { getControllerOf, newControllerRef } from '../../machinery/objects.js'
import { isNotFound } from '../../machinery/status-error.js'
import { adoptPatch, decideClaim, releasePatch } from '../runtime/claim.js'
import { Controller, type ReconcileContext } from '../runtime/controller.js'
import type { Runnable } from '../runtime/manager.js'
import { done, type Result, requeueAfter, TerminalError } from '../runtime/result.js'
import { deploymentSelector, podHandler, replicaSetHandler } from './handlers.js'
import { isScalingEvent } from './plan.js'
import { rolloutRecreate, rolloutRolling, syncScaling, syncStatusOnly } from './rollout.js'
import { DeploymentSync } from './sync.js'
import { type DeploymentWriter, RestDeploymentWriter } from './writer.js'

/** Options of the DeploymentController. */
export interface DeploymentControllerOptions {
  client: RestClient
  informers: InformerFactory
  log?: Logger
  clock?: Clock
  /** Deployments synced at once. Default 5 (--concurrent-deployment-syncs). */
  workers?: number
  /** Replaces the REST writer (tests). */
  writer?: DeploymentWriter
}

const gvk = { apiVersion: 'apps/v1', kind: 'Deployment' }

/** Rolls Deployments out through ReplicaSets. */
export class DeploymentController implements Runnable {
  readonly name = 'deployment'
  private readonly controller: Controller
  private readonly deployments: Informer<Deployment>
  private readonly replicaSets: Informer<ReplicaSet>
  private readonly pods: Informer<Pod>
  private readonly writer: DeploymentWriter
  private readonly clock: Clock

  constructor(private readonly opts: DeploymentControllerOptions) {
    const log = opts.log ?? silentLogger
    this.clock = opts.clock ?? realClock
    this.deployments = opts.informers.forResource<Deployment>(DEPLOYMENTS)
    this.replicaSets = opts.informers.forResource<ReplicaSet>(REPLICA_SETS)
    this.pods = opts.informers.forResource<Pod>(PODS)
    const recorder = new EventRecorder(opts.client, { component: 'deployment-controller', clock: opts.clock, log })
    this.writer = opts.writer ?? new RestDeploymentWriter(opts.client, recorder)
    this.controller = new Controller({
      name: 'deployment',
      workers: opts.workers ?? 5,
      log,
      clock: opts.clock,
      reconcile: (key, ctx) => this.reconcile(key, ctx),
    })
    const enqueue = (key: string) => this.controller.enqueue(key)
    this.controller.for(this.deployments)
    this.replicaSets.addEventHandler(replicaSetHandler(this.deployments.lister, enqueue))
    this.pods.addEventHandler(podHandler(this.deployments.lister, this.replicaSets.lister, enqueue))
    this.controller.waitsFor(this.replicaSets).waitsFor(this.pods)
  }

  /** Runs until signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    this.opts.informers.start(signal)
    await this.controller.run(signal)
  }

  /** syncDeployment: one pass over a Deployment, in upstream's order of precedence. */
  private async reconcile(key: string, ctx: ReconcileContext): Promise<Result> {
    const cached = this.deployments.lister.get(key)
    if (!cached) return done
    const d = structuredClone(cached)
    const selector = deploymentSelector(d)
    if (!selector) throw new TerminalError(`deployment ${key} has an invalid label selector`)
    if (selector.isEmpty()) return this.selectingAll(d)
    const rsList = await this.claimReplicaSets(d, ctx)
    const podsByRS = this.podsByReplicaSet(d, rsList)
    const sync = new DeploymentSync(
      {
        writer: this.writer,
        getReplicaSet: (namespace, name) => this.replicaSets.lister.get({ namespace, name }),
        now: () => this.clock.now(),
        log: ctx.log,
      },
      d,
      rsList,
    )
    let after: number | undefined
    if (d.metadata.deletionTimestamp) after = await syncStatusOnly(sync)
    else {
      await sync.checkPausedConditions()
      after = await this.rollout(sync, podsByRS)
    }
    return after === undefined ? done : requeueAfter(after)
  }

  /** Paused, scaling event, or a rollout step of the Deployment's strategy. */
  private async rollout(sync: DeploymentSync, podsByRS: Map<string, Pod[]>): Promise<number | undefined> {
    const d = sync.d
    if (d.spec.paused) return syncScaling(sync)
    const { newRS, oldRSs } = await sync.split(false)
    if (isScalingEvent(d, [...oldRSs, newRS])) return syncScaling(sync)
    const type = d.spec.strategy?.type ?? 'RollingUpdate'
    if (type === 'Recreate') return rolloutRecreate(sync, podsByRS)
    if (type === 'RollingUpdate') return rolloutRolling(sync)
    throw new TerminalError(`unexpected deployment strategy type: ${type}`)
  }

  /** A Deployment with an empty selector would select every pod: warn, observe, do nothing. */
  private async selectingAll(d: Deployment): Promise<Result> {
    this.writer.event(d, {
      type: 'Warning',
      reason: 'SelectingAll',
      message: 'This deployment is selecting all pods. A non-empty selector is required.',
    })
    if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
      d.status = { ...d.status, observedGeneration: d.metadata.generation }
      await this.writer.updateDeploymentStatus(d)
    }
    return done
  }

  /** getReplicaSetsForDeployment: the ReplicaSets it owns, after adopting matching orphans and releasing strays. */
  private async claimReplicaSets(d: Deployment, ctx: ReconcileContext): Promise<ReplicaSet[]> {
    const selector = deploymentSelector(d)!
    const owned: ReplicaSet[] = []
    const errors: unknown[] = []
    let canAdopt: Promise<void> | undefined
    for (const rs of this.replicaSets.lister.list({ namespace: d.metadata.namespace ?? '' })) {
      const decision = decideClaim(d, rs, selector.matches(rs.metadata.labels))
      try {
        if (decision === 'own') owned.push(rs)
        else if (decision === 'release') await this.writer.patchReplicaSet(rs, releasePatch(rs, d.metadata.uid!))
        else if (decision === 'adopt') {
          canAdopt ??= this.recheckNotDeleted(d, ctx)
          await canAdopt
          await this.writer.patchReplicaSet(rs, adoptPatch(rs, newControllerRef(d, gvk)))
          owned.push(rs)
        }
      } catch (e) {
        if (!isNotFound(e)) errors.push(e)
      }
    }
    if (errors.length) throw errors[0]
    return owned
  }

  /** RecheckDeletionTimestamp with a live read: rejects if the Deployment is gone, replaced or being deleted. */
  private async recheckNotDeleted(d: Deployment, ctx: ReconcileContext): Promise<void> {
    const { namespace, name, uid } = d.metadata
    const fresh = await this.opts.client.get<Deployment>(DEPLOYMENTS, name!, { namespace, signal: ctx.signal })
    if (fresh.metadata.uid !== uid) {
      throw new Error(`original Deployment ${namespace}/${name} is gone: got uid ${fresh.metadata.uid}, wanted ${uid}`)
    }
    if (fresh.metadata.deletionTimestamp) throw new Error(`Deployment ${namespace}/${name} has just been deleted`)
  }

  /** getPodMapForDeployment: the Deployment's pods (inactive ones too) grouped by owning ReplicaSet UID. */
  private podsByReplicaSet(d: Deployment, rsList: ReplicaSet[]): Map<string, Pod[]> {
    const byRS = new Map<string, Pod[]>(rsList.map(rs => [rs.metadata.uid!, []]))
    const selector = deploymentSelector(d)!
    for (const pod of this.pods.lister.list({ namespace: d.metadata.namespace ?? '', selector })) {
      const ref = getControllerOf(pod)
      if (ref) byRS.get(ref.uid)?.push(pod)
    }
    return byRS
  }
}
