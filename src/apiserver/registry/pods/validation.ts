/**
 * Pod validation on create, update and status update (ValidatePodCreate, ValidatePodUpdate,
 * ValidatePodStatusUpdate of core/validation). ObjectMeta is checked by the generic registry.
 * Pure: no I/O.
 */
import type { Container, ContainerStatus, Pod, PodSpec, Toleration } from '../../../api/pod.js'
import { type FieldError, forbiddenField, invalidValue, Path, required } from '../../../machinery/field-error.js'
import { deepEqual } from '../../../machinery/objects.js'
import { inclusiveRangeError, isValidIP, nameIsDNSSubdomain } from '../../../machinery/validation/names.js'
import { fieldImmutableErrorMsg } from '../../../machinery/validation/object-meta.js'
import { invalidShown, validateQualifiedName } from '../pod-spec/helpers.js'
import { validateTolerations } from '../pod-spec/scheduling.js'
import { validatePodSpec, validatePodSpecificAnnotations } from '../pod-spec/validate.js'
import { podSpecDiff } from './diff.js'

const spec = Path.root('spec')
const maxInt32 = 2147483647

/** The fields a pod update may change, as the Forbidden message lists them (1.32). */
const updatablePodSpecFields = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
]

/** validatePodMetadataAndSpec without ObjectMeta: annotations, spec, pod-only container rules. */
function validatePodMetadataAndSpec(pod: Pod): FieldError[] {
  const errs = validatePodSpecificAnnotations(
    pod.metadata.annotations,
    pod.spec,
    Path.root('metadata').child('annotations'),
  )
  errs.push(...validatePodSpec(pod.spec, spec, { resourceIsPod: true }))
  if (!pod.spec.serviceAccountName)
    (pod.spec.volumes ?? []).forEach((v, vi) => {
      ;(v.projected?.sources ?? []).forEach((s, si) => {
        if (s.serviceAccountToken)
          errs.push(
            forbiddenField(
              spec.child('volumes').index(vi).child('projected', 'sources').index(si).child('serviceAccountToken'),
              'must not be specified when serviceAccountName is not set',
            ),
          )
      })
    })
  for (const kind of ['containers', 'initContainers'] as const)
    (pod.spec[kind] ?? []).forEach((c, i) => {
      if (c.image !== undefined && c.image !== c.image.trim())
        errs.push(
          invalidValue(
            spec.child(kind).index(i).child('image'),
            c.image,
            'must not have leading or trailing whitespace',
          ),
        )
    })
  return errs
}

/** ValidatePodCreate. */
export function validatePodCreate(pod: Pod): FieldError[] {
  const errs = validatePodMetadataAndSpec(pod)
  const ephemeral = (pod.spec as unknown as Record<string, unknown>).ephemeralContainers
  if (Array.isArray(ephemeral) && ephemeral.length > 0)
    errs.push(forbiddenField(spec.child('ephemeralContainers'), 'cannot be set on create'))
  if (pod.spec.nodeName && (pod.spec.schedulingGates ?? []).length > 0)
    errs.push(forbiddenField(spec.child('nodeName'), 'cannot be set until all schedulingGates have been cleared'))
  return errs
}

/** ValidateContainerUpdates: same count; each image present and trimmed. Returns [errors, stop]. */
function validateContainerUpdates(
  next: Container[] | undefined,
  prev: Container[] | undefined,
  path: Path,
): [FieldError[], boolean] {
  if ((next ?? []).length !== (prev ?? []).length)
    return [[forbiddenField(path, 'pod updates may not add or remove containers')], true]
  const errs: FieldError[] = []
  ;(next ?? []).forEach((c, i) => {
    if (!c.image) errs.push(required(path.index(i).child('image')))
    if ((c.image ?? '').trim() !== (c.image ?? ''))
      errs.push(invalidValue(path.index(i).child('image'), c.image, 'must not have leading or trailing whitespace'))
  })
  return [errs, false]
}

/** validateOnlyAddedTolerations: existing tolerations stay (only tolerationSeconds may change). */
function validateOnlyAddedTolerations(
  next: Toleration[] | undefined,
  prev: Toleration[] | undefined,
  path: Path,
): FieldError[] {
  for (const old of prev ?? []) {
    const found = (next ?? []).some(n => deepEqual({ ...old, tolerationSeconds: n.tolerationSeconds }, n))
    if (!found) return [forbiddenField(path, 'existing toleration can not be modified except its tolerationSeconds')]
  }
  return validateTolerations(next, path)
}

/** The spec as the immutability check compares it: the updatable fields taken from `old`. */
function mungeSpec(next: PodSpec, old: PodSpec): PodSpec {
  const m = structuredClone(next)
  m.containers = (m.containers ?? []).map((c, i) => ({ ...c, image: old.containers?.[i]?.image }))
  if (m.initContainers)
    m.initContainers = m.initContainers.map((c, i) => ({ ...c, image: old.initContainers?.[i]?.image }))
  m.activeDeadlineSeconds = old.activeDeadlineSeconds
  m.schedulingGates = old.schedulingGates
  m.tolerations = old.tolerations
  if ((old.terminationGracePeriodSeconds ?? 0) < 0 && m.terminationGracePeriodSeconds === 1)
    m.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds
  // Gated pods may still gain node selectors and node affinity (mutation rules not checked).
  if ((old.schedulingGates ?? []).length > 0) {
    m.nodeSelector = old.nodeSelector
    if (m.affinity || old.affinity) m.affinity = { ...m.affinity, nodeAffinity: old.affinity?.nodeAffinity }
  }
  return JSON.parse(JSON.stringify(m)) as PodSpec
}

/** ValidatePodUpdate (ObjectMeta aside). */
export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = validatePodMetadataAndSpec(pod)
  for (const kind of ['containers', 'initContainers'] as const) {
    const [e, stop] = validateContainerUpdates(pod.spec[kind], old.spec[kind], spec.child(kind))
    errs.push(...e)
    if (stop) return errs
  }
  const ads = pod.spec.activeDeadlineSeconds
  const oldAds = old.spec.activeDeadlineSeconds
  if (ads !== undefined && ads !== null) {
    if (ads < 0 || ads > maxInt32)
      return [...errs, invalidValue(spec.child('activeDeadlineSeconds'), ads, inclusiveRangeError(0, maxInt32))]
    if (oldAds !== undefined && oldAds !== null && oldAds < ads)
      return [
        ...errs,
        invalidValue(spec.child('activeDeadlineSeconds'), ads, 'must be less than or equal to previous value'),
      ]
  } else if (oldAds !== undefined && oldAds !== null)
    errs.push(
      invalidValue(spec.child('activeDeadlineSeconds'), 'null', 'must not update from a positive integer to nil value'),
    )
  errs.push(...validateOnlyAddedTolerations(pod.spec.tolerations, old.spec.tolerations, spec.child('tolerations')))
  const oldGates = new Set((old.spec.schedulingGates ?? []).map(g => g.name))
  ;(pod.spec.schedulingGates ?? []).forEach((g, i) => {
    if (!oldGates.has(g.name))
      errs.push(
        forbiddenField(
          spec.child('schedulingGates').index(i).child('name'),
          `only deletion is allowed, but found new scheduling gate '${g.name}'`,
        ),
      )
  })
  if (deepEqual(pod.spec, old.spec)) return errs
  const munged = mungeSpec(pod.spec, old.spec)
  const oldSpec = JSON.parse(JSON.stringify(old.spec)) as PodSpec
  if (!deepEqual(munged, oldSpec))
    errs.push(
      forbiddenField(
        spec,
        `pod updates may not change fields other than ${updatablePodSpecFields.join(',')}\n${podSpecDiff(oldSpec, munged)}`,
      ),
    )
  return errs
}

/** ValidateContainerStateTransition: without restartPolicy Always, terminated containers stay terminated. */
function validateStateTransitions(
  next: ContainerStatus[] | undefined,
  prev: ContainerStatus[] | undefined,
  path: Path,
  restartPolicy: string | undefined,
  restartable: (name: string) => boolean = () => false,
): FieldError[] {
  if (restartPolicy === 'Always') return []
  const errs: FieldError[] = []
  ;(prev ?? []).forEach((o, i) => {
    const t = o.state?.terminated
    if (!t || (t.exitCode !== 0 && restartPolicy === 'OnFailure') || restartable(o.name)) return
    for (const n of next ?? [])
      if (n.name === o.name && !n.state?.terminated)
        errs.push(forbiddenField(path.index(i).child('state'), 'may not be transitioned to non-terminated state'))
  })
  return errs
}

/** ValidatePodStatusUpdate (ObjectMeta aside). */
export function validatePodStatusUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = validatePodSpecificAnnotations(
    pod.metadata.annotations,
    pod.spec,
    Path.root('metadata').child('annotations'),
  )
  const systemConditions = ['PodScheduled', 'Ready', 'Initialized']
  // NOTE: upstream reports conditions under `metadata.conditions[i].Type`; kept.
  ;(pod.status?.conditions ?? []).forEach((c, i) => {
    if (!systemConditions.includes(c.type))
      errs.push(
        ...validateQualifiedName(c.type ?? '', Path.root('metadata').child('conditions').index(i).child('Type')),
      )
  })
  const status = Path.root('status')
  if ((pod.spec.nodeName ?? '') !== (old.spec.nodeName ?? ''))
    errs.push(forbiddenField(status.child('nodeName'), 'may not be changed directly'))
  const nominated = pod.status?.nominatedNodeName ?? ''
  if (nominated && nominated !== (old.status?.nominatedNodeName ?? ''))
    for (const m of nameIsDNSSubdomain(nominated, false))
      errs.push(invalidValue(status.child('nominatedNodeName'), nominated, m))
  const qos = pod.status?.qosClass ?? ''
  if (qos !== (old.status?.qosClass ?? ''))
    errs.push(invalidValue(status.child('qosClass'), qos, fieldImmutableErrorMsg))
  errs.push(
    ...validateStateTransitions(
      pod.status?.containerStatuses,
      old.status?.containerStatuses,
      status.child('containerStatuses'),
      old.spec.restartPolicy,
    ),
  )
  const sidecars = new Set((old.spec.initContainers ?? []).filter(c => c.restartPolicy === 'Always').map(c => c.name))
  errs.push(
    ...validateStateTransitions(
      pod.status?.initContainerStatuses,
      old.status?.initContainerStatuses,
      status.child('initContainerStatuses'),
      old.spec.restartPolicy,
      name => sidecars.has(name),
    ),
  )
  errs.push(...validateStatusIPs(pod))
  return errs
}

const goType = { podIPs: 'PodIP', hostIPs: 'HostIP' } as const

/** validatePodIPs and validateHostIPs: valid, at most one per family, no duplicates, hostIP first. */
function validateStatusIPs(pod: Pod): FieldError[] {
  const errs: FieldError[] = []
  for (const [key, list] of [
    ['podIPs', pod.status?.podIPs ?? []],
    ['hostIPs', pod.status?.hostIPs ?? []],
  ] as const) {
    const p = Path.root('status').child(key)
    if (key === 'hostIPs' && list.length > 0 && (pod.status?.hostIP ?? '') !== list[0]!.ip)
      errs.push(invalidValue(p.index(0).child('ip'), list[0]!.ip, 'must be equal to `hostIP`'))
    list.forEach((x, i) => {
      for (const m of isValidIP(x.ip)) errs.push(invalidValue(p.index(i), x.ip, m))
    })
    if (list.length > 1) {
      const v6 = list.filter(x => x.ip.includes(':')).length
      const shown = `[]core.${goType[key]}{${list.map(x => `core.${goType[key]}{IP:${JSON.stringify(x.ip)}}`).join(', ')}}`
      if (list.length > 2 || v6 !== 1)
        errs.push(invalidShown(p, shown, 'may specify no more than one IP for each IP family'))
      const seen = new Set<string>()
      list.forEach((x, i) => {
        // The duplicate value prints as Go's %#v of the struct, hence the pre-rendered detail.
        if (seen.has(x.ip))
          errs.push({
            type: 'FieldValueDuplicate',
            field: String(p.index(i)),
            detail: `core.${goType[key]}{IP:${JSON.stringify(x.ip)}}`,
          })
        seen.add(x.ip)
      })
    }
  }
  return errs
}
