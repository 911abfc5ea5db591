/**
 * The StatefulSet strategy (pkg/registry/apps/statefulset, 1.32; statefulset.md §6): apps/v1,
 * status and scale subresources, generation, §6.2 defaults, §6.4 validation, template warnings
 * and the Name·Ready·Age·Containers·Images printer. Pure: no I/O.
 * NOTE: upstream clears rollingUpdate.maxUnavailable (gate off); petset keeps and validates it.
 */
import type { StatefulSet } from '../../../api/apps.js'
import { translateTimestampSince } from '../../../machinery/duration.js'
import { ageColumn, column, containerColumns, layoutContainerCells, nameColumn } from '../pod-spec/printing.js'
import { podSpecWarnings } from '../pod-spec/warnings.js'
import { keepSpec, keepStatus, replicasScale, resetStatus, semanticEqual } from '../pod-spec/workload.js'
import type { Printer, ResourceStrategy } from '../resource.js'
import { defaultStatefulSet } from './defaults.js'
import {
  validateStatefulSetName,
  validateStatefulSetSpec,
  validateStatefulSetStatusUpdate,
  validateStatefulSetUpdate,
} from './validation.js'

export { defaultStatefulSet } from './defaults.js'
export { validateStatefulSetSpec, validateStatefulSetStatusUpdate, validateStatefulSetUpdate } from './validation.js'

/** printStatefulSet. */
export const statefulSetPrinter: Printer<StatefulSet> = {
  columns: [nameColumn(), column('Ready', 'Number of the pod with ready state'), ageColumn(), ...containerColumns()],
  cells(sts, now) {
    const [names, images] = layoutContainerCells(sts.spec.template?.spec?.containers)
    return [
      sts.metadata.name ?? '',
      `${sts.status?.readyReplicas ?? 0}/${sts.spec.replicas ?? 0}`,
      translateTimestampSince(sts.metadata.creationTimestamp, now),
      names,
      images,
    ]
  },
}

const templateWarnings = (sts: StatefulSet) =>
  podSpecWarnings(sts.spec.template?.spec ?? { containers: [] }, sts.spec.template?.metadata, 'spec.template')

/** The StatefulSet strategy. */
export const strategy: ResourceStrategy<StatefulSet> = {
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  resource: 'statefulsets',
  singular: 'statefulset',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  statusSubresource: true,
  generation: true,
  scale: replicasScale<StatefulSet>(),
  defaults: defaultStatefulSet,
  prepareForCreate: sts => resetStatus(sts, { replicas: 0, availableReplicas: 0 }),
  prepareForUpdate: keepStatus,
  prepareForStatusUpdate: keepSpec,
  validate: sts => validateStatefulSetSpec(sts.spec),
  validateUpdate: validateStatefulSetUpdate,
  validateStatusUpdate: validateStatefulSetStatusUpdate,
  validateName: validateStatefulSetName,
  // Upstream warns on update only when the generation moved, i.e. the spec changed.
  warnings: (sts, old) => (!old || !semanticEqual(sts.spec, old.spec) ? templateWarnings(sts) : []),
  printer: statefulSetPrinter,
}
