/**
 * apps/v1 workload kinds (StatefulSet, Deployment, ReplicaSet, ControllerRevision) and the
 * autoscaling/v1 Scale their /scale subresource speaks. Lean: upstream's JSON names, optional
 * where upstream is optional, timestamps as RFC 3339 strings.
 * Types and constants only: no I/O, no logic.
 */
import type { PersistentVolumeClaim } from './core.js'
import type { KObject, LabelSelector } from './meta.js'
import type { IntOrString, PodTemplateSpec } from './pod.js'

export interface RollingUpdateStatefulSetStrategy {
  /** Ordinals >= partition are updated; defaults to 0 when rollingUpdate is present. */
  partition?: number
  /**
   * How many pods may be unavailable during the update. NOTE: upstream gates this (alpha, off)
   * and clears it; petset keeps it and honours it (a deliberate improvement, not defaulted).
   */
  maxUnavailable?: IntOrString
}

export interface StatefulSetUpdateStrategy {
  /** RollingUpdate (default) or OnDelete. */
  type?: 'RollingUpdate' | 'OnDelete' | string
  rollingUpdate?: RollingUpdateStatefulSetStrategy
}

export interface StatefulSetPersistentVolumeClaimRetentionPolicy {
  /** Retain (default) or Delete. */
  whenDeleted?: 'Retain' | 'Delete' | string
  /** Retain (default) or Delete. */
  whenScaled?: 'Retain' | 'Delete' | string
}

export interface StatefulSetSpec {
  /** Defaults to 1. */
  replicas?: number
  selector?: LabelSelector
  template: PodTemplateSpec
  volumeClaimTemplates?: PersistentVolumeClaim[]
  serviceName?: string
  /** OrderedReady (default) or Parallel. */
  podManagementPolicy?: 'OrderedReady' | 'Parallel' | string
  updateStrategy?: StatefulSetUpdateStrategy
  /** Defaults to 10. */
  revisionHistoryLimit?: number
  minReadySeconds?: number
  persistentVolumeClaimRetentionPolicy?: StatefulSetPersistentVolumeClaimRetentionPolicy
  ordinals?: { start?: number }
}

/** A condition as the apps kinds report them. */
export interface WorkloadCondition {
  type: string
  status: 'True' | 'False' | 'Unknown'
  lastUpdateTime?: string
  lastTransitionTime?: string
  reason?: string
  message?: string
}

export interface StatefulSetStatus {
  observedGeneration?: number
  replicas: number
  readyReplicas?: number
  currentReplicas?: number
  updatedReplicas?: number
  currentRevision?: string
  updateRevision?: string
  collisionCount?: number
  conditions?: WorkloadCondition[]
  availableReplicas?: number
}

export interface StatefulSet extends KObject {
  spec: StatefulSetSpec
  status?: StatefulSetStatus
}

export interface RollingUpdateDeployment {
  /** Defaults to "25%". */
  maxUnavailable?: IntOrString
  /** Defaults to "25%". */
  maxSurge?: IntOrString
}

export interface DeploymentStrategy {
  /** RollingUpdate (default) or Recreate. */
  type?: 'RollingUpdate' | 'Recreate' | string
  rollingUpdate?: RollingUpdateDeployment
}

export interface DeploymentSpec {
  /** Defaults to 1. */
  replicas?: number
  selector?: LabelSelector
  template: PodTemplateSpec
  strategy?: DeploymentStrategy
  minReadySeconds?: number
  /** Defaults to 10. */
  revisionHistoryLimit?: number
  paused?: boolean
  /** Defaults to 600. */
  progressDeadlineSeconds?: number
}

export interface DeploymentStatus {
  observedGeneration?: number
  replicas?: number
  updatedReplicas?: number
  readyReplicas?: number
  availableReplicas?: number
  unavailableReplicas?: number
  conditions?: WorkloadCondition[]
  collisionCount?: number
}

export interface Deployment extends KObject {
  spec: DeploymentSpec
  status?: DeploymentStatus
}

export interface ReplicaSetSpec {
  /** Defaults to 1. */
  replicas?: number
  minReadySeconds?: number
  selector?: LabelSelector
  template: PodTemplateSpec
}

export interface ReplicaSetStatus {
  replicas: number
  fullyLabeledReplicas?: number
  readyReplicas?: number
  availableReplicas?: number
  observedGeneration?: number
  conditions?: WorkloadCondition[]
}

export interface ReplicaSet extends KObject {
  spec: ReplicaSetSpec
  status?: ReplicaSetStatus
}

/** An immutable snapshot of controller state (for StatefulSets: a strategic-merge patch of spec.template). */
export interface ControllerRevision extends KObject {
  /** Arbitrary JSON (runtime.RawExtension); required, immutable. */
  data?: unknown
  revision: number
}

/** autoscaling/v1 Scale, the body of GET/PUT/PATCH …/scale. */
export interface Scale extends KObject {
  spec: { replicas?: number }
  status: { replicas: number; selector?: string }
}

/** Label every pod of a StatefulSet carries: its own name. */
export const StatefulSetPodNameLabel = 'statefulset.kubernetes.io/pod-name'
/** Label every pod of a StatefulSet carries: its ordinal. */
export const PodIndexLabel = 'apps.kubernetes.io/pod-index'
/** Label holding the ControllerRevision name a pod (or revision hash) was made from. */
export const ControllerRevisionHashLabel = 'controller-revision-hash'
/** Label on ReplicaSets and pods of a Deployment. */
export const DefaultDeploymentUniqueLabelKey = 'pod-template-hash'
