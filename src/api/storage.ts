/**
 * storage.k8s.io/v1 StorageClass. JSON field names as the wire carries them.
 * Types and constants only: no I/O, no logic.
 */
import type { KObject } from './meta.js'

export type VolumeBindingMode = 'Immediate' | 'WaitForFirstConsumer'

export interface TopologySelectorTerm {
  matchLabelExpressions?: { key: string; values: string[] }[]
}

export interface StorageClass extends KObject {
  provisioner: string
  parameters?: Record<string, string>
  reclaimPolicy?: 'Delete' | 'Retain' | string
  mountOptions?: string[]
  allowVolumeExpansion?: boolean
  volumeBindingMode?: VolumeBindingMode | string
  allowedTopologies?: TopologySelectorTerm[]
}

/** Annotation marking the cluster's default class ("true"). */
export const IsDefaultStorageClassAnnotation = 'storageclass.kubernetes.io/is-default-class'
/** The beta spelling of the same annotation, still honoured. */
export const BetaIsDefaultStorageClassAnnotation = 'storageclass.beta.kubernetes.io/is-default-class'
