/**
 * StatefulSet status (upstream computeReplicaStatus, completeRollingUpdate, inconsistentStatus;
 * statefulset.md §5.1): counts from the pods, rollout completion, and whether a write is due.
 * Pure: the write itself goes through StatefulPodControl.updateStatus.
 */
import type { StatefulSet, StatefulSetStatus } from '../../api/apps.js'
import type { Pod } from '../../api/pod.js'
import {
  getPodRevision,
  getReplicas,
  isCreated,
  isRunningAndAvailable,
  isRunningAndReady,
  isTerminating,
} from './pods.js'

/** What a status is computed from, besides the pods. */
export interface StatusInput {
  set: StatefulSet
  currentRevision: string
  updateRevision: string
  collisionCount: number
  now: number
}

/**
 * A fresh status (conditions are never carried over: QUIRK, user-set conditions vanish at the next
 * write). replicas counts created pods including terminating and terminal ones; ready counts running
 * and ready pods even while terminating; current/updated count created, non-terminating pods by
 * their revision label.
 */
export function computeStatus(input: StatusInput, pods: readonly Pod[]): StatefulSetStatus {
  const { set, now } = input
  const minReadySeconds = set.spec.minReadySeconds ?? 0
  const status: StatefulSetStatus = {
    observedGeneration: set.metadata.generation,
    replicas: 0,
    readyReplicas: 0,
    currentReplicas: 0,
    updatedReplicas: 0,
    currentRevision: input.currentRevision,
    updateRevision: input.updateRevision,
    collisionCount: input.collisionCount,
    availableReplicas: 0,
  }
  for (const pod of pods) {
    const created = isCreated(pod)
    if (created) status.replicas++
    if (isRunningAndReady(pod)) {
      status.readyReplicas!++
      if (isRunningAndAvailable(pod, minReadySeconds, now)) status.availableReplicas!++
    }
    if (created && !isTerminating(pod)) {
      const revision = getPodRevision(pod)
      if (revision === input.currentRevision) status.currentReplicas!++
      if (revision === input.updateRevision) status.updatedReplicas!++
    }
  }
  return status
}

/**
 * completeRollingUpdate: once a RollingUpdate set has every replica updated and ready, the update
 * revision becomes current. Never for OnDelete (QUIRK, §4.5); minReadySeconds is not considered.
 */
export function completeRollingUpdate(set: StatefulSet, status: StatefulSetStatus): StatefulSetStatus {
  const replicas = getReplicas(set)
  if (
    set.spec.updateStrategy?.type === 'RollingUpdate' &&
    status.updatedReplicas === replicas &&
    status.readyReplicas === replicas &&
    status.replicas === replicas
  ) {
    return { ...status, currentReplicas: status.updatedReplicas, currentRevision: status.updateRevision }
  }
  return status
}

/**
 * Whether the computed status must be written: the generation advanced or a counter or revision
 * differs. collisionCount or conditions alone never cause a write (QUIRK, §5.1).
 */
export function inconsistentStatus(set: StatefulSet, status: StatefulSetStatus): boolean {
  const old = set.status
  return (
    (status.observedGeneration ?? 0) > (old?.observedGeneration ?? 0) ||
    status.replicas !== (old?.replicas ?? 0) ||
    (status.currentReplicas ?? 0) !== (old?.currentReplicas ?? 0) ||
    (status.readyReplicas ?? 0) !== (old?.readyReplicas ?? 0) ||
    (status.updatedReplicas ?? 0) !== (old?.updatedReplicas ?? 0) ||
    (status.availableReplicas ?? 0) !== (old?.availableReplicas ?? 0) ||
    (status.currentRevision ?? '') !== (old?.currentRevision ?? '') ||
    (status.updateRevision ?? '') !== (old?.updateRevision ?? '')
  )
}
