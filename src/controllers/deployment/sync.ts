/**
 * One Deployment sync (upstream sync.go): finds or creates the new ReplicaSet and keeps revisions
 * in step, resizes ReplicaSets with ScalingReplicaSet events, deletes history past
 * revisionHistoryLimit and writes status. Decisions come from the pure modules; every write goes
 * through the DeploymentWriter. The working copy of the Deployment and the ReplicaSet list are
 * updated after each write, so later steps of the same sync build on what was written.
 */
import type { Deployment, ReplicaSet } from '../../api/apps.js'
import type { Logger } from '../../client/log.js'
import { deepEqual, getControllerOf } from '../../machinery/objects.js'
import { isAlreadyExists } from '../../machinery/status-error.js'
import {
  maxRevision,
  RevisionAnnotation,
  replicasAnnotationsNeedUpdate,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from './annotations.js'
import { newReplicaSetFor, planCleanup, planScale } from './plan.js'
import { progressCheckAfter, rolloutStatus } from './progress.js'
import { equalIgnoreHash, findNewReplicaSet, findOldReplicaSets, specReplicas } from './replicasets.js'
import { maxSurge, newRSNewReplicas } from './rolling.js'
import {
  calculateStatus,
  compactStatus,
  getCondition,
  hasProgressDeadline,
  newCondition,
  Reason,
  setCondition,
} from './status.js'
import type { DeploymentWriter } from './writer.js'

/** What a sync needs besides the Deployment and its ReplicaSets. */
export interface SyncEnv {
  writer: DeploymentWriter
  /** Reads a cached ReplicaSet (after a create answered AlreadyExists). */
  getReplicaSet(namespace: string, name: string): ReplicaSet | undefined
  now(): number
  log: Logger
}

/** The new ReplicaSet (if any) and all the others. */
export interface Split {
  newRS?: ReplicaSet
  oldRSs: ReplicaSet[]
}

/** The state of one Deployment sync. */
export class DeploymentSync {
  constructor(
    private readonly env: SyncEnv,
    /** Working copy of the Deployment; status and annotations change as the sync goes. */
    readonly d: Deployment,
    /** The ReplicaSets the Deployment owns, replaced by what each write returned. */
    public rsList: ReplicaSet[],
  ) {}

  /** The sync's logger. */
  get log(): Logger {
    return this.env.log
  }

  /** The freshest copy of a ReplicaSet this sync knows. */
  latest(rs: ReplicaSet): ReplicaSet {
    return this.rsList.find(x => x.metadata.uid === rs.metadata.uid) ?? rs
  }

  private remember(rs: ReplicaSet): ReplicaSet {
    const i = this.rsList.findIndex(x => x.metadata.uid === rs.metadata.uid)
    if (i >= 0) this.rsList[i] = rs
    else this.rsList.push(rs)
    return rs
  }

  /** Writes the working copy's status and annotations; later writes use the new resourceVersion. */
  async writeStatus(): Promise<void> {
    const stored = await this.env.writer.updateDeploymentStatus(this.d)
    this.d.metadata.resourceVersion = stored.metadata.resourceVersion
  }

  /** getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created when asked) and the old ones. */
  async split(createIfMissing: boolean): Promise<Split> {
    const oldRSs = findOldReplicaSets(this.rsList, findNewReplicaSet(this.d.spec.template, this.rsList))
    const newRS = await this.getNewReplicaSet(oldRSs, createIfMissing)
    return { newRS, oldRSs: oldRSs.map(rs => this.latest(rs)) }
  }

  /** getNewReplicaSet: syncs the existing new ReplicaSet's revision and annotations, or creates it. */
  private async getNewReplicaSet(oldRSs: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
    const { d, env } = this
    const existing = findNewReplicaSet(d.spec.template, this.rsList)
    const newRevision = String(maxRevision(oldRSs) + 1)
    if (existing) {
      const copy = structuredClone(existing)
      const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true, maxSurge(d))
      if (annotationsUpdated || (copy.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0)) {
        copy.spec.minReadySeconds = d.spec.minReadySeconds
        return this.remember(await env.writer.updateReplicaSet(copy))
      }
      let needsUpdate = setDeploymentRevision(d, copy.metadata.annotations?.[RevisionAnnotation] ?? '')
      if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
        const msg = `Found new replica set "${copy.metadata.name}"`
        this.setStatusCondition(newCondition('Progressing', 'True', Reason.FoundNewRS, msg, env.now()))
        needsUpdate = true
      }
      if (needsUpdate) await this.writeStatus()
      return copy
    }
    if (!create) return undefined
    const rs = newReplicaSetFor(d)
    const replicas = newRSNewReplicas(d, [...oldRSs, rs], rs)
    rs.spec.replicas = replicas
    setNewReplicaSetAnnotations(d, rs, newRevision, false, maxSurge(d))
    let created: ReplicaSet
    let alreadyExists = false
    try {
      created = this.remember(await env.writer.createReplicaSet(rs))
    } catch (e) {
      if (!isAlreadyExists(e)) return this.failedCreate(rs, e)
      // A slow cache or a fast resync; or a hash collision with someone else's ReplicaSet.
      const found = env.getReplicaSet(rs.metadata.namespace!, rs.metadata.name!)
      if (!found) throw e
      const ref = getControllerOf(found)
      if (ref?.uid !== d.metadata.uid || !equalIgnoreHash(d.spec.template, found.spec.template)) {
        d.status = { ...d.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 }
        await this.writeStatus().catch(() => {})
        env.log.info({ collisionCount: d.status.collisionCount }, 'Found a hash collision; bumping collisionCount')
        throw e
      }
      created = this.remember(found)
      alreadyExists = true
    }
    if (!alreadyExists && replicas > 0) {
      const message = `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`
      env.writer.event(d, { type: 'Normal', reason: 'ScalingReplicaSet', message })
    }
    let needsUpdate = setDeploymentRevision(d, newRevision)
    if (!alreadyExists && hasProgressDeadline(d)) {
      const msg = `Created new replica set "${created.metadata.name}"`
      this.setStatusCondition(newCondition('Progressing', 'True', Reason.NewReplicaSet, msg, env.now()))
      needsUpdate = true
    }
    if (needsUpdate) await this.writeStatus()
    return created
  }

  /** A create that failed for another reason: report it in the Progressing condition and an event. */
  private async failedCreate(rs: ReplicaSet, e: unknown): Promise<never> {
    const reason = (e as { status?: { details?: { causes?: { reason?: string }[] } } }).status?.details?.causes
    if (!reason?.some(c => c.reason === 'NamespaceTerminating')) {
      const msg = `Failed to create new replica set "${rs.metadata.name}": ${e instanceof Error ? e.message : e}`
      if (hasProgressDeadline(this.d)) {
        this.setStatusCondition(newCondition('Progressing', 'False', Reason.FailedRSCreate, msg, this.env.now()))
        await this.writeStatus().catch(() => {})
      }
      this.env.writer.event(this.d, { type: 'Warning', reason: Reason.FailedRSCreate, message: msg })
    }
    throw e
  }

  private setStatusCondition(cond: ReturnType<typeof newCondition>): void {
    this.d.status ??= {}
    setCondition(this.d.status, cond)
  }

  /** scaleReplicaSetAndRecordEvent: resizes when the size differs. */
  async scaleAndRecord(rs: ReplicaSet, to: number): Promise<boolean> {
    const cur = specReplicas(this.latest(rs))
    if (cur === to) return false
    return this.scaleReplicaSet(rs, to, cur < to ? 'up' : 'down')
  }

  /** scaleReplicaSet: writes the size and replica annotations when either is stale; true when resized. */
  async scaleReplicaSet(rs: ReplicaSet, to: number, direction: string): Promise<boolean> {
    const { d } = this
    const cur = this.latest(rs)
    const replicas = specReplicas(d)
    const max = replicas + maxSurge(d)
    const sizeChanges = specReplicas(cur) !== to
    if (!sizeChanges && !replicasAnnotationsNeedUpdate(cur, replicas, max)) return false
    const copy = structuredClone(cur)
    copy.spec.replicas = to
    setReplicasAnnotations(copy, replicas, max)
    const stored = this.remember(await this.env.writer.updateReplicaSet(copy))
    if (!sizeChanges) return false
    const message = `Scaled ${direction} replica set ${stored.metadata.name} from ${specReplicas(cur)} to ${to}`
    this.env.writer.event(d, { type: 'Normal', reason: 'ScalingReplicaSet', message })
    return true
  }

  /** scale: a plain resize (scaling event or paused Deployment); see planScale. */
  async scale({ newRS, oldRSs }: Split): Promise<void> {
    const plan = planScale(this.d, newRS, oldRSs)
    for (const { rs, to } of plan.scales) {
      if (plan.proportional) await this.scaleReplicaSet(rs, to, plan.proportional.direction)
      else await this.scaleAndRecord(rs, to)
    }
  }

  /** cleanupDeployment: deletes old ReplicaSets past revisionHistoryLimit. */
  async cleanup(oldRSs: ReplicaSet[]): Promise<void> {
    for (const rs of planCleanup(
      this.d,
      oldRSs.map(x => this.latest(x)),
    )) {
      this.env.log.debug({ replicaSet: rs.metadata.name }, 'Deleting old replica set past revisionHistoryLimit')
      await this.env.writer.deleteReplicaSet(rs)
    }
  }

  /** The freshest new and old ReplicaSets of a split, for status. */
  private all({ newRS, oldRSs }: Split): { all: ReplicaSet[]; newRS?: ReplicaSet } {
    const fresh = newRS && this.latest(newRS)
    return { all: [...oldRSs.map(rs => this.latest(rs)), ...(fresh ? [fresh] : [])], newRS: fresh }
  }

  /** syncDeploymentStatus: writes calculateStatus when it differs. */
  async syncDeploymentStatus(split: Split): Promise<void> {
    const { all, newRS } = this.all(split)
    const status = calculateStatus(all, newRS, this.d, this.env.now())
    if (deepEqual(compactStatus(this.d.status ?? {}), status)) return
    this.d.status = status
    await this.writeStatus()
  }

  /** syncRolloutStatus: writes the rollout status when it differs; else returns when to check the deadline. */
  async syncRolloutStatus(split: Split): Promise<number | undefined> {
    const { all, newRS } = this.all(split)
    const now = this.env.now()
    const status = rolloutStatus(all, newRS, this.d, now)
    if (deepEqual(compactStatus(this.d.status ?? {}), status)) return progressCheckAfter(this.d, status, now)
    this.d.status = status
    await this.writeStatus()
    return undefined
  }

  /** checkPausedConditions: Progressing Unknown DeploymentPaused / DeploymentResumed. */
  async checkPausedConditions(): Promise<void> {
    const { d } = this
    if (!hasProgressDeadline(d)) return
    const cond = getCondition(d.status, 'Progressing')
    if (cond?.reason === Reason.TimedOut) return
    const pausedCond = cond?.reason === Reason.Paused
    const now = this.env.now()
    if (d.spec.paused && !pausedCond) {
      this.setStatusCondition(newCondition('Progressing', 'Unknown', Reason.Paused, 'Deployment is paused', now))
    } else if (!d.spec.paused && pausedCond) {
      this.setStatusCondition(newCondition('Progressing', 'Unknown', Reason.Resumed, 'Deployment is resumed', now))
    } else return
    await this.writeStatus()
  }
}
