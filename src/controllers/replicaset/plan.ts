/**
 * Decides what a ReplicaSet needs next (upstream manageReplicas' arithmetic and calculateStatus):
 * how many pods to create, which to delete, and the status to report. Pure: pods, time and the
 * outcome of the last action come in as arguments; nothing here writes.
 */
import type { ReplicaSet, ReplicaSetStatus, WorkloadCondition } from '../../api/apps.js'
import type { Pod } from '../../api/pod.js'
import { selectorFromSet } from '../../machinery/labels.js'
import { deepEqual } from '../../machinery/objects.js'
import { isPodAvailable, isPodReady } from './pods.js'
import { getPodsToDelete } from './victims.js'

/** Most pods one sync creates or deletes (upstream BurstReplicas). */
export const BurstReplicas = 500

/** The ReplicaFailure condition type. */
export const ReplicaFailure = 'ReplicaFailure'

/** What one sync should do to the pod count. */
export interface ReplicaPlan {
  /** Pods to create (0 when none). */
  create: number
  /** Pods to delete, best victims first. */
  delete: Pod[]
}

/** spec.replicas with the API default of 1. */
export const desiredReplicas = (rs: ReplicaSet): number => rs.spec.replicas ?? 1

/**
 * The pod-count change: create the shortfall or delete the surplus, at most `burst` at a time.
 * `pods` are the active pods the ReplicaSet owns; `related` the active pods of every ReplicaSet
 * sharing its controller (they rank victims by node colocation).
 */
export function planReplicas(
  rs: ReplicaSet,
  pods: Pod[],
  related: Pod[],
  now: number,
  burst = BurstReplicas,
): ReplicaPlan {
  const diff = pods.length - desiredReplicas(rs)
  if (diff < 0) return { create: Math.min(-diff, burst), delete: [] }
  if (diff > 0) return { create: 0, delete: getPodsToDelete(pods, related, Math.min(diff, burst), now) }
  return { create: 0, delete: [] }
}

/** metav1.Time text: RFC 3339, second precision. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** The message Go's `err.Error()` would give. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/**
 * calculateStatus: counts of owned active pods, fully labeled, ready and available ones, and the
 * ReplicaFailure condition (set on a failed create/delete, removed after a clean sync). The
 * observedGeneration is left to the writer (it records the generation it acted on).
 */
export function calculateStatus(rs: ReplicaSet, pods: Pod[], manageError: unknown, now: number): ReplicaSetStatus {
  const template = selectorFromSet(rs.spec.template.metadata?.labels)
  const minReady = rs.spec.minReadySeconds ?? 0
  let fullyLabeled = 0
  let ready = 0
  let available = 0
  for (const pod of pods) {
    if (template.matches(pod.metadata.labels)) fullyLabeled++
    if (isPodReady(pod)) {
      ready++
      if (isPodAvailable(pod, minReady, now)) available++
    }
  }
  let conditions = rs.status?.conditions
  const failure = conditions?.find(c => c.type === ReplicaFailure)
  if (manageError !== undefined && !failure) {
    const diff = pods.length - desiredReplicas(rs)
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : ''
    const cond: WorkloadCondition = {
      type: ReplicaFailure,
      status: 'True',
      lastTransitionTime: formatTime(now),
      reason,
      message: errorText(manageError),
    }
    conditions = [...(conditions ?? []), cond]
  } else if (manageError === undefined && failure) {
    conditions = conditions!.filter(c => c.type !== ReplicaFailure)
  }
  return compactStatus({
    ...rs.status,
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    conditions,
  })
}

/** Drops zero and empty omitempty fields, as Go serializes ReplicaSetStatus. */
export function compactStatus(s: ReplicaSetStatus): ReplicaSetStatus {
  const out: ReplicaSetStatus = { replicas: s.replicas ?? 0 }
  if (s.fullyLabeledReplicas) out.fullyLabeledReplicas = s.fullyLabeledReplicas
  if (s.readyReplicas) out.readyReplicas = s.readyReplicas
  if (s.availableReplicas) out.availableReplicas = s.availableReplicas
  if (s.observedGeneration) out.observedGeneration = s.observedGeneration
  if (s.conditions?.length) out.conditions = s.conditions
  return out
}

/** updateReplicaSetStatus' short cut: the counts and conditions match and this generation was observed. */
export function isStatusCurrent(rs: ReplicaSet, next: ReplicaSetStatus): boolean {
  const cur = rs.status
  return (
    (cur?.replicas ?? 0) === next.replicas &&
    (cur?.fullyLabeledReplicas ?? 0) === (next.fullyLabeledReplicas ?? 0) &&
    (cur?.readyReplicas ?? 0) === (next.readyReplicas ?? 0) &&
    (cur?.availableReplicas ?? 0) === (next.availableReplicas ?? 0) &&
    (rs.metadata.generation ?? 0) === (cur?.observedGeneration ?? 0) &&
    deepEqual(cur?.conditions ?? [], next.conditions ?? [])
  )
}
