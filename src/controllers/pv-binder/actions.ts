/**
 * The PV controller's multi-step operations (upstream bind, unbindVolume, updateClaimStatus(WithEvent),
 * updateVolumePhase(WithEvent), recycleVolumeOperation, deleteVolumeOperation). Each step writes
 * only what changed and is safe to repeat: a failure part-way leaves a state the next sync finishes.
 */
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/core.js'
import type { EventRecorder } from '../../client/events.js'
import {
  claimBoundToVolume,
  claimWithProvisioner,
  claimWithStatus,
  volumeBoundToClaim,
  volumeUnbound,
  volumeWithPhase,
} from './bind.js'
import type { PlannedEvent } from './names.js'
import { Reasons } from './names.js'
import { externalProvisioningMessage } from './plan-claim.js'
import { deleterOf, isVolumeReleased, recycleTargetOf } from './plan-volume.js'
import type { VolumeStorage } from './volume-storage.js'
import type { BinderWrites } from './writes.js'

/** What the operations need beyond the writes. */
export interface BinderActionsDeps {
  writes: BinderWrites
  events: Pick<EventRecorder, 'event'>
  storage: VolumeStorage
  volumesDir?: string
  /** The cached claim named by a claimRef key (`namespace/name`). */
  cachedClaim(key: string): PersistentVolumeClaim | undefined
  /** `namespace/name` of live (not terminated) pods using the claim key. */
  podsUsingClaim(key: string): string[]
}

const claimKeyOf = (v: PersistentVolume) => `${v.spec?.claimRef?.namespace}/${v.spec?.claimRef?.name}`
const message = (e: unknown) => (e instanceof Error ? e.message : String(e))

/** Binding, status and reclaim operations over BinderWrites. */
export class BinderActions {
  constructor(private readonly d: BinderActionsDeps) {}

  /** bind: volume spec, volume status, claim spec, claim status; returns on the first error. */
  async bind(volume: PersistentVolume, claim: PersistentVolumeClaim): Promise<void> {
    const { writes } = this.d
    const v1 = volumeBoundToClaim(volume, claim)
    if (v1) volume = await writes.updateVolume(v1)
    const v2 = volumeWithPhase(volume, 'Bound')
    if (v2) volume = await writes.updateVolumeStatus(v2)
    const c1 = claimBoundToVolume(claim, volume)
    if (c1) claim = await writes.updateClaim(c1)
    const c2 = claimWithStatus(claim, 'Bound', volume)
    if (c2) await writes.updateClaimStatus(c2)
  }

  /** unbindVolume: drop (or, if user-made, un-uid) the binding, then phase Available. */
  async unbind(volume: PersistentVolume): Promise<void> {
    const stored = await this.d.writes.updateVolume(volumeUnbound(volume))
    await this.setVolumePhase(stored, 'Available')
  }

  /** updateClaimStatus(WithEvent): `event` always, or with onlyOnChange only when the phase moves. */
  async setClaimStatus(
    claim: PersistentVolumeClaim,
    phase: string,
    opts: { event?: PlannedEvent; onlyOnChange?: boolean } = {},
  ): Promise<void> {
    if (opts.onlyOnChange && claim.status?.phase === phase) return
    if (opts.event && !opts.onlyOnChange) this.d.events.event(claim, opts.event)
    const next = claimWithStatus(claim, phase)
    const stored = next ? await this.d.writes.updateClaimStatus(next) : claim
    if (opts.event && opts.onlyOnChange) this.d.events.event(stored, opts.event)
  }

  /** setClaimProvisioner, then the ExternalProvisioning event. */
  async provisionExternally(claim: PersistentVolumeClaim, provisioner: string): Promise<void> {
    const next = claimWithProvisioner(claim, provisioner)
    const stored = next ? await this.d.writes.updateClaim(next) : claim
    this.d.events.event(stored, {
      type: 'Normal',
      reason: Reasons.ExternalProvisioning,
      message: externalProvisioningMessage(provisioner),
    })
  }

  /** updateVolumePhase(WithEvent): only on a change; the event's message becomes status.message. */
  async setVolumePhase(volume: PersistentVolume, phase: string, event?: PlannedEvent): Promise<PersistentVolume> {
    const next = volumeWithPhase(volume, phase, event?.message)
    if (!next) return volume
    const stored = await this.d.writes.updateVolumeStatus(next)
    if (event) this.d.events.event(stored, event)
    return stored
  }

  /** recycleVolumeOperation: scrub the directory, then make the volume Available again. */
  async recycle(volume: PersistentVolume): Promise<void> {
    const live = await this.d.writes.getVolume(volume.metadata.name ?? '')
    if (!live) return
    const key = claimKeyOf(live)
    const cached = this.d.cachedClaim(key)
    if (!isVolumeReleased(live, cached)) return
    const users = this.d.podsUsingClaim(key)
    if (users.length && !cached) {
      const msg = `Volume is used by pods: ${users.join(',')}`
      this.d.events.event(live, { type: 'Normal', reason: Reasons.VolumeFailedRecycle, message: msg })
      return
    }
    const failed = (msg: string) => ({ type: 'Warning' as const, reason: Reasons.VolumeFailedRecycle, message: msg })
    const target = recycleTargetOf(live, this.d.volumesDir)
    if (!target) {
      await this.setVolumePhase(live, 'Failed', failed('No recycler plugin found for the volume!'))
      return
    }
    try {
      await this.d.storage.scrub(target)
    } catch (e) {
      await this.setVolumePhase(live, 'Failed', failed(`Recycle failed: ${message(e)}`))
      return
    }
    this.d.events.event(live, { type: 'Normal', reason: Reasons.VolumeRecycled, message: 'Volume recycled' })
    await this.unbind(live)
  }

  /** deleteVolumeOperation: delete the storage (unless an external deleter owns it), then the PV. */
  async delete(volume: PersistentVolume): Promise<void> {
    const live = await this.d.writes.getVolume(volume.metadata.name ?? '')
    if (!live) return
    if (!isVolumeReleased(live, this.d.cachedClaim(claimKeyOf(live)))) return
    const deleter = deleterOf(live)
    if (deleter.kind === 'external') return
    const failed = (msg: string) => ({ type: 'Warning' as const, reason: Reasons.VolumeFailedDelete, message: msg })
    if (deleter.kind === 'none') {
      await this.setVolumePhase(live, 'Failed', failed(deleter.message))
      return
    }
    try {
      await this.d.storage.remove(deleter.path)
    } catch (e) {
      await this.setVolumePhase(live, 'Failed', failed(message(e)))
      return
    }
    await this.d.writes.deleteVolume(live)
  }
}
