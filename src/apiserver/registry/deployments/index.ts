/**
 * The Deployment strategy (pkg/registry/apps/deployment, apps/v1, 1.32): defaults (replicas 1,
 * RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600), validation,
 * selector immutability, status rules, scale, warnings and the printer. Pure: no I/O.
 */
import type { Deployment, DeploymentSpec, DeploymentStrategy } from '../../../api/apps.js'
import { translateTimestampSince } from '../../../machinery/duration.js'
import { type FieldError, forbiddenField, invalidValue, Path, required } from '../../../machinery/field-error.js'
import { selectorFromLabelSelector } from '../../../machinery/labels.js'
import { defaultPodTemplateSpec } from '../pod-spec/defaults.js'
import { invalidShown, validateNonnegative } from '../pod-spec/helpers.js'
import { ageColumn, column, containerColumns, layoutContainerCells, nameColumn } from '../pod-spec/printing.js'
import {
  goIntOrString,
  intOrPercentValue,
  keepSpec,
  keepStatus,
  replicasScale,
  resetStatus,
  semanticEqual,
  validateCollisionCount,
  validateIntOrPercent,
  validateNotMoreThan100Percent,
  validateReplicaCounters,
  validateSelectorAndTemplate,
  validateSelectorUnchanged,
  workloadWarnings,
} from '../pod-spec/workload.js'
import type { Printer, ResourceStrategy } from '../resource.js'

/** SetDefaults_Deployment plus the template defaults. */
export function defaultDeployment(d: Deployment): void {
  if (!d.spec) d.spec = { template: { spec: { containers: [] } } }
  const spec = d.spec
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1
  if (!spec.strategy) spec.strategy = {}
  if (!spec.strategy.type) spec.strategy.type = 'RollingUpdate'
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {}
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%'
    spec.strategy.rollingUpdate.maxSurge ??= '25%'
  }
  if (spec.revisionHistoryLimit === undefined || spec.revisionHistoryLimit === null) spec.revisionHistoryLimit = 10
  if (spec.progressDeadlineSeconds === undefined || spec.progressDeadlineSeconds === null)
    spec.progressDeadlineSeconds = 600
  if (!spec.template) spec.template = { spec: { containers: [] } }
  defaultPodTemplateSpec(spec.template)
}

function validateStrategy(s: DeploymentStrategy | undefined, path: Path): FieldError[] {
  const strategy = s ?? {}
  switch (strategy.type) {
    case 'Recreate':
      return strategy.rollingUpdate
        ? [forbiddenField(path.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")]
        : []
    case 'RollingUpdate': {
      const ru = strategy.rollingUpdate
      if (!ru) return [required(path.child('rollingUpdate'), 'this should be defaulted and never be nil')]
      const rp = path.child('rollingUpdate')
      const mu = ru.maxUnavailable ?? 0
      const ms = ru.maxSurge ?? 0
      const errs = [
        ...validateIntOrPercent(mu, rp.child('maxUnavailable')),
        ...validateIntOrPercent(ms, rp.child('maxSurge')),
      ]
      if (intOrPercentValue(mu) === 0 && intOrPercentValue(ms) === 0)
        errs.push(invalidShown(rp.child('maxUnavailable'), goIntOrString(mu), 'may not be 0 when `maxSurge` is 0'))
      return errs.concat(validateNotMoreThan100Percent(mu, rp.child('maxUnavailable')))
    }
    default: {
      const ru = strategy.rollingUpdate
        ? '(*apps.RollingUpdateDeployment)(0xc000000000)'
        : '(*apps.RollingUpdateDeployment)(nil)'
      const shown = `apps.DeploymentStrategy{Type:${JSON.stringify(strategy.type ?? '')}, RollingUpdate:${ru}}`
      return [
        {
          type: 'FieldValueNotSupported',
          field: String(path),
          detail: `${shown}: supported values: "Recreate", "RollingUpdate"`,
        },
      ]
    }
  }
}

/** ValidateDeploymentSpec. */
export function validateDeploymentSpec(spec: DeploymentSpec, path = Path.root('spec')): FieldError[] {
  const errs = validateNonnegative(spec.replicas ?? 0, path.child('replicas'))
  errs.push(...validateSelectorAndTemplate(spec, path))
  errs.push(...validateStrategy(spec.strategy, path.child('strategy')))
  errs.push(...validateNonnegative(spec.minReadySeconds ?? 0, path.child('minReadySeconds')))
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, path.child('revisionHistoryLimit')))
  const pds = spec.progressDeadlineSeconds
  if (pds !== undefined && pds !== null) {
    errs.push(...validateNonnegative(pds, path.child('progressDeadlineSeconds')))
    if (pds <= (spec.minReadySeconds ?? 0))
      errs.push(invalidValue(path.child('progressDeadlineSeconds'), pds, 'must be greater than minReadySeconds'))
  }
  return errs
}

/** ValidateDeploymentUpdate plus the apps/v1 selector immutability (ObjectMeta aside). */
export function validateDeploymentUpdate(d: Deployment, old: Deployment): FieldError[] {
  return [
    ...validateDeploymentSpec(d.spec),
    ...validateSelectorUnchanged(d.spec.selector, old.spec.selector, Path.root('spec').child('selector')),
  ]
}

/** ValidateDeploymentStatusUpdate (ObjectMeta aside). */
export function validateDeploymentStatusUpdate(d: Deployment, old: Deployment): FieldError[] {
  const status = Path.root('status')
  return [
    ...validateReplicaCounters(
      d.status,
      {
        nonNegative: [
          'observedGeneration',
          'replicas',
          'updatedReplicas',
          'readyReplicas',
          'availableReplicas',
          'unavailableReplicas',
          'collisionCount',
        ],
        atMostReplicas: ['updatedReplicas', 'readyReplicas', 'availableReplicas'],
        availableVsReady: 'cannot be greater than readyReplicas',
      },
      status,
    ),
    ...validateCollisionCount(d.status, old.status, status),
  ]
}

/** printDeployment. */
export const deploymentPrinter: Printer<Deployment> = {
  columns: [
    nameColumn(),
    column('Ready', 'Number of the pod with ready state'),
    column(
      'Up-to-date',
      'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
    ),
    column(
      'Available',
      'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
    ),
    ageColumn(),
    ...containerColumns(),
    column(
      'Selector',
      'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
      { priority: 1 },
    ),
  ],
  cells(d, now) {
    const [names, images] = layoutContainerCells(d.spec.template?.spec?.containers)
    let selector: string
    try {
      selector = selectorFromLabelSelector(d.spec.selector).toString()
    } catch {
      selector = '<invalid>'
    }
    return [
      d.metadata.name ?? '',
      `${d.status?.readyReplicas ?? 0}/${d.spec.replicas ?? 0}`,
      d.status?.updatedReplicas ?? 0,
      d.status?.availableReplicas ?? 0,
      translateTimestampSince(d.metadata.creationTimestamp, now),
      names,
      images,
      selector,
    ]
  },
}

/** The Deployment strategy. */
export const strategy: ResourceStrategy<Deployment> = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  resource: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  statusSubresource: true,
  generation: true,
  scale: replicasScale<Deployment>(),
  defaults: defaultDeployment,
  prepareForCreate: d => resetStatus(d, {}),
  prepareForUpdate(d, old) {
    keepStatus(d, old)
    // Annotations are copied to ReplicaSets, so changing them bumps the generation too.
    if (semanticEqual(d.spec, old.spec) && !semanticEqual(d.metadata.annotations ?? {}, old.metadata.annotations ?? {}))
      d.metadata.generation = (old.metadata.generation ?? 0) + 1
  },
  prepareForStatusUpdate(d, old) {
    keepSpec(d, old)
    // Upstream's deployment status strategy also keeps the labels.
    if (old.metadata.labels) d.metadata.labels = structuredClone(old.metadata.labels)
    else delete d.metadata.labels
  },
  validate: d => validateDeploymentSpec(d.spec),
  validateUpdate: validateDeploymentUpdate,
  validateStatusUpdate: validateDeploymentStatusUpdate,
  warnings: (d, old) =>
    !old || !semanticEqual(d.spec, old.spec) ? workloadWarnings(d.metadata.name, d.spec.template, !!old) : [],
  printer: deploymentPrinter,
}
