/**
 * Scheduling-related pod spec validation: tolerations, node and pod affinity, DNS config, host
 * aliases, readiness and scheduling gates (core/validation). Pure: no I/O.
 */
import type {
  Affinity,
  HostAlias,
  NodeSelector,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PodAffinity,
  PodAffinityTerm,
  PodDNSConfig,
  Toleration,
} from '../../../api/pod.js'
import {
  duplicate,
  type FieldError,
  forbiddenField,
  invalidValue,
  notSupported,
  type Path,
  required,
} from '../../../machinery/field-error.js'
import { validateLabelName, validateLabelSelector } from '../../../machinery/labels.js'
import {
  isDNS1123Subdomain,
  isValidIP,
  isValidLabelValue,
  nameIsDNSSubdomain,
  validateNamespaceName,
} from '../../../machinery/validation/names.js'
import { validateQualifiedName } from './helpers.js'

/** ValidateTolerations. */
export function validateTolerations(tolerations: Toleration[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = []
  ;(tolerations ?? []).forEach((t, i) => {
    const p = path.index(i)
    const op = t.operator ?? ''
    if (t.key) errs.push(...validateLabelName(t.key, p.child('key')))
    if (!t.key && op !== 'Exists')
      errs.push(
        invalidValue(
          p.child('operator'),
          op,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      )
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute')
      errs.push(
        invalidValue(p.child('effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"),
      )
    if (op === 'Equal' || op === '') {
      const msgs = isValidLabelValue(t.value ?? '')
      if (msgs.length) errs.push(invalidValue(p.child('operator'), t.value ?? '', msgs.join(';')))
    } else if (op === 'Exists') {
      if (t.value)
        errs.push(invalidValue(p.child('operator'), t.value, "value must be empty when `operator` is 'Exists'"))
    } else errs.push(notSupported(p.child('operator'), op, ['Equal', 'Exists']))
    if (t.effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect))
      errs.push(notSupported(p.child('effect'), t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']))
  })
  return errs
}

function validateNodeSelectorRequirement(
  rq: NodeSelectorRequirement,
  allowInvalidValues: boolean,
  path: Path,
): FieldError[] {
  const errs: FieldError[] = []
  const values = rq.values ?? []
  switch (rq.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0)
        errs.push(required(path.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"))
      break
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0)
        errs.push(
          forbiddenField(path.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
        )
      break
    case 'Gt':
    case 'Lt':
      if (values.length !== 1)
        errs.push(required(path.child('values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"))
      break
    default:
      errs.push(invalidValue(path.child('operator'), rq.operator, 'not a valid selector operator'))
  }
  errs.push(...validateLabelName(rq.key, path.child('key')))
  if (!allowInvalidValues)
    values.forEach((v, i) => {
      for (const m of isValidLabelValue(v)) errs.push(invalidValue(path.child('values').index(i), v, m))
    })
  return errs
}

function validateNodeFieldRequirement(rq: NodeSelectorRequirement, path: Path): FieldError[] {
  const errs: FieldError[] = []
  if (rq.operator === 'In' || rq.operator === 'NotIn') {
    if ((rq.values ?? []).length !== 1)
      errs.push(
        required(
          path.child('values'),
          "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
        ),
      )
  } else errs.push(invalidValue(path.child('operator'), rq.operator, 'not a valid selector operator'))
  if (rq.key !== 'metadata.name') errs.push(invalidValue(path.child('key'), rq.key, 'not a valid field selector key'))
  else
    (rq.values ?? []).forEach((v, i) => {
      for (const m of nameIsDNSSubdomain(v, false)) errs.push(invalidValue(path.child('values').index(i), v, m))
    })
  return errs
}

function validateNodeSelectorTerm(term: NodeSelectorTerm, allowInvalidValues: boolean, path: Path): FieldError[] {
  const errs: FieldError[] = []
  ;(term.matchExpressions ?? []).forEach((rq, j) => {
    errs.push(...validateNodeSelectorRequirement(rq, allowInvalidValues, path.child('matchExpressions').index(j)))
  })
  ;(term.matchFields ?? []).forEach((rq, j) => {
    errs.push(...validateNodeFieldRequirement(rq, path.child('matchFields').index(j)))
  })
  return errs
}

function validateNodeSelector(ns: NodeSelector, path: Path): FieldError[] {
  const terms = path.child('nodeSelectorTerms')
  if (!ns.nodeSelectorTerms?.length) return [required(terms, 'must have at least one node selector term')]
  return ns.nodeSelectorTerms.flatMap((t, i) => validateNodeSelectorTerm(t, false, terms.index(i)))
}

function validateWeight(weight: number, path: Path): FieldError[] {
  return weight <= 0 || weight > 100 ? [invalidValue(path, weight, 'must be in the range 1-100')] : []
}

function validatePodAffinityTerm(t: PodAffinityTerm, path: Path): FieldError[] {
  const errs = validateLabelSelector(t.labelSelector, path.child('labelSelector'))
  for (const ns of t.namespaces ?? [])
    for (const m of validateNamespaceName(ns, false)) errs.push(invalidValue(path.child('namespace'), ns, m))
  if (!t.topologyKey) errs.push(required(path.child('topologyKey'), 'can not be empty'))
  return errs.concat(validateLabelName(t.topologyKey ?? '', path.child('topologyKey')))
}

function validatePodAffinity(a: PodAffinity, path: Path): FieldError[] {
  const errs: FieldError[] = []
  const req = path.child('requiredDuringSchedulingIgnoredDuringExecution')
  ;(a.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
    errs.push(...validatePodAffinityTerm(t, req.index(i)))
  })
  const pref = path.child('preferredDuringSchedulingIgnoredDuringExecution')
  ;(a.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((w, i) => {
    errs.push(...validateWeight(w.weight, pref.index(i).child('weight')))
    errs.push(...validatePodAffinityTerm(w.podAffinityTerm, pref.index(i).child('podAffinityTerm')))
  })
  return errs
}

/** validateAffinity: node affinity fully; pod (anti-)affinity terms' selectors and topology keys. */
export function validateAffinity(a: Affinity | undefined, path: Path): FieldError[] {
  if (!a) return []
  const errs: FieldError[] = []
  const na = a.nodeAffinity
  if (na) {
    const p = path.child('nodeAffinity')
    if (na.requiredDuringSchedulingIgnoredDuringExecution)
      errs.push(
        ...validateNodeSelector(
          na.requiredDuringSchedulingIgnoredDuringExecution,
          p.child('requiredDuringSchedulingIgnoredDuringExecution'),
        ),
      )
    const pref = p.child('preferredDuringSchedulingIgnoredDuringExecution')
    ;(na.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      errs.push(...validateWeight(t.weight, pref.index(i).child('weight')))
      // Preferred terms always allow invalid label values (they can still match on one node).
      errs.push(...validateNodeSelectorTerm(t.preference ?? {}, true, pref.index(i).child('preference')))
    })
  }
  if (a.podAffinity) errs.push(...validatePodAffinity(a.podAffinity, path.child('podAffinity')))
  if (a.podAntiAffinity) errs.push(...validatePodAffinity(a.podAntiAffinity, path.child('podAntiAffinity')))
  return errs
}

/** validatePodDNSConfig (1.32: strict search-domain validation). */
export function validateDNSConfig(
  cfg: PodDNSConfig | undefined,
  dnsPolicy: string | undefined,
  path: Path,
): FieldError[] {
  if (dnsPolicy === 'None') {
    if (!cfg) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')]
    if (!cfg.nameservers?.length)
      return [required(path.child('nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')]
  }
  if (!cfg) return []
  const errs: FieldError[] = []
  const ns = cfg.nameservers ?? []
  if (ns.length > 3) errs.push(invalidValue(path.child('nameservers'), ns, 'must not have more than 3 nameservers'))
  ns.forEach((ip, i) => {
    for (const m of isValidIP(ip)) errs.push(invalidValue(path.child('nameservers').index(i), ip, m))
  })
  const searches = cfg.searches ?? []
  if (searches.length > 32)
    errs.push(invalidValue(path.child('searches'), searches, 'must not have more than 32 search paths'))
  if (searches.join(' ').length > 2048)
    errs.push(
      invalidValue(
        path.child('searches'),
        searches,
        'must not have more than 2048 characters (including spaces) in the search list',
      ),
    )
  searches.forEach((s, i) => {
    const trimmed = s.endsWith('.') ? s.slice(0, -1) : s
    for (const m of isDNS1123Subdomain(trimmed)) errs.push(invalidValue(path.child('searches').index(i), trimmed, m))
  })
  ;(cfg.options ?? []).forEach((o, i) => {
    if (!o.name) errs.push(required(path.child('options').index(i), 'must not be empty'))
  })
  return errs
}

/** ValidateHostAliases: valid IPs, DNS-subdomain host names. */
export function validateHostAliases(aliases: HostAlias[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = []
  ;(aliases ?? []).forEach((a, i) => {
    for (const m of isValidIP(a.ip ?? '')) errs.push(invalidValue(path.index(i).child('ip'), a.ip ?? '', m))
    ;(a.hostnames ?? []).forEach((h, j) => {
      for (const m of isDNS1123Subdomain(h)) errs.push(invalidValue(path.index(i).child('hostnames').index(j), h, m))
    })
  })
  return errs
}

/** validateReadinessGates: condition types are qualified names. */
export function validateReadinessGates(gates: { conditionType: string }[] | undefined, path: Path): FieldError[] {
  return (gates ?? []).flatMap((g, i) =>
    validateQualifiedName(g.conditionType ?? '', path.index(i).child('conditionType')),
  )
}

/** validateSchedulingGates: qualified names, no duplicates. */
export function validateSchedulingGates(gates: { name: string }[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = []
  const seen = new Set<string>()
  ;(gates ?? []).forEach((g, i) => {
    errs.push(...validateQualifiedName(g.name ?? '', path.index(i)))
    if (seen.has(g.name)) errs.push(duplicate(path.index(i), g.name))
    seen.add(g.name)
  })
  return errs
}
