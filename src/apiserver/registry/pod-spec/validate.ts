/**
 * ValidatePodSpec and ValidatePodTemplateSpec of core/validation, in upstream's order, with its
 * messages and field paths. Callers pass the defaulted spec. Pure: no I/O.
 */
import type { PodSpec, PodTemplateSpec } from '../../../api/pod.js'
import {
  type FieldError,
  forbiddenField,
  invalidValue,
  notSupported,
  type Path,
  required,
} from '../../../machinery/field-error.js'
import { validateLabels } from '../../../machinery/labels.js'
import { inclusiveRangeError, nameIsDNSSubdomain } from '../../../machinery/validation/names.js'
import { validateAnnotations } from '../../../machinery/validation/object-meta.js'
import { validateContainers, validateInitContainers } from './containers.js'
import { validateDNS1123Label } from './helpers.js'
import {
  validateAffinity,
  validateDNSConfig,
  validateHostAliases,
  validateReadinessGates,
  validateSchedulingGates,
  validateTolerations,
} from './scheduling.js'
import { validatePodSecurityContext } from './security.js'
import { validateVolumes } from './volumes.js'

/** PodValidationOptions petset needs. */
export interface PodValidationOptions {
  /** The spec belongs to a Pod (stricter hostNetwork port rule), not to a template. */
  resourceIsPod?: boolean
}

const maxInt32 = 2147483647

/** validatePodHostNetworkDeps: with hostNetwork, hostPort must equal containerPort (or be 0 in templates). */
function validateHostNetworkPorts(spec: PodSpec, path: Path, opts: PodValidationOptions): FieldError[] {
  if (!spec.hostNetwork) return []
  const errs: FieldError[] = []
  ;(spec.containers ?? []).forEach((c, i) => {
    ;(c.ports ?? []).forEach((port, j) => {
      const hp = port.hostPort ?? 0
      if ((opts.resourceIsPod || hp !== 0) && hp !== port.containerPort)
        errs.push(
          invalidValue(
            path.child('containers').index(i).child('ports').index(j).child('hostPort'),
            hp,
            'must match `containerPort` when `hostNetwork` is true',
          ),
        )
    })
  })
  return errs
}

const nameErrors = (value: string | undefined, path: Path) =>
  value ? nameIsDNSSubdomain(value, false).map(m => invalidValue(path, value, m)) : []

/** ValidatePodSpec: the checks of a pod spec, wherever it is embedded. */
export function validatePodSpec(spec: PodSpec, path: Path, opts: PodValidationOptions = {}): FieldError[] {
  const errs: FieldError[] = []
  const grace = spec.terminationGracePeriodSeconds
  if (grace === undefined || grace === null) errs.push(required(path.child('terminationGracePeriodSeconds')))
  const { byName, errors } = validateVolumes(spec.volumes, path.child('volumes'))
  errs.push(...errors)
  errs.push(...validateContainers(spec.containers, byName, grace, path.child('containers')))
  errs.push(
    ...validateInitContainers(spec.initContainers, spec.containers, byName, grace, path.child('initContainers')),
  )
  errs.push(...validateHostNetworkPorts(spec, path, opts))

  const restart = spec.restartPolicy ?? ''
  if (!restart) errs.push(required(path.child('restartPolicy')))
  else if (!['Always', 'OnFailure', 'Never'].includes(restart))
    errs.push(notSupported(path.child('restartPolicy'), restart, ['Always', 'OnFailure', 'Never']))
  const dns = spec.dnsPolicy ?? ''
  const dnsValues = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']
  if (!dns) errs.push(required(path.child('dnsPolicy')))
  else if (!dnsValues.includes(dns)) errs.push(notSupported(path.child('dnsPolicy'), dns, dnsValues))

  errs.push(...validateLabels(spec.nodeSelector, path.child('nodeSelector')))
  errs.push(...validatePodSecurityContext(spec.securityContext, path.child('securityContext')))
  errs.push(...validateAffinity(spec.affinity, path.child('affinity')))
  errs.push(...validateDNSConfig(spec.dnsConfig, spec.dnsPolicy, path.child('dnsConfig')))
  errs.push(...validateReadinessGates(spec.readinessGates, path.child('readinessGates')))
  errs.push(...validateSchedulingGates(spec.schedulingGates, path.child('schedulingGates')))
  errs.push(...nameErrors(spec.serviceAccountName, path.child('serviceAccountName')))
  errs.push(...nameErrors(spec.nodeName, path.child('nodeName')))
  const ads = spec.activeDeadlineSeconds
  if (ads !== undefined && ads !== null && (ads < 1 || ads > maxInt32))
    errs.push(invalidValue(path.child('activeDeadlineSeconds'), ads, inclusiveRangeError(1, maxInt32)))
  if (spec.hostname) errs.push(...validateDNS1123Label(spec.hostname, path.child('hostname')))
  if (spec.subdomain) errs.push(...validateDNS1123Label(spec.subdomain, path.child('subdomain')))
  errs.push(...validateTolerations(spec.tolerations, path.child('tolerations')))
  errs.push(...validateHostAliases(spec.hostAliases, path.child('hostAliases')))
  errs.push(...nameErrors(spec.priorityClassName, path.child('priorityClassName')))
  const pp = spec.preemptionPolicy
  if (pp !== undefined && pp !== null) {
    if (!pp) errs.push(required(path.child('preemptionPolicy')))
    else if (pp !== 'PreemptLowerPriority' && pp !== 'Never')
      errs.push(notSupported(path.child('preemptionPolicy'), pp, ['PreemptLowerPriority', 'Never']))
  }
  return errs
}

const mirrorPodAnnotation = 'kubernetes.io/config.mirror'
const podDeletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost'

/** GetDeletionCostFromPodAnnotations' acceptance: an int32 without '+' or leading zeros. */
function isDeletionCost(v: string): boolean {
  if (!/^(-?[1-9][0-9]*|0|-0)$/.test(v)) return false
  const n = Number(v)
  return n >= -2147483648 && n <= maxInt32
}

/** ValidatePodSpecificAnnotations: the mirror-pod and pod-deletion-cost annotations. */
export function validatePodSpecificAnnotations(
  annotations: Record<string, string> | undefined,
  spec: PodSpec,
  path: Path,
): FieldError[] {
  const errs: FieldError[] = []
  const a = annotations ?? {}
  if (Object.hasOwn(a, mirrorPodAnnotation) && !spec.nodeName)
    errs.push(
      invalidValue(
        path.key(mirrorPodAnnotation),
        a[mirrorPodAnnotation],
        'must set spec.nodeName if mirror pod annotation is set',
      ),
    )
  if (Object.hasOwn(a, podDeletionCostAnnotation) && !isDeletionCost(a[podDeletionCostAnnotation]!))
    errs.push(
      invalidValue(path.key(podDeletionCostAnnotation), a[podDeletionCostAnnotation], 'must be a 32bit integer'),
    )
  return errs
}

/**
 * ValidatePodTemplateSpec. NOTE: labels and annotations are reported at `<path>.labels` and
 * `<path>.annotations` (no `metadata`), exactly as upstream does.
 */
export function validatePodTemplateSpec(t: PodTemplateSpec, path: Path, opts: PodValidationOptions = {}): FieldError[] {
  const errs = [
    ...validateLabels(t.metadata?.labels, path.child('labels')),
    ...validateAnnotations(t.metadata?.annotations, path.child('annotations')),
    ...validatePodSpecificAnnotations(t.metadata?.annotations, t.spec ?? { containers: [] }, path.child('annotations')),
    ...validatePodSpec(t.spec ?? { containers: [] }, path.child('spec'), opts),
  ]
  const ephemeral = (t.spec as unknown as Record<string, unknown> | undefined)?.ephemeralContainers
  if (Array.isArray(ephemeral) && ephemeral.length > 0)
    errs.push(
      forbiddenField(path.child('spec', 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'),
    )
  return errs
}
