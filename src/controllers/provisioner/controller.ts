/**
 * The local-path provisioner (an external provisioner in upstream's sense, shaped after
 * sig-storage-lib-external-provisioner and rancher's local-path-provisioner): provisions claims
 * the PV controller hands to `petset.dev/local-path` as directories under the volumes directory,
 * deletes them when their Released volume has reclaim policy Delete, and makes sure a default
 * StorageClass exists at start.
 * NOTE: in the all-in-one every node shares this host's disk, so the provisioner acts locally
 * for any node. A remote node agent would have to own its own directories (a later issue).
 */
import { hostname } from 'node:os'
import type { Node, PersistentVolume, PersistentVolumeClaim } from '../../api/core.js'
import type { StorageClass } from '../../api/storage.js'
import { type Clock, realClock } from '../../client/clock.js'
import { EventRecorder } from '../../client/events.js'
import type { Informer } from '../../client/informer.js'
import type { InformerFactory } from '../../client/informer-factory.js'
import { type Logger, silentLogger } from '../../client/log.js'
import { NODES, PERSISTENT_VOLUME_CLAIMS, PERSISTENT_VOLUMES, STORAGE_CLASSES } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { isAlreadyExists, isConflict, isNotFound } from '../../machinery/status-error.js'
import { Controller } from '../runtime/controller.js'
import type { Runnable } from '../runtime/manager.js'
import { done, type Result, TerminalError } from '../runtime/result.js'
import { LocalPathDirectories, type VolumeDirectories } from './local-path.js'
import {
  AnnSelectedNode,
  chooseNode,
  classToProvision,
  LocalPathProvisionerName,
  newProvisionedVolume,
  planDefaultClass,
  shouldDelete,
  unsupportedReason,
  volumeNameFor,
} from './plan.js'

/** Options of the LocalPathProvisioner. */
export interface LocalPathProvisionerOptions {
  client: RestClient
  informers: InformerFactory
  log?: Logger
  clock?: Clock
  /** Where volume directories live: `<data-dir>/volumes`. */
  volumesDir: string
  /** The node that gets Immediate-mode volumes (the all-in-one's local node); else the first Ready node. */
  nodeName?: string
  /** Second half of the event source `petset.dev/local-path_<identity>`. Default: the host name. */
  identity?: string
  /** Create the `standard` default class at start if no class uses this provisioner. Default true. */
  ensureDefaultClass?: boolean
  /** Disk access (tests substitute it). Default: LocalPathDirectories(volumesDir). */
  directories?: VolumeDirectories
}

/** Provisions and deletes `petset.dev/local-path` volumes. */
export class LocalPathProvisioner implements Runnable {
  readonly name = 'local-path-provisioner'
  private readonly claimQueue: Controller
  private readonly volumeQueue: Controller
  private readonly claims: Informer<PersistentVolumeClaim>
  private readonly volumes: Informer<PersistentVolume>
  private readonly classes: Informer<StorageClass>
  private readonly nodes: Informer<Node>
  private readonly events: EventRecorder
  private readonly dirs: VolumeDirectories
  private readonly log: Logger
  private readonly clock: Clock

  constructor(private readonly opts: LocalPathProvisionerOptions) {
    this.log = (opts.log ?? silentLogger).child({ component: 'local-path-provisioner' })
    this.clock = opts.clock ?? realClock
    this.claims = opts.informers.forResource<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS)
    this.volumes = opts.informers.forResource<PersistentVolume>(PERSISTENT_VOLUMES)
    this.classes = opts.informers.forResource<StorageClass>(STORAGE_CLASSES)
    this.nodes = opts.informers.forResource<Node>(NODES)
    this.dirs = opts.directories ?? new LocalPathDirectories(opts.volumesDir)
    const component = `${LocalPathProvisionerName}_${opts.identity ?? hostname()}`
    this.events = new EventRecorder(opts.client, { component, clock: opts.clock, log: this.log })
    const common = { log: opts.log, clock: opts.clock, workers: 4 }
    this.claimQueue = new Controller({ ...common, name: 'local-path-provision', reconcile: k => this.provision(k) })
    this.volumeQueue = new Controller({ ...common, name: 'local-path-delete', reconcile: k => this.delete(k) })
    this.claimQueue
      .for(this.claims)
      .watches(this.volumes, v =>
        v.spec?.claimRef?.name ? [`${v.spec.claimRef.namespace}/${v.spec.claimRef.name}`] : [],
      )
      .waitsFor(this.classes)
      .waitsFor(this.nodes)
    this.volumeQueue.for(this.volumes)
  }

  async run(signal: AbortSignal): Promise<void> {
    const ensure = this.opts.ensureDefaultClass === false ? Promise.resolve() : this.ensureDefaultClass(signal)
    await Promise.all([ensure, this.claimQueue.run(signal), this.volumeQueue.run(signal)])
  }

  /** Creates the default class once the class cache has synced; retries with backoff until it exists. */
  private async ensureDefaultClass(signal: AbortSignal): Promise<void> {
    if (!(await this.classes.waitForSync(signal))) return
    for (let delay = 500; !signal.aborted; delay = Math.min(delay * 2, 30_000)) {
      const wanted = planDefaultClass(this.classes.lister.list())
      if (!wanted) return
      try {
        await this.opts.client.create(STORAGE_CLASSES, wanted)
        this.log.info({ storageClass: wanted.metadata.name }, 'Created the default StorageClass')
        return
      } catch (err) {
        if (isAlreadyExists(err)) return
        this.log.error({ err }, 'Creating the default StorageClass failed; retrying')
      }
      await this.clock.sleep(delay, signal)
    }
  }

  /** Provisions one claim (`namespace/name`) if it is ours and has no volume yet. */
  private async provision(key: string): Promise<Result> {
    const claim = this.claims.lister.get(key)
    if (!claim) return done
    const sc = classToProvision(claim, this.classes.lister.list())
    if (!sc) return done
    const name = volumeNameFor(claim)
    if (this.volumes.lister.get(name)) return done
    const failed = (why: string) =>
      this.events.event(claim, {
        type: 'Warning',
        reason: 'ProvisioningFailed',
        message: `failed to provision volume with StorageClass "${sc.metadata.name}": ${why}`,
      })
    const unsupported = unsupportedReason(claim)
    if (unsupported) {
      failed(unsupported)
      throw new TerminalError(unsupported)
    }
    this.events.event(claim, {
      type: 'Normal',
      reason: 'Provisioning',
      message: `External provisioner is provisioning volume for claim "${key}"`,
    })
    const node = this.nodeFor(claim)
    if ('error' in node) {
      failed(node.error)
      throw new Error(node.error)
    }
    let path: string
    try {
      path = await this.dirs.create(name)
    } catch (err) {
      failed((err as Error).message)
      throw err
    }
    const volume = newProvisionedVolume({ claim, storageClass: sc, name, path, node: node.name })
    try {
      await this.opts.client.create(PERSISTENT_VOLUMES, volume)
    } catch (err) {
      if (!isAlreadyExists(err)) {
        failed((err as Error).message)
        await this.dirs
          .remove(path)
          .catch(e => this.log.error({ err: e, path }, 'Cleaning up a volume directory failed'))
        throw err
      }
    }
    this.log.info({ claim: key, volume: name, node: node.name }, 'Provisioned volume')
    this.events.event(claim, {
      type: 'Normal',
      reason: 'ProvisioningSucceeded',
      message: `Successfully provisioned volume ${name}`,
    })
    return done
  }

  /** The claim's node, or why there is none. */
  private nodeFor(claim: PersistentVolumeClaim): { name: string } | { error: string } {
    const nodes = this.nodes.lister.list()
    const name = chooseNode(claim, nodes, this.opts.nodeName)
    if (!name) return { error: 'no Ready node to place the volume on' }
    const selected = claim.metadata.annotations?.[AnnSelectedNode]
    if (selected && !this.nodes.lister.get(selected))
      return { error: `failed to get target node: nodes "${selected}" not found` }
    return { name }
  }

  /** Deletes one Released volume of ours: its directory, then the PV. */
  private async delete(name: string): Promise<Result> {
    const cached = this.volumes.lister.get(name)
    if (!cached || !shouldDelete(cached)) return done
    // Data is about to go: decide on the live object, not the cache.
    let live: PersistentVolume
    try {
      live = await this.opts.client.get<PersistentVolume>(PERSISTENT_VOLUMES, name)
    } catch (err) {
      if (isNotFound(err)) return done
      throw err
    }
    if (!shouldDelete(live)) return done
    const dir = live.spec?.local?.path ?? live.spec?.hostPath?.path
    try {
      if (dir) await this.dirs.remove(dir)
    } catch (err) {
      this.events.event(live, { type: 'Warning', reason: 'VolumeFailedDelete', message: (err as Error).message })
      throw err
    }
    try {
      await this.opts.client.delete(PERSISTENT_VOLUMES, name, { preconditions: { uid: live.metadata.uid } })
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err
    }
    this.log.info({ volume: name, path: dir }, 'Deleted volume')
    return done
  }
}
