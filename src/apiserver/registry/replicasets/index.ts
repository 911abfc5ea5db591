/**
 * The ReplicaSet strategy (pkg/registry/apps/replicaset, apps/v1, 1.32): replicas default 1,
 * selector and template validation, selector immutability, status rules, scale, warnings and
 * the Name·Desired·Current·Ready·Age printer. Pure: no I/O.
 */
import type { ReplicaSet, ReplicaSetSpec } from '../../../api/apps.js'
import { translateTimestampSince } from '../../../machinery/duration.js'
import { type FieldError, Path } from '../../../machinery/field-error.js'
import { formatLabelSelector } from '../../../machinery/labels.js'
import { defaultPodTemplateSpec } from '../pod-spec/defaults.js'
import { validateNonnegative } from '../pod-spec/helpers.js'
import { ageColumn, column, containerColumns, layoutContainerCells, nameColumn } from '../pod-spec/printing.js'
import {
  keepSpec,
  keepStatus,
  replicasScale,
  resetStatus,
  semanticEqual,
  validateReplicaCounters,
  validateSelectorAndTemplate,
  validateSelectorUnchanged,
  workloadWarnings,
} from '../pod-spec/workload.js'
import type { Printer, ResourceStrategy } from '../resource.js'

/** SetDefaults_ReplicaSet plus the template defaults. */
export function defaultReplicaSet(rs: ReplicaSet): void {
  if (!rs.spec) rs.spec = { template: { spec: { containers: [] } } }
  if (rs.spec.replicas === undefined || rs.spec.replicas === null) rs.spec.replicas = 1
  if (!rs.spec.template) rs.spec.template = { spec: { containers: [] } }
  defaultPodTemplateSpec(rs.spec.template)
  // Go always encodes status.replicas (no omitempty).
  if (rs.status) rs.status.replicas ??= 0
}

/** ValidateReplicaSetSpec. */
export function validateReplicaSetSpec(spec: ReplicaSetSpec, path = Path.root('spec')): FieldError[] {
  return [
    ...validateNonnegative(spec.replicas ?? 0, path.child('replicas')),
    ...validateNonnegative(spec.minReadySeconds ?? 0, path.child('minReadySeconds')),
    ...validateSelectorAndTemplate(spec, path),
  ]
}

/** ValidateReplicaSetUpdate plus the apps/v1 selector immutability (ObjectMeta aside). */
export function validateReplicaSetUpdate(rs: ReplicaSet, old: ReplicaSet): FieldError[] {
  return [
    ...validateReplicaSetSpec(rs.spec),
    ...validateSelectorUnchanged(rs.spec.selector, old.spec.selector, Path.root('spec').child('selector')),
  ]
}

/** ValidateReplicaSetStatusUpdate (ObjectMeta aside). */
export function validateReplicaSetStatusUpdate(rs: ReplicaSet): FieldError[] {
  return validateReplicaCounters(
    rs.status,
    {
      nonNegative: ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'],
      atMostReplicas: ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'],
      availableVsReady: 'cannot be greater than readyReplicas',
    },
    Path.root('status'),
  )
}

const rcDoc =
  'More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller'

/** printReplicaSet. */
export const replicaSetPrinter: Printer<ReplicaSet> = {
  columns: [
    nameColumn(),
    column(
      'Desired',
      `Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. ${rcDoc}`,
      {
        type: 'integer',
      },
    ),
    column('Current', `Replicas is the most recently observed number of replicas. ${rcDoc}`, { type: 'integer' }),
    column('Ready', 'The number of ready replicas for this replica set.', { type: 'integer' }),
    ageColumn(),
    ...containerColumns(),
    column(
      'Selector',
      "Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
      { priority: 1 },
    ),
  ],
  cells(rs, now) {
    const [names, images] = layoutContainerCells(rs.spec.template?.spec?.containers)
    return [
      rs.metadata.name ?? '',
      rs.spec.replicas ?? 0,
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      translateTimestampSince(rs.metadata.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(rs.spec.selector),
    ]
  },
}

/** The ReplicaSet strategy. */
export const strategy: ResourceStrategy<ReplicaSet> = {
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  resource: 'replicasets',
  singular: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  statusSubresource: true,
  generation: true,
  scale: replicasScale<ReplicaSet>(),
  defaults: defaultReplicaSet,
  prepareForCreate: rs => resetStatus(rs, { replicas: 0 }),
  prepareForUpdate: keepStatus,
  prepareForStatusUpdate: keepSpec,
  validate: rs => validateReplicaSetSpec(rs.spec),
  validateUpdate: validateReplicaSetUpdate,
  validateStatusUpdate: validateReplicaSetStatusUpdate,
  warnings: (rs, old) =>
    !old || !semanticEqual(rs.spec, old.spec) ? workloadWarnings(rs.metadata.name, rs.spec.template, !!old) : [],
  printer: replicaSetPrinter,
}
