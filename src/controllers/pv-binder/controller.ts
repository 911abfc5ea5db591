/**
 * The PersistentVolume controller (kube-controller-manager's persistentvolume-binder): binds
 * claims to volumes, hands claims of external classes to their provisioner, tracks phases, and
 * reclaims released volumes (Retain, Recycle, Delete). Two queues as upstream: claims
 * (`namespace/name`) and volumes (`name`). Decisions are in plan-claim.ts / plan-volume.ts;
 * writes go through BinderWrites; disk access through VolumeStorage.
 */
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/core.js'
import type { Pod } from '../../api/pod.js'
import type { StorageClass } from '../../api/storage.js'
import { keyOf } from '../../client/cache.js'
import type { Clock } from '../../client/clock.js'
import { EventRecorder } from '../../client/events.js'
import type { Informer } from '../../client/informer.js'
import type { InformerFactory } from '../../client/informer-factory.js'
import { type Logger, silentLogger } from '../../client/log.js'
import { PERSISTENT_VOLUME_CLAIMS, PERSISTENT_VOLUMES, PODS, STORAGE_CLASSES } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { Controller } from '../runtime/controller.js'
import type { Runnable } from '../runtime/manager.js'
import { done, type Result, requeueAfter } from '../runtime/result.js'
import { BinderActions } from './actions.js'
import { claimWithClass } from './bind.js'
import { LatestObjects } from './latest.js'
import { AnnBindCompleted } from './names.js'
import { planClaim } from './plan-claim.js'
import { planReclaim, planVolume, shouldMarkReleased } from './plan-volume.js'
import { byPodClaims, isPodTerminated, POD_CLAIM_INDEX } from './pods.js'
import { HostVolumeStorage, type VolumeStorage } from './volume-storage.js'
import { type BinderWrites, RestBinderWrites } from './writes.js'

/** Index of volumes by the `namespace/name` their claimRef names. */
const VOLUME_CLAIM_INDEX = 'pv-binder/claimRef'

/** Options of the PersistentVolumeBinder. */
export interface PersistentVolumeBinderOptions {
  client: RestClient
  informers: InformerFactory
  log?: Logger
  clock?: Clock
  /** `<data-dir>/volumes`: local volumes inside it may be recycled. */
  volumesDir?: string
  /** How often unbound claims and unreclaimed volumes are looked at again (--pvclaimbinder-sync-period). Default 15 s. */
  resyncMs?: number
  /** Workers per queue. Default 4 (see README: why more than upstream's one is safe). */
  workers?: number
  /** Disk access for Recycle and hostPath Delete. Default: this host's filesystem. */
  storage?: VolumeStorage
}

/** The PV controller as one Runnable running its claim and volume queues. */
export class PersistentVolumeBinder implements Runnable {
  readonly name = 'persistentvolume-binder'
  private readonly claimQueue: Controller
  private readonly volumeQueue: Controller
  private readonly claims: LatestObjects<PersistentVolumeClaim>
  private readonly volumes: LatestObjects<PersistentVolume>
  private readonly classes: Informer<StorageClass>
  private readonly pods: Informer<Pod>
  private readonly volumeInformer: Informer<PersistentVolume>
  private readonly writes: BinderWrites
  private readonly actions: BinderActions
  private readonly events: EventRecorder
  private readonly resyncMs: number

  constructor(opts: PersistentVolumeBinderOptions) {
    const log = opts.log ?? silentLogger
    const claimInformer = opts.informers.forResource<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS)
    this.volumeInformer = opts.informers.forResource<PersistentVolume>(PERSISTENT_VOLUMES)
    this.volumeInformer.addIndexers({ [VOLUME_CLAIM_INDEX]: claimRefKeys })
    this.classes = opts.informers.forResource<StorageClass>(STORAGE_CLASSES)
    this.pods = opts.informers.forResource<Pod>(PODS)
    this.pods.addIndexers({ [POD_CLAIM_INDEX]: byPodClaims })
    this.claims = new LatestObjects(claimInformer)
    this.volumes = new LatestObjects(this.volumeInformer)
    this.resyncMs = opts.resyncMs ?? 15_000
    this.writes = new RestBinderWrites(opts.client, this.volumes, this.claims)
    this.events = new EventRecorder(opts.client, { component: 'persistentvolume-controller', clock: opts.clock, log })
    this.actions = new BinderActions({
      writes: this.writes,
      events: this.events,
      storage: opts.storage ?? new HostVolumeStorage(opts.volumesDir),
      volumesDir: opts.volumesDir,
      cachedClaim: key => this.claims.get(key),
      podsUsingClaim: key => this.livePodsUsing(key).map(keyOf),
    })
    const common = { log, clock: opts.clock, workers: opts.workers ?? 4 }
    this.claimQueue = new Controller({
      ...common,
      name: 'persistentvolume-binder-claims',
      reconcile: k => this.syncClaim(k),
    })
    this.volumeQueue = new Controller({
      ...common,
      name: 'persistentvolume-binder-volumes',
      reconcile: k => this.syncVolume(k),
    })
    this.claimQueue
      .for(claimInformer)
      .watches(this.volumeInformer, v => this.claimKeysFor(v))
      .watches(this.classes, () => this.unboundClaimKeys())
      .waitsFor(this.pods)
    this.volumeQueue
      .for(this.volumeInformer)
      .watches(claimInformer, c => this.volumeKeysFor(c))
      .waitsFor(claimInformer)
      .waitsFor(this.classes)
      .waitsFor(this.pods)
  }

  run(signal: AbortSignal): Promise<void> {
    return Promise.all([this.claimQueue.run(signal), this.volumeQueue.run(signal)]).then(() => undefined)
  }

  /** syncClaim for one `namespace/name`. */
  private async syncClaim(key: string): Promise<Result> {
    const claim = this.claims.get(key)
    if (!claim) return done
    const unscheduledPods = this.livePodsUsing(key)
      .filter(p => !p.spec?.nodeName)
      .map(p => p.metadata.name ?? '')
    const plan = planClaim({
      claim,
      volumes: this.volumes.list(),
      classes: this.classes.lister.list(),
      unscheduledPods,
    })
    switch (plan.action) {
      case 'bind':
        await this.actions.bind(plan.volume, claim)
        return done
      case 'assignDefaultClass':
        // The update wakes this claim again, now with a class.
        await this.writes.updateClaim(claimWithClass(claim, plan.className))
        return done
      case 'provision':
        await this.actions.provisionExternally(claim, plan.provisioner)
        return requeueAfter(this.resyncMs)
      case 'report':
        this.events.event(claim, plan.event)
        return requeueAfter(this.resyncMs)
      case 'status':
        await this.actions.setClaimStatus(claim, plan.phase, {
          event: plan.event,
          onlyOnChange: plan.eventOnlyOnChange,
        })
        return plan.phase === 'Pending' ? requeueAfter(this.resyncMs) : done
      case 'fail':
        this.events.event(claim, plan.event)
        throw new Error(plan.message)
    }
  }

  /** syncVolume for one volume name. */
  private async syncVolume(key: string): Promise<Result> {
    let volume = this.volumes.get(key)
    if (!volume) return done
    const plan = planVolume(volume, await this.claimOf(volume))
    switch (plan.action) {
      case 'phase':
        await this.actions.setVolumePhase(volume, plan.phase)
        return done
      case 'syncClaim':
        this.claimQueue.enqueue(plan.claimKey)
        return done
      case 'mismatch': {
        this.events.event(volume, plan.volumeEvent)
        const claim = this.claims.get(plan.claimKey)
        if (claim) this.events.event(claim, plan.claimEvent)
        return done
      }
      case 'unbind':
        await this.actions.unbind(volume)
        return done
      case 'reclaim': {
        if (shouldMarkReleased(volume)) volume = await this.actions.setVolumePhase(volume, 'Released')
        const reclaim = planReclaim(volume)
        if (reclaim.action === 'none') return done
        if (reclaim.action === 'fail') await this.actions.setVolumePhase(volume, 'Failed', reclaim.event)
        else if (reclaim.action === 'recycle') await this.actions.recycle(volume)
        else await this.actions.delete(volume)
        // Upstream retries reclaiming on every resync while the volume stays Released or Failed.
        return requeueAfter(this.resyncMs)
      }
    }
  }

  /**
   * The claim the volume's claimRef names, double-checked with the API server before a volume
   * is treated as released (the claim may be newer than our cache). Undefined when it does not
   * exist or has another uid.
   */
  private async claimOf(volume: PersistentVolume): Promise<PersistentVolumeClaim | undefined> {
    const ref = volume.spec?.claimRef
    if (!ref?.uid || !ref.name || !ref.namespace) return undefined
    let claim = this.claims.get(`${ref.namespace}/${ref.name}`)
    // Only a volume not yet Released or Failed is worth a live read (upstream does the same).
    if (!claim && shouldMarkReleased(volume)) claim = await this.writes.getClaim(ref.namespace, ref.name)
    if (claim && claim.metadata.uid !== ref.uid) claim = await this.writes.getClaim(ref.namespace, ref.name)
    return claim?.metadata.uid === ref.uid ? claim : undefined
  }

  /** Live pods (not terminated) that mount the claim `namespace/name`. */
  private livePodsUsing(claimKey: string): Pod[] {
    return this.pods.lister.byIndex(POD_CLAIM_INDEX, claimKey).filter(p => !isPodTerminated(p))
  }

  /** Claims a volume change may concern: the one it names, or every unbound claim if it is free. */
  private claimKeysFor(volume: PersistentVolume): string[] {
    const named = claimRefKeys(volume)
    if (named.length) return named
    return volume.status?.phase === 'Available' ? this.unboundClaimKeys() : []
  }

  /** Volumes a claim change may concern: the one it names and those whose claimRef names it. */
  private volumeKeysFor(claim: PersistentVolumeClaim): string[] {
    const keys = this.volumeInformer.lister.byIndex(VOLUME_CLAIM_INDEX, keyOf(claim)).map(keyOf)
    const named = claim.spec?.volumeName
    if (named && !keys.includes(named)) keys.push(named)
    return keys
  }

  private unboundClaimKeys(): string[] {
    return this.claims
      .list()
      .filter(c => c.metadata.annotations?.[AnnBindCompleted] === undefined)
      .map(keyOf)
  }
}

/** The `namespace/name` a volume's claimRef names, if any. */
function claimRefKeys(obj: { spec?: unknown }): string[] {
  const ref = (obj as PersistentVolume).spec?.claimRef
  return ref?.name && ref.namespace ? [`${ref.namespace}/${ref.name}`] : []
}
