/**
 * The arithmetic of a rollout (upstream deploymentutil and rolling.go/sync.go): maxSurge and
 * maxUnavailable resolved against spec.replicas, how far the new ReplicaSet may grow, how far the
 * old ones may shrink, and proportional scaling. Functions return target sizes; they never write.
 */
import type { Deployment, ReplicaSet } from '../../api/apps.js'
import type { IntOrString } from '../../api/pod.js'
import { getScaledValueFromIntOrPercent } from '../../machinery/intstr.js'
import { intAnnotation, MaxReplicasAnnotation } from './annotations.js'
import {
  byCreationTimestamp,
  bySizeNewer,
  bySizeOlder,
  filterActive,
  specReplicas,
  sumSpecReplicas,
  sumStatus,
} from './replicasets.js'

/** One ReplicaSet resize the controller should make. */
export interface Scale {
  rs: ReplicaSet
  to: number
}

/** True for the RollingUpdate strategy (the default). */
export const isRollingUpdate = (d: Deployment): boolean =>
  (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate'

/**
 * ResolveFenceposts: maxSurge rounds up, maxUnavailable rounds down; when both come out 0,
 * maxUnavailable becomes 1 (a surge might be blocked by quota). Throws on a malformed value.
 */
export function resolveFenceposts(
  maxSurge: IntOrString | undefined,
  maxUnavailable: IntOrString | undefined,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = getScaledValueFromIntOrPercent(maxSurge ?? 0, desired, true)
  let unavailable = getScaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false)
  if (surge === 0 && unavailable === 0) unavailable = 1
  return { surge, unavailable }
}

/** MaxSurge: pods allowed above spec.replicas (0 for Recreate). */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0
  const ru = d.spec.strategy?.rollingUpdate
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, specReplicas(d)).surge
}

/** MaxUnavailable: pods allowed to be unavailable (0 for Recreate or 0 replicas; at most replicas). */
export function maxUnavailable(d: Deployment): number {
  const replicas = specReplicas(d)
  if (!isRollingUpdate(d) || replicas === 0) return 0
  const ru = d.spec.strategy?.rollingUpdate
  return Math.min(resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas).unavailable, replicas)
}

/**
 * NewRSNewReplicas: the new ReplicaSet's size. RollingUpdate grows it by what maxSurge leaves
 * room for, never past spec.replicas; Recreate sizes it to spec.replicas at once.
 */
export function newRSNewReplicas(d: Deployment, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet): number {
  const type = d.spec.strategy?.type ?? 'RollingUpdate'
  if (type === 'Recreate') return specReplicas(d)
  if (type !== 'RollingUpdate') throw new Error(`deployment type ${type} isn't supported`)
  const replicas = specReplicas(d)
  const surge = getScaledValueFromIntOrPercent(d.spec.strategy?.rollingUpdate?.maxSurge ?? 0, replicas, true)
  const current = sumSpecReplicas(allRSs)
  const maxTotal = replicas + surge
  if (current >= maxTotal) return specReplicas(newRS)
  return specReplicas(newRS) + Math.min(maxTotal - current, replicas - specReplicas(newRS))
}

/**
 * cleanupUnhealthyReplicas: shrink old ReplicaSets (oldest first) by their unavailable replicas,
 * at most maxCleanup in total; removing them cannot lower availability. Returns the resizes.
 */
export function planCleanupUnhealthy(oldRSs: ReplicaSet[], maxCleanup: number): Scale[] {
  const ops: Scale[] = []
  let cleaned = 0
  for (const rs of [...oldRSs].sort(byCreationTimestamp)) {
    if (cleaned >= maxCleanup) break
    const size = specReplicas(rs)
    const available = rs.status?.availableReplicas ?? 0
    if (size === 0 || size === available) continue
    const down = Math.min(maxCleanup - cleaned, size - available)
    ops.push({ rs, to: size - down })
    cleaned += down
  }
  return ops
}

/**
 * scaleDownOldReplicaSetsForRollingUpdate: shrink old ReplicaSets (oldest first) by the available
 * pods above minAvailable. `sizes` overrides spec.replicas for ReplicaSets already resized.
 */
export function planScaleDownOld(
  d: Deployment,
  allRSs: ReplicaSet[],
  oldRSs: ReplicaSet[],
  sizes: Map<ReplicaSet, number> = new Map(),
): Scale[] {
  const minAvailable = specReplicas(d) - maxUnavailable(d)
  const available = sumStatus(allRSs, 'availableReplicas')
  if (available <= minAvailable) return []
  const total = available - minAvailable
  const ops: Scale[] = []
  let scaled = 0
  for (const rs of [...oldRSs].sort(byCreationTimestamp)) {
    if (scaled >= total) break
    const size = sizes.get(rs) ?? specReplicas(rs)
    if (size === 0) continue
    const down = Math.min(size, total - scaled)
    ops.push({ rs, to: size - down })
    scaled += down
  }
  return ops
}

/**
 * reconcileOldReplicaSets' decisions, in the order to apply them: unhealthy replicas first, then
 * healthy ones as availability allows, never more than maxScaledDown = all - minAvailable -
 * unavailable-in-new (so a broken new ReplicaSet cannot drain the old ones). One ReplicaSet may
 * appear twice. `oldRSs` should be the active old ones.
 */
export function planOldScaleDown(
  d: Deployment,
  allRSs: ReplicaSet[],
  oldRSs: ReplicaSet[],
  newRS: ReplicaSet,
): Scale[] {
  if (sumSpecReplicas(oldRSs) === 0) return []
  const minAvailable = specReplicas(d) - maxUnavailable(d)
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0)
  const maxScaledDown = sumSpecReplicas(allRSs) - minAvailable - newUnavailable
  if (maxScaledDown <= 0) return []
  const cleanup = planCleanupUnhealthy(oldRSs, maxScaledDown)
  const sizes = new Map(cleanup.map(op => [op.rs, op.to]))
  return [...cleanup, ...planScaleDownOld(d, [...oldRSs, newRS], oldRSs, sizes)]
}

/**
 * getReplicaSetFraction: this ReplicaSet's share of a resize, from its size relative to the
 * max-replicas annotation it was last scaled under (Go's math.Round: halves away from zero).
 */
function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (specReplicas(d) === 0) return -specReplicas(rs)
  const deploymentReplicas = specReplicas(d) + maxSurge(d)
  const annotated = intAnnotation(rs, MaxReplicasAnnotation) ?? d.status?.replicas ?? 0
  // Upstream never scales proportionally from zero; guard the division all the same.
  if (annotated <= 0) return 0
  const size = (specReplicas(rs) * deploymentReplicas) / annotated
  return Math.sign(size) * Math.round(Math.abs(size)) - specReplicas(rs)
}

/** GetProportion: the replicas to add to (or, negative, remove from) one ReplicaSet. */
export function getProportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0
  const fraction = replicaSetFraction(rs, d)
  const allowed = toAdd - added
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed)
}

/**
 * The proportional part of scale() for a rolling Deployment with several active ReplicaSets:
 * spreads (spec.replicas + maxSurge) - current over them by size, leftovers to the largest.
 */
export function planProportionalScale(d: Deployment, activeRSs: ReplicaSet[]): { scales: Scale[]; direction: string } {
  const current = sumSpecReplicas(activeRSs)
  const allowedSize = specReplicas(d) > 0 ? specReplicas(d) + maxSurge(d) : 0
  const toAdd = allowedSize - current
  const sorted = [...activeRSs]
  let direction = ''
  if (toAdd > 0) {
    sorted.sort(bySizeNewer)
    direction = 'up'
  } else if (toAdd < 0) {
    sorted.sort(bySizeOlder)
    direction = 'down'
  }
  let added = 0
  const sizes = sorted.map(rs => {
    if (toAdd === 0) return specReplicas(rs)
    const p = getProportion(rs, d, toAdd, added)
    added += p
    return specReplicas(rs) + p
  })
  if (toAdd !== 0 && sizes.length) sizes[0] = Math.max(0, sizes[0]! + toAdd - added)
  return { scales: sorted.map((rs, i) => ({ rs, to: sizes[i]! })), direction }
}

/** The active ReplicaSets among new and old (FilterActiveReplicaSets(append(oldRSs, newRS))). */
export const activeOf = (newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]) => filterActive([...oldRSs, newRS])
