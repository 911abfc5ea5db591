/**
 * The PVC protection controller (kube-controller-manager's pvc-protection): every claim carries
 * `kubernetes.io/pvc-protection`, and a deleted claim keeps it until no scheduled pod mounts the
 * claim. Upstream's admission plugin adds the finalizer at creation; this controller adds it to
 * any claim still missing it. "Not used" is double-checked with a live pod list, because a
 * pod created a moment ago may not be in the cache yet.
 */
import type { PersistentVolumeClaim } from '../../api/core.js'
import type { Pod } from '../../api/pod.js'
import type { Clock } from '../../client/clock.js'
import type { Informer } from '../../client/informer.js'
import type { InformerFactory } from '../../client/informer-factory.js'
import { type Logger, silentLogger } from '../../client/log.js'
import { PERSISTENT_VOLUME_CLAIMS, PODS } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { isNotFound } from '../../machinery/status-error.js'
import { Controller } from '../runtime/controller.js'
import type { Runnable } from '../runtime/manager.js'
import { done, type Result } from '../runtime/result.js'
import {
  claimKeysOf,
  isDeletionCandidate,
  PVCProtectionFinalizer,
  planClaimProtection,
  podUsesClaim,
  withFinalizer,
} from './plan.js'

/** Index of pods by the `namespace/claim` keys of the claims they mount. */
const POD_CLAIM_INDEX = 'pvc-protection/podClaims'

/** Options of the PvcProtectionController. */
export interface PvcProtectionControllerOptions {
  client: RestClient
  informers: InformerFactory
  log?: Logger
  clock?: Clock
}

/** Adds and removes `kubernetes.io/pvc-protection`. */
export class PvcProtectionController implements Runnable {
  readonly name = 'pvc-protection'
  private readonly controller: Controller
  private readonly claims: Informer<PersistentVolumeClaim>
  private readonly pods: Informer<Pod>

  constructor(private readonly opts: PvcProtectionControllerOptions) {
    this.claims = opts.informers.forResource<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS)
    this.pods = opts.informers.forResource<Pod>(PODS)
    this.pods.addIndexers({ [POD_CLAIM_INDEX]: obj => claimKeysOf(obj as Pod) })
    this.controller = new Controller({
      name: 'pvc-protection',
      log: opts.log ?? silentLogger,
      clock: opts.clock,
      reconcile: key => this.reconcile(key),
    })
    // A pod change matters only to claims waiting on their finalizer.
    this.controller.for(this.claims).watches(this.pods, pod =>
      claimKeysOf(pod).filter(k => {
        const claim = this.claims.lister.get(k)
        return claim !== undefined && isDeletionCandidate(claim, PVCProtectionFinalizer)
      }),
    )
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal)
  }

  private async reconcile(key: string): Promise<Result> {
    const claim = this.claims.lister.get(key)
    if (!claim) return done
    const deleting = isDeletionCandidate(claim, PVCProtectionFinalizer)
    const action = planClaimProtection(claim, deleting && (await this.isUsed(claim)))
    if (action === 'none') return done
    try {
      await this.opts.client.update(PERSISTENT_VOLUME_CLAIMS, withFinalizer(claim, PVCProtectionFinalizer, action))
    } catch (err) {
      // Gone meanwhile: nothing left to protect.
      if (!isNotFound(err)) throw err
    }
    return done
  }

  /** isBeingUsed: the informer first; if it sees no user, a live list to be sure. */
  private async isUsed(claim: PersistentVolumeClaim): Promise<boolean> {
    const name = claim.metadata.name ?? ''
    const cached = this.pods.lister.byIndex(POD_CLAIM_INDEX, `${claim.metadata.namespace}/${name}`)
    if (cached.some(p => podUsesClaim(p, name))) return true
    const live = await this.opts.client.list<Pod>(PODS, { namespace: claim.metadata.namespace })
    return live.items.some(p => podUsesClaim(p, name))
  }
}
