/**
 * petset's own descriptions of the apps/v1 workload types (StatefulSet at full depth, Deployment,
 * ReplicaSet, ControllerRevision) and autoscaling/v1 Scale, as `kubectl explain` prints them.
 * A prose table, longer than the usual file size on purpose. Pure data.
 */
import type { DocsTable } from './docs-table.js'

/** Descriptions of apps/v1 and autoscaling/v1 types, keyed by `<group>.<version>.<Type>`. */
export const appsDocs: DocsTable = {
  'apps.v1.StatefulSet': {
    about:
      'Runs a numbered set of pods that each keep an identity: pod N is always named <set>-N, gets a stable ' +
      'DNS name through the governing headless Service, and keeps its own PersistentVolumeClaims when it is ' +
      'rescheduled or recreated.',
    fields: {
      spec: 'What the set should look like: how many pods, their template, their claims and how they are updated.',
      status: 'What the controller last observed about the pods of this set. Written by the controller; may lag.',
    },
  },
  'apps.v1.StatefulSetSpec': {
    about: 'The desired state of a StatefulSet.',
    fields: {
      replicas:
        'How many pods the set should run, numbered from the start ordinal upwards. Omitted means 1. ' +
        'Scaling down removes the highest ordinals first; their claims are kept unless the retention policy says otherwise.',
      selector:
        'Label query that picks the pods this set owns. It must match the labels of the pod template and cannot be changed later.',
      template:
        'The pod every ordinal is created from. Each pod gets the template plus its own name, hostname, subdomain ' +
        'and the volumes of its claims. The restart policy must be Always.',
      volumeClaimTemplates:
        'Claims to create for every pod. The claim for template T and pod P is named T-P and is mounted wherever ' +
        'the pod template mounts a volume called T. Claims are created once and reused by the same ordinal.',
      serviceName:
        'Name of the headless Service that gives the pods their DNS names: <pod>.<serviceName>.<namespace>.svc. ' +
        'The Service must exist for the names to resolve; the set does not create it.',
      podManagementPolicy:
        'How pods are created and removed when the set scales. OrderedReady (the default) starts one pod at a ' +
        'time in ordinal order and waits for it to be Running and Ready; removal goes in reverse order. ' +
        'Parallel starts and removes pods all at once. Rolling updates are not affected.',
      updateStrategy: 'How pods are replaced when the pod template changes. Defaults to RollingUpdate.',
      revisionHistoryLimit:
        'How many old ControllerRevisions to keep for rollbacks. Revisions still used by a pod are never removed. Defaults to 10.',
      minReadySeconds:
        'Seconds a new pod must stay Ready, with no container crashing, before it counts as available. Defaults to 0.',
      persistentVolumeClaimRetentionPolicy:
        'Whether the claims made from volumeClaimTemplates are deleted when the set is deleted or scaled down. ' +
        'By default they are always kept.',
      ordinals: 'Where pod numbering starts. Without it the first pod is number 0.',
    },
    enums: { podManagementPolicy: ['OrderedReady', 'Parallel'] },
  },
  'apps.v1.StatefulSetUpdateStrategy': {
    about: 'How the StatefulSet controller moves pods to a new revision of the pod template.',
    fields: {
      type:
        'RollingUpdate (the default) replaces pods automatically, highest ordinal first, one at a time unless ' +
        'maxUnavailable allows more. OnDelete leaves running pods alone; a pod picks up the new template only ' +
        'when it is deleted.',
      rollingUpdate: 'Settings for the RollingUpdate strategy; only used when type is RollingUpdate.',
    },
    enums: { type: ['OnDelete', 'RollingUpdate'] },
  },
  'apps.v1.RollingUpdateStatefulSetStrategy': {
    about: 'Settings of a StatefulSet rolling update.',
    fields: {
      partition:
        'Only pods whose ordinal is greater than or equal to this number are updated to the new revision. ' +
        'Pods below it keep their current revision, even when they are deleted and recreated. Defaults to 0, ' +
        'which updates every pod; raise it to stage a canary rollout and lower it step by step to finish.',
      maxUnavailable:
        'How many pods may be unavailable at once while updating: a number, or a percentage of replicas rounded ' +
        'down to at least 1. Defaults to 1. Pods below the partition count towards the limit when they are unavailable.',
    },
  },
  'apps.v1.StatefulSetOrdinals': {
    about: 'Numbering of the pods in a StatefulSet.',
    fields: {
      start: 'Number given to the first pod. With replicas R the pods are numbered start to start+R-1. Defaults to 0.',
    },
  },
  'apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy': {
    about: 'What happens to the claims created from volumeClaimTemplates when their pods go away.',
    fields: {
      whenDeleted:
        'Retain (the default) keeps the claims when the StatefulSet is deleted; Delete removes them once their pods are gone.',
      whenScaled:
        'Retain (the default) keeps the claims of pods removed by scaling down; Delete removes the claims of ' +
        'ordinals above the new replica count.',
    },
    enums: { whenDeleted: ['Delete', 'Retain'], whenScaled: ['Delete', 'Retain'] },
  },
  'apps.v1.StatefulSetStatus': {
    about: 'Observed state of a StatefulSet, written by the controller.',
    fields: {
      observedGeneration: 'The spec generation this status describes; compare with metadata.generation.',
      replicas: 'Pods the controller has created for this set.',
      readyReplicas: 'Pods of this set whose Ready condition is true.',
      currentReplicas: 'Pods running the revision named in currentRevision.',
      updatedReplicas: 'Pods running the revision named in updateRevision.',
      availableReplicas: 'Pods that have been Ready for at least minReadySeconds.',
      currentRevision: 'Name of the ControllerRevision the pods below the update point are running.',
      updateRevision: 'Name of the ControllerRevision made from the current pod template.',
      collisionCount:
        'Counts hash collisions of revision names; mixed into the hash so that a new revision gets a fresh name.',
      conditions: 'Latest observations of the set, one entry per condition type.',
    },
  },
  'apps.v1.StatefulSetCondition': {
    about: 'One observation about a StatefulSet.',
    fields: {
      type: 'Which condition this is.',
      status: 'True, False or Unknown.',
      reason: 'One-word, CamelCase reason for the last change.',
      message: 'Human-readable detail about the last change.',
      lastTransitionTime: 'When status last changed.',
    },
  },
  'apps.v1.Deployment': {
    about:
      'Runs interchangeable pods through ReplicaSets and rolls them to a new template at a controlled pace. ' +
      'Pods of a Deployment have no stable identity or storage; use a StatefulSet for that.',
    fields: {
      spec: 'The desired pods and how to roll them out.',
      status: 'What the Deployment controller last observed. Written by the controller; may lag.',
    },
  },
  'apps.v1.DeploymentSpec': {
    about: 'The desired state of a Deployment.',
    fields: {
      replicas: 'How many pods to run. Omitted means 1.',
      selector: 'Label query that picks the pods of this Deployment. It must match the template labels.',
      template: 'The pod the Deployment runs; a change to it starts a rollout.',
      strategy: 'How old pods are replaced by new ones.',
      minReadySeconds: 'Seconds a new pod must stay Ready before it counts as available. Defaults to 0.',
      revisionHistoryLimit: 'How many old ReplicaSets to keep for rollbacks. Defaults to 10.',
      paused: 'While true, template changes do not start a rollout.',
      progressDeadlineSeconds:
        'Seconds a rollout may go without progress before the Progressing condition reports a failure. Defaults to 600.',
    },
  },
  'apps.v1.DeploymentStrategy': {
    about: 'How a Deployment replaces its pods.',
    fields: {
      type: 'Recreate removes all old pods before starting new ones; RollingUpdate (the default) overlaps them.',
      rollingUpdate: 'Limits of a rolling update; only used when type is RollingUpdate.',
    },
    enums: { type: ['Recreate', 'RollingUpdate'] },
  },
  'apps.v1.RollingUpdateDeployment': {
    about: 'Limits of a Deployment rolling update.',
    fields: {
      maxUnavailable:
        'Pods that may be missing below the desired count during the update: a number or a percentage (rounded down). Defaults to 25%.',
      maxSurge:
        'Pods that may be created above the desired count during the update: a number or a percentage (rounded up). Defaults to 25%.',
    },
  },
  'apps.v1.DeploymentStatus': {
    about: 'Observed state of a Deployment.',
    fields: {
      observedGeneration: 'The spec generation this status describes.',
      replicas: 'Pods belonging to this Deployment, of any revision.',
      updatedReplicas: 'Pods running the current template.',
      readyReplicas: 'Pods whose Ready condition is true.',
      availableReplicas: 'Pods that have been Ready for at least minReadySeconds.',
      unavailableReplicas: 'Pods still needed before the Deployment has its full count available.',
      terminatingReplicas: 'Pods of this Deployment that are shutting down.',
      collisionCount: 'Counts hash collisions when naming new ReplicaSets.',
      conditions: 'Latest observations of the Deployment (Available, Progressing, ReplicaFailure).',
    },
  },
  'apps.v1.DeploymentCondition': {
    about: 'One observation about a Deployment.',
    fields: {
      type: 'Which condition this is.',
      status: 'True, False or Unknown.',
      reason: 'One-word, CamelCase reason for the last change.',
      message: 'Human-readable detail about the last change.',
      lastUpdateTime: 'When this condition was last written.',
      lastTransitionTime: 'When status last changed.',
    },
  },
  'apps.v1.ReplicaSet': {
    about:
      'Keeps a given number of identical pods running. Usually created and scaled by a Deployment rather than by hand.',
    fields: {
      spec: 'The desired pods.',
      status: 'What the ReplicaSet controller last observed.',
    },
  },
  'apps.v1.ReplicaSetSpec': {
    about: 'The desired state of a ReplicaSet.',
    fields: {
      replicas: 'How many pods to keep running. Omitted means 1.',
      selector: 'Label query that picks the pods of this ReplicaSet. It must match the template labels.',
      template: 'The pod created whenever one is missing.',
      minReadySeconds: 'Seconds a new pod must stay Ready before it counts as available. Defaults to 0.',
    },
  },
  'apps.v1.ReplicaSetStatus': {
    about: 'Observed state of a ReplicaSet.',
    fields: {
      observedGeneration: 'The spec generation this status describes.',
      replicas: 'Pods currently owned by this ReplicaSet.',
      fullyLabeledReplicas: 'Pods whose labels match the template labels exactly.',
      readyReplicas: 'Pods whose Ready condition is true.',
      availableReplicas: 'Pods that have been Ready for at least minReadySeconds.',
      terminatingReplicas: 'Pods of this ReplicaSet that are shutting down.',
      conditions: 'Latest observations of the ReplicaSet.',
    },
  },
  'apps.v1.ReplicaSetCondition': {
    about: 'One observation about a ReplicaSet.',
    fields: {
      type: 'Which condition this is.',
      status: 'True, False or Unknown.',
      reason: 'One-word, CamelCase reason for the last change.',
      message: 'Human-readable detail about the last change.',
      lastTransitionTime: 'When status last changed.',
    },
  },
  'apps.v1.ControllerRevision': {
    about:
      'An immutable snapshot of a pod template, kept by the StatefulSet controller so that it can tell pod ' +
      'revisions apart and roll back. Not meant to be written by users.',
    fields: {
      data: 'The snapshot: a patch that restores the pod template of this revision.',
      revision: 'Sequence number of this revision within its owner; higher is newer.',
    },
  },
  'autoscaling.v1.Scale': {
    about: 'The replica count of a scalable resource, read and written through its /scale subresource.',
    fields: {
      spec: 'The desired replica count.',
      status: 'The observed replica count and pod selector.',
    },
  },
  'autoscaling.v1.ScaleSpec': {
    about: 'Desired scale.',
    fields: { replicas: 'How many replicas the resource should run.' },
  },
  'autoscaling.v1.ScaleStatus': {
    about: 'Observed scale.',
    fields: {
      replicas: 'How many replicas the resource currently has.',
      selector: 'The label selector of the pods, in the string form kubectl accepts with -l.',
    },
  },
}
