/**
 * Rollout progress (upstream progress.go): the status a rollout reports, with the Progressing
 * condition moved to NewReplicaSetAvailable, ReplicaSetUpdated or ProgressDeadlineExceeded and
 * ReplicaSet failures surfaced; and when to look again for a deadline check. Pure.
 */
import type { Deployment, DeploymentStatus, ReplicaSet, WorkloadCondition } from '../../api/apps.js'
import {
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getCondition,
  hasProgressDeadline,
  newCondition,
  Reason,
  removeCondition,
  setCondition,
} from './status.js'

/** ReplicaSetToDeploymentCondition. */
function fromReplicaSetCondition(c: WorkloadCondition): WorkloadCondition {
  return {
    type: c.type,
    status: c.status,
    lastUpdateTime: c.lastTransitionTime,
    lastTransitionTime: c.lastTransitionTime,
    reason: c.reason,
    message: c.message,
  }
}

/** getReplicaFailures: the new ReplicaSet's ReplicaFailure conditions, else the others'. */
function replicaFailures(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): WorkloadCondition[] {
  const failures = (rs: ReplicaSet | undefined) =>
    (rs?.status?.conditions ?? []).filter(c => c.type === 'ReplicaFailure').map(fromReplicaSetCondition)
  const own = failures(newRS)
  return own.length ? own : allRSs.flatMap(failures)
}

/** syncRolloutStatus' computation: the status to write during a rollout. */
export function rolloutStatus(
  allRSs: (ReplicaSet | undefined)[],
  newRS: ReplicaSet | undefined,
  d: Deployment,
  now: number,
): DeploymentStatus {
  const status = calculateStatus(allRSs, newRS, d, now)
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing')
  const current = getCondition(d.status, 'Progressing')
  // A resync after a completed rollout estimates no progress.
  const complete = status.replicas === status.updatedReplicas && current?.reason === Reason.NewRSAvailable
  if (hasProgressDeadline(d) && !complete) {
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`
    if (deploymentComplete(d, status)) {
      setCondition(
        status,
        newCondition('Progressing', 'True', Reason.NewRSAvailable, `${subject} has successfully progressed.`, now),
      )
    } else if (deploymentProgressing(d, status)) {
      const cond = newCondition('Progressing', 'True', Reason.ReplicaSetUpdated, `${subject} is progressing.`, now)
      // Progress refreshes lastUpdateTime even with an unchanged reason; lastTransitionTime stays while True.
      if (current) {
        if (current.status === 'True') cond.lastTransitionTime = current.lastTransitionTime
        removeCondition(status, 'Progressing')
      }
      setCondition(status, cond)
    } else if (deploymentTimedOut(d, status, now)) {
      setCondition(
        status,
        newCondition('Progressing', 'False', Reason.TimedOut, `${subject} has timed out progressing.`, now),
      )
    }
  }
  const failures = replicaFailures(allRSs, newRS)
  if (failures.length) setCondition(status, failures[0]!)
  else removeCondition(status, 'ReplicaFailure')
  return status
}

/**
 * requeueStuckDeployment: ms until the Progressing condition would pass progressDeadlineSeconds
 * (plus 1 s against clock skew; 1 s when already due), or undefined when no check is needed.
 */
export function progressCheckAfter(d: Deployment, status: DeploymentStatus, now: number): number | undefined {
  const current = getCondition(d.status, 'Progressing')
  if (!hasProgressDeadline(d) || !current) return undefined
  if (deploymentComplete(d, status) || current.reason === Reason.TimedOut) return undefined
  const after = (Date.parse(current.lastUpdateTime ?? '') || 0) + d.spec.progressDeadlineSeconds! * 1000 - now
  // NOTE: upstream re-adds rate-limited when under a second; a one-second wait stands in for that.
  return after < 1000 ? 1000 : after + 1000
}
