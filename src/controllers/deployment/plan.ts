/**
 * Decisions a Deployment sync takes outside the rolling arithmetic (upstream sync.go, recreate.go,
 * deploymentutil): the ReplicaSet a new template needs, whether a change is a scaling event, which
 * ReplicaSet absorbs a plain resize, what history to delete, whether old pods still run. Pure.
 */
import type { Deployment, ReplicaSet } from '../../api/apps.js'
import { DefaultDeploymentUniqueLabelKey } from '../../api/apps.js'
import type { Pod } from '../../api/pod.js'
import { newControllerRef } from '../../machinery/objects.js'
import { DesiredReplicasAnnotation, intAnnotation, revisionOf } from './annotations.js'
import { computeHash } from './hash.js'
import { byCreationTimestamp, filterActive, selectorWithLabel, specReplicas } from './replicasets.js'
import { activeOf, isRollingUpdate, planProportionalScale, type Scale } from './rolling.js'

/**
 * The ReplicaSet for the Deployment's current template (replicas 0 until sized): named
 * `<deployment>-<hash>`, labelled and selecting with pod-template-hash, controlled by the Deployment.
 */
export function newReplicaSetFor(d: Deployment): ReplicaSet {
  const template = structuredClone(d.spec.template)
  const hash = computeHash(template, d.status?.collisionCount)
  const labels = { ...d.spec.template.metadata?.labels, [DefaultDeploymentUniqueLabelKey]: hash }
  template.metadata = { ...template.metadata, labels }
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      ownerReferences: [newControllerRef(d, { apiVersion: 'apps/v1', kind: 'Deployment' })],
      labels: { ...labels },
    },
    spec: {
      replicas: 0,
      selector: selectorWithLabel(d.spec.selector, DefaultDeploymentUniqueLabelKey, hash),
      template,
    },
  }
  if (d.spec.minReadySeconds) rs.spec.minReadySeconds = d.spec.minReadySeconds
  return rs
}

/** isScalingEvent's test: an active ReplicaSet was sized for a different spec.replicas. */
export function isScalingEvent(d: Deployment, allRSs: (ReplicaSet | undefined)[]): boolean {
  return filterActive(allRSs).some(rs => {
    const desired = intAnnotation(rs, DesiredReplicasAnnotation)
    return desired !== undefined && desired !== specReplicas(d)
  })
}

/**
 * FindActiveOrLatest: the only active ReplicaSet, or the newest one when none is active;
 * undefined when several are active (they are then scaled proportionally).
 */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && !oldRSs.length) return undefined
  const newestFirst = [...oldRSs].sort((a, b) => byCreationTimestamp(b, a))
  const active = filterActive([...newestFirst, newRS])
  if (active.length === 0) return newRS ?? newestFirst[0]
  return active.length === 1 ? active[0] : undefined
}

/** IsSaturated: the new ReplicaSet was sized for, has, and runs available every desired replica. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false
  const desired = intAnnotation(rs, DesiredReplicasAnnotation)
  const replicas = specReplicas(d)
  return (
    desired !== undefined &&
    specReplicas(rs) === replicas &&
    desired === replicas &&
    (rs.status?.availableReplicas ?? 0) === replicas
  )
}

/** What scale() should do: resizes, and the direction proportional scaling reports (else per resize). */
export interface ScalePlan {
  scales: Scale[]
  /** Set for proportional scaling: every listed ReplicaSet is written, its annotations refreshed. */
  proportional?: { direction: string }
}

/**
 * scale(): a plain resize. A single active (or the latest) ReplicaSet takes spec.replicas; a
 * saturated new ReplicaSet sends old ones to 0; otherwise a rolling Deployment resizes all active
 * ReplicaSets proportionally. Recreate Deployments with several active ReplicaSets wait.
 */
export function planScale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ScalePlan {
  const only = findActiveOrLatest(newRS, oldRSs)
  if (only) return { scales: specReplicas(only) === specReplicas(d) ? [] : [{ rs: only, to: specReplicas(d) }] }
  if (isSaturated(d, newRS)) return { scales: filterActive(oldRSs).map(rs => ({ rs, to: 0 })) }
  if (!isRollingUpdate(d)) return { scales: [] }
  const { scales, direction } = planProportionalScale(d, activeOf(newRS, oldRSs))
  return { scales, proportional: { direction } }
}

/**
 * cleanupDeployment's choice: beyond revisionHistoryLimit, the oldest-revision old ReplicaSets that
 * are fully scaled down, observed, and not being deleted.
 */
export function planCleanup(d: Deployment, oldRSs: ReplicaSet[]): ReplicaSet[] {
  const limit = d.spec.revisionHistoryLimit
  if (limit === undefined || limit === 2147483647) return []
  const cleanable = oldRSs.filter(rs => !rs.metadata.deletionTimestamp)
  const diff = cleanable.length - limit
  if (diff <= 0) return []
  const sorted = [...cleanable].sort(byRevision)
  return sorted
    .slice(0, diff)
    .filter(
      rs =>
        (rs.status?.replicas ?? 0) === 0 &&
        specReplicas(rs) === 0 &&
        (rs.metadata.generation ?? 0) <= (rs.status?.observedGeneration ?? 0),
    )
}

/** ReplicaSetsByRevision: by revision; by creation time when equal or either is unparsable. */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const [ra, rb] = [revisionOf(a), revisionOf(b)]
  if (ra === undefined || rb === undefined || ra === rb) return byCreationTimestamp(a, b)
  return ra - rb
}

/**
 * oldPodsRunning (Recreate): an old ReplicaSet still reports pods, or a pod of one is not yet
 * Succeeded or Failed. `podsByRS` maps ReplicaSet UIDs to their pods.
 */
export function oldPodsRunning(
  newRS: ReplicaSet | undefined,
  oldRSs: ReplicaSet[],
  podsByRS: Map<string, Pod[]>,
): boolean {
  if (oldRSs.some(rs => (rs.status?.replicas ?? 0) > 0)) return true
  for (const [uid, pods] of podsByRS) {
    if (newRS && newRS.metadata.uid === uid) continue
    if (pods.some(p => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded')) return true
  }
  return false
}
