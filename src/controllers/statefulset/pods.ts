/**
 * Pod identity for StatefulSets (upstream stateful_set_utils.go): names and ordinals, the state
 * predicates every decision uses, identity and storage checks, and building a new pod from a
 * (revision-specific) template. Pure: no I/O, no clock (time comes in as `now`), no logger.
 * Functions named update* mutate the pod they are given; callers pass a copy, never a cached object.
 */
import {
  ControllerRevisionHashLabel,
  PodIndexLabel,
  type StatefulSet,
  StatefulSetPodNameLabel,
} from '../../api/apps.js'
import type { PersistentVolumeClaim } from '../../api/core.js'
import type { OwnerReference } from '../../api/meta.js'
import type { Pod, Volume } from '../../api/pod.js'

/** apiVersion and kind of the owner this controller writes into references. */
export const StatefulSetKind = { apiVersion: 'apps/v1', kind: 'StatefulSet' } as const
/** apiVersion and kind of pod owner references on claims. */
export const PodKind = { apiVersion: 'v1', kind: 'Pod' } as const

const statefulPodRegex = /^(.*)-([0-9]+)$/
const int32Max = 2 ** 31 - 1

/**
 * The parent set name and ordinal encoded in a pod name: `web-12` → `{ parent: 'web', ordinal: 12 }`.
 * The prefix is greedy (`web-0-1` belongs to `web-0`); an ordinal that overflows int32 is -1.
 */
export function getParentNameAndOrdinal(name: string | undefined): { parent: string; ordinal: number } {
  const m = statefulPodRegex.exec(name ?? '')
  if (!m) return { parent: '', ordinal: -1 }
  const n = Number(m[2])
  return { parent: m[1]!, ordinal: n <= int32Max ? n : -1 }
}

/** The pod's ordinal, or -1 when its name carries none. */
export function getOrdinal(pod: Pod): number {
  return getParentNameAndOrdinal(pod.metadata.name).ordinal
}

/** spec.ordinals.start, or 0. */
export function getStartOrdinal(set: StatefulSet): number {
  return set.spec.ordinals?.start ?? 0
}

/** spec.replicas with the API default. */
export function getReplicas(set: StatefulSet): number {
  return set.spec.replicas ?? 1
}

/** The last ordinal in range (inclusive); start - 1 when replicas is 0. */
export function getEndOrdinal(set: StatefulSet): number {
  return getStartOrdinal(set) + getReplicas(set) - 1
}

/** Whether the pod's ordinal lies in [start, start + replicas). */
export function podInOrdinalRange(pod: Pod, set: StatefulSet): boolean {
  const ordinal = getOrdinal(pod)
  return ordinal >= getStartOrdinal(set) && ordinal <= getEndOrdinal(set)
}

/** `<set>-<ordinal>`. */
export function getPodName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`
}

/** `<template>-<set>-<ordinal>`, e.g. `www-web-0`. */
export function getClaimName(set: StatefulSet, template: PersistentVolumeClaim, ordinal: number): string {
  return `${template.metadata.name}-${set.metadata.name}-${ordinal}`
}

/** Whether the pod's name says it belongs to this set (parent name equals the set name). */
export function isMemberOf(set: StatefulSet, pod: Pod): boolean {
  return getParentNameAndOrdinal(pod.metadata.name).parent === set.metadata.name
}

/** The pod's phase is set: the API server has it (placeholders for missing pods have none). */
export const isCreated = (pod: Pod) => !!pod.status?.phase
/** Phase Pending. */
export const isPending = (pod: Pod) => pod.status?.phase === 'Pending'
/** Phase Failed. */
export const isFailed = (pod: Pod) => pod.status?.phase === 'Failed'
/** Phase Succeeded. */
export const isSucceeded = (pod: Pod) => pod.status?.phase === 'Succeeded'
/** A deletionTimestamp is set. */
export const isTerminating = (pod: Pod) => !!pod.metadata.deletionTimestamp

/** The Ready condition, if any. */
function readyCondition(pod: Pod) {
  return pod.status?.conditions?.find(c => c.type === 'Ready')
}

/** podutil.IsPodReady: condition Ready is True. */
export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True'
}

/** Phase Running and Ready=True (a terminating pod can still be running and ready). */
export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod)
}

/**
 * podutil.IsPodAvailable: Ready, and ready for longer than minReadySeconds (strictly before now).
 * NOTE: like upstream this looks at the Ready condition only, not at the phase.
 */
export function isRunningAndAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  const c = readyCondition(pod)
  if (c?.status !== 'True') return false
  if (!minReadySeconds) return true
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : Number.NaN
  return !Number.isNaN(since) && since + minReadySeconds * 1000 < now
}

/** Running, ready and not terminating (minReadySeconds is not considered, as in 1.32). */
export function isHealthy(pod: Pod): boolean {
  return isRunningAndReady(pod) && !isTerminating(pod)
}

/** The ControllerRevision name in the pod's controller-revision-hash label, or "". */
export function getPodRevision(pod: Pod): string {
  return pod.metadata.labels?.[ControllerRevisionHashLabel] ?? ''
}

/** Whether name, namespace and the pod-name label fit the set (the pod-index label is not checked: QUIRK). */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const { parent, ordinal } = getParentNameAndOrdinal(pod.metadata.name)
  return (
    ordinal >= 0 &&
    parent === set.metadata.name &&
    pod.metadata.name === getPodName(set, ordinal) &&
    pod.metadata.namespace === set.metadata.namespace &&
    pod.metadata.labels?.[StatefulSetPodNameLabel] === pod.metadata.name
  )
}

/** Whether the pod mounts every claim template as `<tmpl>-<set>-<ordinal>`. */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = getOrdinal(pod)
  if (ordinal < 0) return false
  const volumes = new Map((pod.spec.volumes ?? []).map(v => [v.name, v]))
  return (set.spec.volumeClaimTemplates ?? []).every(t => {
    const v = volumes.get(t.metadata.name ?? '')
    return v?.persistentVolumeClaim?.claimName === getClaimName(set, t, ordinal)
  })
}

/** Rewrites name, namespace and the pod-name and pod-index labels (mutates pod). */
export function updateIdentity(set: StatefulSet, pod: Pod): void {
  const ordinal = getOrdinal(pod)
  pod.metadata.name = getPodName(set, ordinal)
  pod.metadata.namespace = set.metadata.namespace
  pod.metadata.labels = { ...pod.metadata.labels }
  pod.metadata.labels[StatefulSetPodNameLabel] = pod.metadata.name
  pod.metadata.labels[PodIndexLabel] = String(ordinal)
}

/** One volume per claim template (template order), then the pod's other volumes (mutates pod). */
export function updateStorage(set: StatefulSet, pod: Pod): void {
  const ordinal = getOrdinal(pod)
  const templates = set.spec.volumeClaimTemplates ?? []
  const names = new Set(templates.map(t => t.metadata.name ?? ''))
  const claimVolumes: Volume[] = templates.map(t => ({
    name: t.metadata.name ?? '',
    persistentVolumeClaim: { claimName: getClaimName(set, t, ordinal), readOnly: false },
  }))
  const others = (pod.spec.volumes ?? []).filter(v => !names.has(v.name))
  pod.spec.volumes = [...claimVolumes, ...others]
}

/** The controller reference a set puts on its pods. */
export function setControllerRef(set: StatefulSet): OwnerReference {
  return {
    ...StatefulSetKind,
    name: set.metadata.name ?? '',
    uid: set.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  }
}

/**
 * A new pod for the ordinal from the set's template (controller.GetPodFromTemplate + initIdentity +
 * updateStorage): template labels, annotations and finalizers, one controller reference,
 * hostname = pod name, subdomain = serviceName, and claim volumes.
 */
export function newStatefulSetPod(set: StatefulSet, ordinal: number): Pod {
  const template = set.spec.template
  const meta = template.metadata ?? {}
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${set.metadata.name}-`,
      name: getPodName(set, ordinal),
      namespace: set.metadata.namespace,
      labels: { ...meta.labels },
      ownerReferences: [setControllerRef(set)],
    },
    spec: structuredClone(template.spec),
  }
  if (meta.annotations) pod.metadata.annotations = { ...meta.annotations }
  if (meta.finalizers?.length) pod.metadata.finalizers = [...meta.finalizers]
  updateIdentity(set, pod)
  // Set only at creation: hostname and subdomain are immutable pod fields.
  pod.spec.hostname = pod.metadata.name
  pod.spec.subdomain = set.spec.serviceName
  updateStorage(set, pod)
  return pod
}

/**
 * The pod for a missing ordinal at the right revision (newVersionedStatefulSetPod): the current
 * revision below the partition (or, QUIRK, below start + status.currentReplicas when a
 * RollingUpdate set has no rollingUpdate object), the update revision otherwise.
 */
export function newVersionedStatefulSetPod(
  currentSet: StatefulSet,
  updateSet: StatefulSet,
  revisions: { current: string; update: string },
  ordinal: number,
): Pod {
  const strategy = currentSet.spec.updateStrategy
  const start = getStartOrdinal(currentSet)
  const belowCurrent =
    strategy?.type === 'RollingUpdate' &&
    !strategy.rollingUpdate &&
    ordinal < start + (currentSet.status?.currentReplicas ?? 0)
  const belowPartition = !!strategy?.rollingUpdate && ordinal < start + (strategy.rollingUpdate.partition ?? 0)
  const useCurrent = belowCurrent || belowPartition
  const pod = newStatefulSetPod(useCurrent ? currentSet : updateSet, ordinal)
  pod.metadata.labels![ControllerRevisionHashLabel] = useCurrent ? revisions.current : revisions.update
  return pod
}
