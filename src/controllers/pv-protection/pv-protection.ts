/**
 * The PV protection controller (kube-controller-manager's pv-protection): every volume carries
 * `kubernetes.io/pv-protection`, and a deleted volume keeps it while its phase is Bound.
 * Upstream's admission plugin adds the finalizer at creation; this controller adds it to any
 * volume still missing it.
 */
import type { PersistentVolume } from '../../api/core.js'
import type { Clock } from '../../client/clock.js'
import type { Informer } from '../../client/informer.js'
import type { InformerFactory } from '../../client/informer-factory.js'
import { type Logger, silentLogger } from '../../client/log.js'
import { PERSISTENT_VOLUMES } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { isNotFound } from '../../machinery/status-error.js'
import { Controller } from '../runtime/controller.js'
import type { Runnable } from '../runtime/manager.js'
import { done, type Result } from '../runtime/result.js'
import { PVProtectionFinalizer, planVolumeProtection, withFinalizer } from './plan.js'

/** Options of the PvProtectionController. */
export interface PvProtectionControllerOptions {
  client: RestClient
  informers: InformerFactory
  log?: Logger
  clock?: Clock
}

/** Adds and removes `kubernetes.io/pv-protection`. */
export class PvProtectionController implements Runnable {
  readonly name = 'pv-protection'
  private readonly controller: Controller
  private readonly volumes: Informer<PersistentVolume>

  constructor(private readonly opts: PvProtectionControllerOptions) {
    this.volumes = opts.informers.forResource<PersistentVolume>(PERSISTENT_VOLUMES)
    this.controller = new Controller({
      name: 'pv-protection',
      log: opts.log ?? silentLogger,
      clock: opts.clock,
      reconcile: key => this.reconcile(key),
    })
    this.controller.for(this.volumes)
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal)
  }

  private async reconcile(key: string): Promise<Result> {
    const volume = this.volumes.lister.get(key)
    if (!volume) return done
    const action = planVolumeProtection(volume)
    if (action === 'none') return done
    try {
      await this.opts.client.update(PERSISTENT_VOLUMES, withFinalizer(volume, PVProtectionFinalizer, action))
    } catch (err) {
      if (!isNotFound(err)) throw err
    }
    return done
  }
}
