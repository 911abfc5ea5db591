/**
 * StatefulSet validation (apps/validation, 1.32; statefulset.md §6.4): spec rules with upstream's
 * messages and paths, the update mutability rule, and /status rules. ObjectMeta (name as a DNS
 * label) is checked by the registry with validateStatefulSetName. Pure: no I/O.
 */
import type { StatefulSet, StatefulSetSpec, StatefulSetUpdateStrategy } from '../../../api/apps.js'
import {
  type FieldError,
  forbiddenField,
  invalidValue,
  notSupported,
  Path,
  required,
} from '../../../machinery/field-error.js'
import { validateLabels } from '../../../machinery/labels.js'
import { nameIsDNSLabel } from '../../../machinery/validation/names.js'
import { validateAnnotations } from '../../../machinery/validation/object-meta.js'
import { invalidShown, validateNonnegative } from '../pod-spec/helpers.js'
import { validatePodSpecificAnnotations } from '../pod-spec/validate.js'
import {
  goIntOrString,
  intOrPercentValue,
  selectorOrError,
  semanticEqual,
  validateCollisionCount,
  validateIntOrPercent,
  validateNotMoreThan100Percent,
  validateReplicaCounters,
  validateSelectorMatchesTemplate,
  validateWorkloadSelector,
} from '../pod-spec/workload.js'

/** ValidateStatefulSetName: a DNS-1123 label since 1.27 (pod names and hostnames derive from it). */
export const validateStatefulSetName = (name: string) => nameIsDNSLabel(name, false)

/** Go's %#v of the internal StatefulSetUpdateStrategy (rollingUpdate shown only when nil). */
function goUpdateStrategy(s: StatefulSetUpdateStrategy): string {
  // NOTE: a non-nil rollingUpdate prints as a pointer address upstream; we print a stand-in.
  const ru = s.rollingUpdate
    ? '(*apps.RollingUpdateStatefulSetStrategy)(0xc000000000)'
    : '(*apps.RollingUpdateStatefulSetStrategy)(nil)'
  return `apps.StatefulSetUpdateStrategy{Type:${JSON.stringify(s.type ?? '')}, RollingUpdate:${ru}}`
}

function validateUpdateStrategy(s: StatefulSetUpdateStrategy | undefined, path: Path): FieldError[] {
  const strategy = s ?? {}
  const p = path.child('updateStrategy')
  const errs: FieldError[] = []
  switch (strategy.type ?? '') {
    case '':
      return [required(p)]
    case 'OnDelete':
      if (strategy.rollingUpdate) {
        const ru = strategy.rollingUpdate
        const mu =
          ru.maxUnavailable === undefined ? '(*intstr.IntOrString)(nil)' : '(*intstr.IntOrString)(0xc000000000)'
        errs.push(
          invalidShown(
            p.child('rollingUpdate'),
            `apps.RollingUpdateStatefulSetStrategy{Partition:${ru.partition ?? 0}, MaxUnavailable:${mu}}`,
            "only allowed for updateStrategy 'RollingUpdate'",
          ),
        )
      }
      return errs
    case 'RollingUpdate': {
      const ru = strategy.rollingUpdate
      if (!ru) return errs
      const rp = p.child('rollingUpdate')
      errs.push(...validateNonnegative(ru.partition ?? 0, rp.child('partition')))
      if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
        const mp = rp.child('maxUnavailable')
        errs.push(...validateIntOrPercent(ru.maxUnavailable, mp))
        if (intOrPercentValue(ru.maxUnavailable) === 0)
          errs.push(invalidShown(mp, goIntOrString(ru.maxUnavailable), 'cannot be 0'))
        errs.push(...validateNotMoreThan100Percent(ru.maxUnavailable, mp))
      }
      return errs
    }
    default:
      return [invalidShown(p, goUpdateStrategy(strategy), "must be 'RollingUpdate' or 'OnDelete'")]
  }
}

/** ValidateStatefulSetSpec. */
export function validateStatefulSetSpec(spec: StatefulSetSpec, path = Path.root('spec')): FieldError[] {
  const errs: FieldError[] = []
  const pmp = spec.podManagementPolicy ?? ''
  if (!pmp) errs.push(required(path.child('podManagementPolicy')))
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel')
    errs.push(invalidValue(path.child('podManagementPolicy'), pmp, "must be 'OrderedReady' or 'Parallel'"))
  errs.push(...validateUpdateStrategy(spec.updateStrategy, path))
  const retention = spec.persistentVolumeClaimRetentionPolicy
  if (retention)
    for (const k of ['whenDeleted', 'whenScaled'] as const) {
      const v = retention[k] ?? ''
      if (v !== 'Retain' && v !== 'Delete')
        errs.push(notSupported(path.child('persistentVolumeClaimRetentionPolicy', k), v, ['Retain', 'Delete']))
    }
  errs.push(...validateNonnegative(spec.replicas ?? 0, path.child('replicas')))
  errs.push(...validateNonnegative(spec.minReadySeconds ?? 0, path.child('minReadySeconds')))
  if (spec.ordinals) errs.push(...validateNonnegative(spec.ordinals.start ?? 0, path.child('ordinals.start')))
  errs.push(...validateWorkloadSelector(spec.selector, 'statefulset', path.child('selector')))

  const template = spec.template ?? { spec: { containers: [] } }
  const tp = path.child('template')
  const selector = selectorOrError(spec.selector, path.child('selector'), '')
  if ('type' in selector) errs.push(selector)
  else {
    // ValidatePodTemplateSpecForStatefulSet: the pod spec itself is not validated here (1.32).
    errs.push(...validateSelectorMatchesTemplate(selector, template, tp))
    errs.push(...validateLabels(template.metadata?.labels, tp.child('labels')))
    errs.push(...validateAnnotations(template.metadata?.annotations, tp.child('annotations')))
    errs.push(
      ...validatePodSpecificAnnotations(
        template.metadata?.annotations,
        template.spec ?? { containers: [] },
        tp.child('annotations'),
      ),
    )
  }
  const rp = template.spec?.restartPolicy ?? ''
  if (rp !== 'Always') errs.push(notSupported(tp.child('spec', 'restartPolicy'), rp, ['Always']))
  if (template.spec?.activeDeadlineSeconds !== undefined && template.spec?.activeDeadlineSeconds !== null)
    errs.push(
      forbiddenField(
        tp.child('spec', 'activeDeadlineSeconds'),
        'activeDeadlineSeconds in StatefulSet is not Supported',
      ),
    )
  return errs
}

/** ValidateStatefulSetUpdate (ObjectMeta aside): the new spec is valid and only mutable fields changed. */
export function validateStatefulSetUpdate(sts: StatefulSet, old: StatefulSet): FieldError[] {
  const errs = validateStatefulSetSpec(sts.spec)
  const clone: StatefulSetSpec = {
    ...sts.spec,
    replicas: old.spec.replicas,
    template: old.spec.template,
    updateStrategy: old.spec.updateStrategy,
    minReadySeconds: old.spec.minReadySeconds,
    ordinals: old.spec.ordinals,
    persistentVolumeClaimRetentionPolicy: old.spec.persistentVolumeClaimRetentionPolicy,
  }
  if (!semanticEqual(clone, old.spec))
    errs.push(
      forbiddenField(
        Path.root('spec'),
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    )
  return errs
}

/** ValidateStatefulSetStatusUpdate (ObjectMeta aside). */
export function validateStatefulSetStatusUpdate(sts: StatefulSet, old: StatefulSet): FieldError[] {
  const status = Path.root('status')
  const counters = ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas']
  const errs = validateReplicaCounters(
    sts.status,
    {
      nonNegative: ['replicas', ...counters, 'observedGeneration', 'collisionCount'],
      atMostReplicas: counters,
      availableVsReady: 'cannot be greater than status.readyReplicas',
    },
    status,
  )
  return errs.concat(validateCollisionCount(sts.status, old.status, status))
}
