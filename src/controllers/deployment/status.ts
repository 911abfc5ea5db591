/**
 * A Deployment's status and conditions (upstream sync.go calculateStatus, progress.go and the
 * condition helpers of deploymentutil): replica counts summed over its ReplicaSets, Available,
 * and the Progressing condition that drives `kubectl rollout status` and progressDeadlineSeconds.
 * Pure: "now" is an argument.
 */
import type { Deployment, DeploymentStatus, ReplicaSet, WorkloadCondition } from '../../api/apps.js'
import { specReplicas, sumStatus } from './replicasets.js'
import { maxUnavailable } from './rolling.js'

/** Condition reasons (deploymentutil). */
export const Reason = {
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  FailedRSCreate: 'ReplicaSetCreateError',
  NewReplicaSet: 'NewReplicaSetCreated',
  FoundNewRS: 'FoundNewReplicaSet',
  NewRSAvailable: 'NewReplicaSetAvailable',
  TimedOut: 'ProgressDeadlineExceeded',
  Paused: 'DeploymentPaused',
  Resumed: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const

/** metav1.Time text: RFC 3339, second precision. */
export const formatTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

/** NewDeploymentCondition: both times now. */
export function newCondition(
  type: string,
  status: WorkloadCondition['status'],
  reason: string,
  message: string,
  now: number,
): WorkloadCondition {
  const t = formatTime(now)
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message }
}

/** GetDeploymentCondition. */
export function getCondition(status: DeploymentStatus | undefined, type: string): WorkloadCondition | undefined {
  return status?.conditions?.find(c => c.type === type)
}

/**
 * SetDeploymentCondition: no change when status and reason match; keeps lastTransitionTime when
 * only the reason changes; the condition moves to the end of the list.
 */
export function setCondition(status: DeploymentStatus, cond: WorkloadCondition): void {
  const cur = getCondition(status, cond.type)
  if (cur && cur.status === cond.status && cur.reason === cond.reason) return
  const next = cur && cur.status === cond.status ? { ...cond, lastTransitionTime: cur.lastTransitionTime } : cond
  status.conditions = [...(status.conditions ?? []).filter(c => c.type !== cond.type), next]
}

/** RemoveDeploymentCondition. */
export function removeCondition(status: DeploymentStatus, type: string): void {
  const rest = (status.conditions ?? []).filter(c => c.type !== type)
  if (rest.length) status.conditions = rest
  else delete status.conditions
}

/** HasProgressDeadline: progressDeadlineSeconds is set and not MaxInt32. */
export const hasProgressDeadline = (d: Deployment): boolean =>
  d.spec.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== 2147483647

/** calculateStatus: counts over every ReplicaSet and the Available condition. */
export function calculateStatus(
  allRSs: (ReplicaSet | undefined)[],
  newRS: ReplicaSet | undefined,
  d: Deployment,
  now: number,
): DeploymentStatus {
  const available = sumStatus(allRSs, 'availableReplicas')
  const total = allRSs.reduce((n, rs) => n + (rs ? specReplicas(rs) : 0), 0)
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: sumStatus(allRSs, 'replicas'),
    updatedReplicas: sumStatus([newRS], 'replicas'),
    readyReplicas: sumStatus(allRSs, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
    collisionCount: d.status?.collisionCount,
    conditions: [...(d.status?.conditions ?? [])],
  }
  if (available >= specReplicas(d) - maxUnavailable(d)) {
    setCondition(
      status,
      newCondition('Available', 'True', Reason.MinimumReplicasAvailable, 'Deployment has minimum availability.', now),
    )
  } else {
    setCondition(
      status,
      newCondition(
        'Available',
        'False',
        Reason.MinimumReplicasUnavailable,
        'Deployment does not have minimum availability.',
        now,
      ),
    )
  }
  return compactStatus(status)
}

/** Drops zero and empty omitempty fields as Go serializes DeploymentStatus (collisionCount is a pointer: 0 stays). */
export function compactStatus(s: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = {}
  for (const k of [
    'observedGeneration',
    'replicas',
    'updatedReplicas',
    'readyReplicas',
    'availableReplicas',
    'unavailableReplicas',
  ] as const) {
    if (s[k]) out[k] = s[k]
  }
  if (s.conditions?.length) out.conditions = s.conditions
  if (s.collisionCount !== undefined && s.collisionCount !== null) out.collisionCount = s.collisionCount
  return out
}

/** DeploymentComplete: every desired replica updated and available, nothing old left, generation observed. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const replicas = specReplicas(d)
  return (
    (s.updatedReplicas ?? 0) === replicas &&
    (s.replicas ?? 0) === replicas &&
    (s.availableReplicas ?? 0) === replicas &&
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  )
}

/** DeploymentProgressing: new pods scaled up, old ones down, or more ready or available than before. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {}
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0)
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0)
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  )
}

/** DeploymentTimedOut: the Progressing condition is older than progressDeadlineSeconds (or already says so). */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false
  const cond = getCondition(s, 'Progressing')
  if (!cond || cond.reason === Reason.NewRSAvailable) return false
  if (cond.reason === Reason.TimedOut) return true
  const from = Date.parse(cond.lastUpdateTime ?? '') || 0
  return from + d.spec.progressDeadlineSeconds! * 1000 < now
}
