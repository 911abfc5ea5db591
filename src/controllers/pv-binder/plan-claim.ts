/**
 * What the PV controller does next for one claim (upstream syncClaim → syncUnboundClaim /
 * syncBoundClaim, and provisionClaim's choice of provisioner). Pure: data in, a plan out; the
 * controller performs it. Messages are upstream's, because `kubectl describe` shows them.
 */
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/core.js'
import type { StorageClass } from '../../api/storage.js'
import {
  claimClassOf,
  claimHasClass,
  findBestMatchForClaim,
  getDefaultClass,
  isDelayBindingMode,
  isVolumeBoundToClaim,
  volumeUnsatisfiedReason,
} from './match.js'
import { AnnBindCompleted, AnnBoundByController, AnnSelectedNode, type PlannedEvent, Reasons } from './names.js'

/** Everything syncClaim looks at, read from caches. */
export interface ClaimFacts {
  claim: PersistentVolumeClaim
  /** Every PersistentVolume, newest known versions. */
  volumes: readonly PersistentVolume[]
  classes: readonly StorageClass[]
  /** Names of live, unscheduled pods that use the claim (for WaitForPodScheduled). */
  unscheduledPods: readonly string[]
}

/** The next step for a claim. */
export type ClaimPlan =
  /** Run bind(volume, claim): PV spec, PV status, claim spec, claim status, in that order. */
  | { action: 'bind'; volume: PersistentVolume }
  /** Retroactive default class: set spec.storageClassName; the update triggers the next sync. */
  | { action: 'assignDefaultClass'; className: string }
  /** Hand the claim to an external provisioner: annotate it and record ExternalProvisioning. */
  | { action: 'provision'; provisioner: string }
  /** Set the claim's phase (clearing accessModes/capacity); record `event` always, or only on a change. */
  | { action: 'status'; phase: 'Pending' | 'Lost'; event?: PlannedEvent; eventOnlyOnChange?: boolean }
  /** Only record an event (provisioning could not start). */
  | { action: 'report'; event: PlannedEvent }
  /** An inconsistency a retry may clear: record the event and fail the sync. */
  | { action: 'fail'; message: string; event: PlannedEvent }

const normal = (reason: string, message: string): PlannedEvent => ({ type: 'Normal', reason, message })
const warning = (reason: string, message: string): PlannedEvent => ({ type: 'Warning', reason, message })
const pending = (event?: PlannedEvent): ClaimPlan => ({ action: 'status', phase: 'Pending', event })
const lost = (reason: string, message: string): ClaimPlan => ({
  action: 'status',
  phase: 'Lost',
  event: warning(reason, message),
  eventOnlyOnChange: true,
})

/** syncClaim: claims without bind-completed are still being bound. */
export function planClaim(facts: ClaimFacts): ClaimPlan {
  const done = facts.claim.metadata.annotations?.[AnnBindCompleted] !== undefined
  return done ? planBoundClaim(facts) : planUnboundClaim(facts)
}

/** syncUnboundClaim. */
export function planUnboundClaim(facts: ClaimFacts): ClaimPlan {
  const { claim, volumes, classes } = facts
  const wanted = claim.spec?.volumeName
  if (!wanted) {
    const delayBinding = isDelayBindingMode(claim, classes)
    const volume = findBestMatchForClaim(claim, volumes, { delayBinding })
    if (volume) return { action: 'bind', volume }
    const fallback = claimHasClass(claim) ? undefined : getDefaultClass(classes)
    if (fallback?.metadata.name) return { action: 'assignDefaultClass', className: fallback.metadata.name }
    if (delayBinding && claim.metadata.annotations?.[AnnSelectedNode] === undefined)
      return pending(waitForConsumerEvent(facts.unscheduledPods))
    if (claimClassOf(claim)) return planProvisioning(claim, classes)
    return pending(
      normal(Reasons.FailedBinding, 'no persistent volumes available for this claim and no storage class is set'),
    )
  }
  // The user asked for a specific volume.
  const volume = volumes.find(v => v.metadata.name === wanted)
  if (!volume) return pending()
  if (!volume.spec?.claimRef) {
    const why = volumeUnsatisfiedReason(volume, claim)
    if (why) return pending(warning(Reasons.VolumeMismatch, `Cannot bind to requested volume "${wanted}": ${why}`))
    return { action: 'bind', volume }
  }
  if (isVolumeBoundToClaim(volume, claim)) return { action: 'bind', volume }
  const event = warning(Reasons.FailedBinding, `volume "${wanted}" already bound to a different claim.`)
  if (claim.metadata.annotations?.[AnnBoundByController] === undefined) return pending(event)
  const ref = volume.spec.claimRef
  return {
    action: 'fail',
    event,
    message: `invalid binding of claim "${claim.metadata.namespace}/${claim.metadata.name}" to volume "${wanted}": volume already claimed by "${ref.namespace}/${ref.name}"`,
  }
}

/** syncBoundClaim: keep a completed binding consistent, or declare the claim Lost. */
export function planBoundClaim(facts: ClaimFacts): ClaimPlan {
  const { claim } = facts
  const name = claim.spec?.volumeName
  if (!name)
    return lost(Reasons.ClaimLost, 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!')
  const volume = facts.volumes.find(v => v.metadata.name === name)
  if (!volume) return lost(Reasons.ClaimLost, 'Bound claim has lost its PersistentVolume. Data on the volume is lost!')
  const ref = volume.spec?.claimRef
  // No claimRef: the volume came unbound, or we have not seen our own write yet; bind again.
  if (!ref || ref.uid === claim.metadata.uid) return { action: 'bind', volume }
  return lost(Reasons.ClaimMisbound, 'Two claims are bound to the same volume, this one is bound incorrectly')
}

/** emitEventForUnboundDelayBindingClaim. */
export function waitForConsumerEvent(unscheduledPods: readonly string[]): PlannedEvent {
  if (unscheduledPods.length === 0)
    return normal(Reasons.WaitForFirstConsumer, 'waiting for first consumer to be created before binding')
  const message =
    unscheduledPods.length > 1
      ? `waiting for pods ${unscheduledPods.join(',')} to be scheduled`
      : `waiting for pod ${unscheduledPods[0]} to be scheduled`
  return normal(Reasons.WaitForPodScheduled, message)
}

/**
 * provisionClaim / findProvisionablePlugin. petset has no in-tree ("kubernetes.io/") plugins, so
 * those fail as upstream's plugin lookup does; every other provisioner is external.
 */
export function planProvisioning(claim: PersistentVolumeClaim, classes: readonly StorageClass[]): ClaimPlan {
  const name = claimClassOf(claim)
  const sc = classes.find(c => c.metadata.name === name)
  if (!sc)
    return {
      action: 'report',
      event: warning(Reasons.ProvisioningFailed, `storageclass.storage.k8s.io "${name}" not found`),
    }
  if (sc.provisioner.startsWith('kubernetes.io/'))
    return {
      action: 'report',
      event: warning(Reasons.ProvisioningFailed, `no volume plugin matched name: ${sc.provisioner}`),
    }
  return { action: 'provision', provisioner: sc.provisioner }
}

/** The ExternalProvisioning event text (provisionClaimOperationExternal). */
export function externalProvisioningMessage(provisioner: string): string {
  return (
    `Waiting for a volume to be created either by the external provisioner '${provisioner}' ` +
    'or manually by the system administrator. If volume creation is delayed, please verify that ' +
    'the provisioner is running and correctly registered.'
  )
}
