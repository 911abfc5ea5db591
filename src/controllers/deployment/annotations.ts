/**
 * The annotations a Deployment keeps on its ReplicaSets and itself (upstream deploymentutil):
 * revision and revision-history (what `kubectl rollout history|undo` read), desired-replicas and
 * max-replicas (scaling-event detection and proportional scaling), and the user annotations such
 * as kubernetes.io/change-cause copied from the Deployment. Pure: functions edit the copies given.
 */
import type { Deployment, ReplicaSet } from '../../api/apps.js'

/** The rollout sequence number of a ReplicaSet (and of the Deployment: its new ReplicaSet's). */
export const RevisionAnnotation = 'deployment.kubernetes.io/revision'
/** Earlier revisions a ReplicaSet served, comma-separated (set when a rollback reuses it). */
export const RevisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history'
/** The Deployment's spec.replicas when the ReplicaSet was last scaled. */
export const DesiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas'
/** spec.replicas + maxSurge when the ReplicaSet was last scaled. */
export const MaxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas'
/** The annotation kubectl's --record and users set; copied to ReplicaSets, shown by rollout history. */
export const ChangeCauseAnnotation = 'kubernetes.io/change-cause'
/** Longest revision-history value kept (upstream maxRevHistoryLengthInChars). */
export const MaxRevHistoryLengthInChars = 2000

/** Annotations never copied between a Deployment and its ReplicaSets (annotationsToSkip). */
export const annotationsToSkip = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  RevisionAnnotation,
  RevisionHistoryAnnotation,
  DesiredReplicasAnnotation,
  MaxReplicasAnnotation,
  'deprecated.deployment.rollback.to',
])

/** strconv.ParseInt(v, 10, 64) semantics: undefined for anything but an optionally signed integer. */
function parseInt64(v: string): number | undefined {
  return /^[+-]?[0-9]+$/.test(v) ? Number(v) : undefined
}

/** deploymentutil.Revision: the revision annotation, 0 when absent, undefined when unparsable. */
export function revisionOf(rs: ReplicaSet): number | undefined {
  const v = rs.metadata.annotations?.[RevisionAnnotation]
  return v === undefined ? 0 : parseInt64(v)
}

/** MaxRevision: the highest parsable revision among the ReplicaSets (0 when none). */
export function maxRevision(rss: ReplicaSet[]): number {
  return rss.reduce((max, rs) => Math.max(max, revisionOf(rs) ?? 0), 0)
}

/** SetDeploymentRevision: sets the Deployment's revision annotation; true when it changed. */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  d.metadata.annotations ??= {}
  if (d.metadata.annotations[RevisionAnnotation] === revision) return false
  d.metadata.annotations[RevisionAnnotation] = revision
  return true
}

/** copyDeploymentAnnotationsToReplicaSet: copies all but the skipped annotations; true when any changed. */
function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  rs.metadata.annotations ??= {}
  let changed = false
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (annotationsToSkip.has(k) || rs.metadata.annotations[k] === v) continue
    rs.metadata.annotations[k] = v
    changed = true
  }
  return changed
}

/** Appends oldRevision to the revision history, dropping the oldest entries past the length limit. */
function appendRevisionHistory(rs: ReplicaSet, oldRevision: string, limit: number): void {
  const annotations = rs.metadata.annotations!
  const history = annotations[RevisionHistoryAnnotation] ?? ''
  const old = history.split(',')
  if (old[0]!.length === 0) {
    annotations[RevisionHistoryAnnotation] = oldRevision
    return
  }
  let total = history.length + oldRevision.length + 1
  let start = 0
  while (total > limit && start < old.length) total -= old[start++]!.length + 1
  // NOTE: upstream logs and keeps the history unchanged when even one entry does not fit.
  if (total <= limit) annotations[RevisionHistoryAnnotation] = [...old.slice(start), oldRevision].join(',')
}

/**
 * SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the revision to
 * newRevision when lower (a rollback keeps the old number in revision-history), and on a
 * ReplicaSet about to be created sets the replica annotations. True when anything changed.
 */
export function setNewReplicaSetAnnotations(
  d: Deployment,
  rs: ReplicaSet,
  newRevision: string,
  exists: boolean,
  maxSurge: number,
  historyLimit = MaxRevHistoryLengthInChars,
): boolean {
  let changed = copyDeploymentAnnotations(d, rs)
  const annotations = rs.metadata.annotations!
  const oldRevision = annotations[RevisionAnnotation]
  const hadRevision = oldRevision !== undefined
  let oldInt = parseInt64(oldRevision ?? '')
  if (oldInt === undefined) {
    if (oldRevision) return false // upstream: "OldRevision not int", nothing updated
    oldInt = 0
  }
  const newInt = parseInt64(newRevision)
  if (newInt === undefined) return false
  if (oldInt < newInt) {
    annotations[RevisionAnnotation] = newRevision
    changed = true
    if (hadRevision) appendRevisionHistory(rs, oldRevision!, historyLimit)
  }
  const replicas = d.spec.replicas ?? 1
  if (!exists && setReplicasAnnotations(rs, replicas, replicas + maxSurge)) changed = true
  return changed
}

/** SetReplicasAnnotations: records desired and max replicas; true when either changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  rs.metadata.annotations ??= {}
  let changed = false
  for (const [k, v] of [
    [DesiredReplicasAnnotation, String(desired)],
    [MaxReplicasAnnotation, String(max)],
  ] as const) {
    if (rs.metadata.annotations[k] === v) continue
    rs.metadata.annotations[k] = v
    changed = true
  }
  return changed
}

/** ReplicasAnnotationsNeedUpdate. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata.annotations
  return a?.[DesiredReplicasAnnotation] !== String(desired) || a?.[MaxReplicasAnnotation] !== String(max)
}

/** getIntFromAnnotation (strconv.Atoi): the integer annotation, or undefined. */
export function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key]
  return v === undefined ? undefined : parseInt64(v)
}
