/**
 * Pieces shared by the apps kinds that embed a pod template (StatefulSet, Deployment,
 * ReplicaSet): selector rules, the ReplicaSet-style template check, replica-count status rules,
 * the /scale mapping, and the status/spec resets of their strategies. Pure: no I/O.
 */
import type { LabelSelector } from '../../../api/meta.js'
import type { IntOrString, PodTemplateSpec } from '../../../api/pod.js'
import {
  type FieldError,
  forbiddenField,
  invalidValue,
  notSupported,
  type Path,
  required,
} from '../../../machinery/field-error.js'
import { type Selector, selectorFromLabelSelector, validateLabelSelector } from '../../../machinery/labels.js'
import { deepEqual } from '../../../machinery/objects.js'
import { isDNS1123Label, isValidPercent } from '../../../machinery/validation/names.js'
import type { ScaleAccess } from '../resource.js'
import { goLabelSelector, goStringMap, invalidShown, validateNonnegative } from './helpers.js'
import { validatePodTemplateSpec } from './validate.js'
import { podSpecWarnings } from './warnings.js'

/**
 * spec.selector of an apps kind: required, syntactically valid (strictly), not empty.
 * `kindWord` completes "empty selector is invalid for <kindWord>".
 */
export function validateWorkloadSelector(ls: LabelSelector | undefined, kindWord: string, path: Path): FieldError[] {
  if (!ls) return [required(path)]
  const errs = validateLabelSelector(ls, path)
  if (Object.keys(ls.matchLabels ?? {}).length + (ls.matchExpressions ?? []).length === 0)
    errs.push(invalidShown(path, goLabelSelector(ls), `empty selector is invalid for ${kindWord}`))
  return errs
}

/**
 * metav1.LabelSelectorAsSelector, or an Invalid error on spec.selector when it cannot be built
 * (`detail` is "" for StatefulSets, "invalid label selector" for Deployments and ReplicaSets).
 */
export function selectorOrError(ls: LabelSelector | undefined, path: Path, detail: string): Selector | FieldError {
  try {
    return selectorFromLabelSelector(ls)
  } catch {
    return invalidShown(path, ls ? goLabelSelector(ls) : 'null', detail)
  }
}

/** The `selector` does not match template `labels` check (skipped for an empty selector). */
export function validateSelectorMatchesTemplate(
  selector: Selector,
  template: PodTemplateSpec,
  path: Path,
): FieldError[] {
  if (selector.isEmpty() || selector.matches(template.metadata?.labels ?? {})) return []
  return [
    invalidShown(
      path.child('metadata', 'labels'),
      goStringMap(template.metadata?.labels),
      '`selector` does not match template `labels`',
    ),
  ]
}

/** ValidatePodTemplateSpecForReplicaSet: selector match, full template validation, Always, no deadline. */
export function validateTemplateForReplicaSet(template: PodTemplateSpec, selector: Selector, path: Path): FieldError[] {
  const errs = validateSelectorMatchesTemplate(selector, template, path)
  errs.push(...validatePodTemplateSpec(template, path))
  const rp = template.spec?.restartPolicy ?? ''
  if (rp !== 'Always') errs.push(notSupported(path.child('spec', 'restartPolicy'), rp, ['Always']))
  if (template.spec?.activeDeadlineSeconds !== undefined && template.spec?.activeDeadlineSeconds !== null)
    errs.push(
      forbiddenField(
        path.child('spec', 'activeDeadlineSeconds'),
        'activeDeadlineSeconds in ReplicaSet is not Supported',
      ),
    )
  return errs
}

/**
 * Selector and template of a Deployment or ReplicaSet (the shared part of their Validate*Spec).
 * NOTE: upstream says "empty selector is invalid for deployment" for ReplicaSets too; kept.
 */
export function validateSelectorAndTemplate(
  spec: { selector?: LabelSelector; template?: PodTemplateSpec },
  path: Path,
): FieldError[] {
  const errs = validateWorkloadSelector(spec.selector, 'deployment', path.child('selector'))
  const selector = selectorOrError(spec.selector, path.child('selector'), 'invalid label selector')
  if ('type' in selector) return [...errs, selector]
  return errs.concat(
    validateTemplateForReplicaSet(spec.template ?? { spec: { containers: [] } }, selector, path.child('template')),
  )
}

/** ValidateImmutableField on spec.selector (apps/v1 Deployments and ReplicaSets). */
export function validateSelectorUnchanged(
  next: LabelSelector | undefined,
  prev: LabelSelector | undefined,
  path: Path,
): FieldError[] {
  if ((next === undefined) === (prev === undefined) && semanticEqual({ s: next }, { s: prev })) return []
  return [invalidShown(path, next ? goLabelSelector(next) : '"null"', 'field is immutable')]
}

/**
 * Replica counters of a status: every field in `nonNegative` (in upstream's order) at least 0,
 * every field in `atMostReplicas` no more than status.replicas, and, when `availableVsReady` is
 * given, availableReplicas no more than readyReplicas (with that message).
 */
export function validateReplicaCounters(
  status: object | undefined,
  rules: { nonNegative: string[]; atMostReplicas: string[]; availableVsReady?: string },
  path: Path,
): FieldError[] {
  const s = (status ?? {}) as Record<string, unknown>
  const num = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : 0)
  const errs: FieldError[] = []
  for (const k of rules.nonNegative) errs.push(...validateNonnegative(num(k), path.child(k)))
  const msg = 'cannot be greater than status.replicas'
  for (const k of rules.atMostReplicas)
    if (num(k) > num('replicas')) errs.push(invalidValue(path.child(k), num(k), msg))
  if (rules.availableVsReady && num('availableReplicas') > num('readyReplicas'))
    errs.push(invalidValue(path.child('availableReplicas'), num('availableReplicas'), rules.availableVsReady))
  return errs
}

/** IsDecremented on status.collisionCount: `status.collisionCount: Invalid value: N: cannot be decremented`. */
export function validateCollisionCount(
  next: { collisionCount?: number } | undefined,
  prev: { collisionCount?: number } | undefined,
  path: Path,
): FieldError[] {
  const n = next?.collisionCount
  const o = prev?.collisionCount
  if (o === undefined || o === null) return []
  if (n === undefined || n === null || n < o)
    return [invalidValue(path.child('collisionCount'), n ?? 0, 'cannot be decremented')]
  return []
}

/** Go's %#v of an intstr.IntOrString value, as apps validation errors print it. */
export function goIntOrString(v: IntOrString): string {
  return typeof v === 'number'
    ? `intstr.IntOrString{Type:0, IntVal:${v}, StrVal:""}`
    : `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(v)}}`
}

/** getIntOrPercentValue: the int, or the number of a valid percentage (0 otherwise). */
export function intOrPercentValue(v: IntOrString): number {
  if (typeof v === 'number') return v
  if (typeof v !== 'string') return 0
  return isValidPercent(v).length ? 0 : Number(v.slice(0, -1))
}

/**
 * ValidatePositiveIntOrPercent (which allows 0), with upstream's value rendering: ints print
 * bare, IntOrString structs as Go's %#v.
 */
export function validateIntOrPercent(v: IntOrString, path: Path): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map(m => invalidShown(path, goIntOrString(v), m))
  if (typeof v === 'number') return validateNonnegative(v, path)
  return [invalidShown(path, String(v), "must be an integer or percentage (e.g '5%')")]
}

/** IsNotMoreThan100Percent: a valid percentage above 100% is rejected. */
export function validateNotMoreThan100Percent(v: IntOrString, path: Path): FieldError[] {
  if (typeof v !== 'string' || isValidPercent(v).length > 0 || Number(v.slice(0, -1)) <= 100) return []
  return [invalidShown(path, goIntOrString(v), 'must not be greater than 100%')]
}

/** Drops what Go's zero values make invisible: absent, null, "", 0, false, [], {} (recursively). */
function prune(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(prune)
  if (typeof v !== 'object' || v === null) return v
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(v)) {
    const p = prune(x)
    const empty =
      p === undefined ||
      p === null ||
      p === '' ||
      p === 0 ||
      p === false ||
      (Array.isArray(p) && p.length === 0) ||
      (typeof p === 'object' && p !== null && !Array.isArray(p) && Object.keys(p).length === 0)
    if (!empty) out[k] = p
  }
  return out
}

/**
 * apiequality.Semantic.DeepEqual on JSON: a missing field equals its zero value, nil equals
 * empty. NOTE: slightly more lenient than Go for pointers to zero values (0 vs unset).
 */
export const semanticEqual = (a: unknown, b: unknown) => deepEqual(prune(a), prune(b))

/** The selector string Scale.status.selector carries (LabelSelectorAsSelector(...).String()). */
export function scaleSelector(ls: LabelSelector | undefined): string {
  try {
    return selectorFromLabelSelector(ls).toString()
  } catch {
    return ''
  }
}

/** Scale access for kinds with spec.replicas, status.replicas and spec.selector. */
export function replicasScale<
  T extends { spec: { replicas?: number; selector?: LabelSelector }; status?: { replicas?: number } } & Parameters<
    ScaleAccess['specReplicas']
  >[0],
>(): ScaleAccess<T> {
  return {
    specReplicas: obj => obj.spec.replicas ?? 0,
    statusReplicas: obj => obj.status?.replicas ?? 0,
    selector: obj => scaleSelector(obj.spec.selector),
    setSpecReplicas: (obj, replicas) => {
      obj.spec.replicas = replicas
    },
  }
}

/**
 * prepareForCreate of a kind with a status subresource: no status from clients. `zero` is the
 * status Go would encode for an empty struct (fields without omitempty, e.g. `replicas: 0`).
 */
export function resetStatus<S>(obj: { status?: S }, zero: S): void {
  obj.status = zero
}

/** prepareForUpdate of such a kind: status comes from the stored object. */
export function keepStatus(obj: { status?: unknown }, old: { status?: unknown }): void {
  if (old.status === undefined) delete obj.status
  else obj.status = structuredClone(old.status)
}

/** prepareForStatusUpdate: spec comes from the stored object. */
export function keepSpec(obj: { spec?: unknown }, old: { spec?: unknown }): void {
  obj.spec = structuredClone(old.spec)
}

/**
 * Deployment/ReplicaSet warnings: on create the name (pods are named after it) and the
 * template; on updates that change the spec, the template only.
 */
export function workloadWarnings(
  name: string | undefined,
  template: PodTemplateSpec | undefined,
  isUpdate: boolean,
): string[] {
  const out: string[] = []
  const msgs = isUpdate ? [] : isDNS1123Label(name ?? '')
  if (msgs.length)
    out.push(
      `metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [${msgs.join(' ')}]`,
    )
  return out.concat(podSpecWarnings(template?.spec ?? { containers: [] }, template?.metadata, 'spec.template'))
}
