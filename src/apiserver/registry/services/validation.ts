/**
 * Service validation (upstream ValidateService / ValidateServiceUpdate and
 * ValidateServiceClusterIPsRelatedFields, 1.32), without ObjectMeta. Pure.
 */
import { ClusterIPNone, type Service, type ServicePort } from '../../../api/core.js'
import {
  duplicate,
  type FieldError,
  forbiddenField,
  invalidValue,
  notSupported,
  Path,
  required,
} from '../../../machinery/field-error.js'
import { validateLabels } from '../../../machinery/labels.js'
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidPortName,
  isValidPortNum,
} from '../../../machinery/validation/names.js'
import { isHeadless, validateClusterIPsRelated, validateClusterIPsUpdate } from './cluster-ips.js'

export { isHeadless, validateClusterIPsRelated }

import { goStrings, shown, validateIP, validateNonSpecialIP } from './format.js'

const spec = Path.root('spec')
const protocols = ['SCTP', 'TCP', 'UDP']
const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']
const affinities = ['ClientIP', 'None']
const maxAffinitySeconds = 86400

/** apiservice.ExternallyAccessible. */
export const externallyAccessible = (s: Service) =>
  s.spec?.type === 'LoadBalancer' ||
  s.spec?.type === 'NodePort' ||
  (s.spec?.type === 'ClusterIP' && (s.spec.externalIPs?.length ?? 0) > 0)

/** apiservice.NeedsHealthCheck: a LoadBalancer with externalTrafficPolicy Local. */
export const needsHealthCheck = (s: Service) =>
  s.spec?.type === 'LoadBalancer' && s.spec.externalTrafficPolicy === 'Local'

const label = (v: string, p: Path) => isDNS1123Label(v).map(m => invalidValue(p, v, m))

function validatePort(sp: ServicePort, requireName: boolean, names: Set<string>, p: Path): FieldError[] {
  const errs: FieldError[] = []
  if (requireName && !sp.name) errs.push(required(p.child('name')))
  else if (sp.name) {
    errs.push(...label(sp.name, p.child('name')))
    if (names.has(sp.name)) errs.push(duplicate(p.child('name'), sp.name))
    else names.add(sp.name)
  }
  for (const m of isValidPortNum(sp.port ?? 0)) errs.push(invalidValue(p.child('port'), sp.port ?? 0, m))
  if (!sp.protocol) errs.push(required(p.child('protocol')))
  else if (!protocols.includes(sp.protocol)) errs.push(notSupported(p.child('protocol'), sp.protocol, protocols))
  const tp = sp.targetPort ?? 0
  const tpMsgs = typeof tp === 'number' ? isValidPortNum(tp) : isValidPortName(tp)
  for (const m of tpMsgs) errs.push(invalidValue(p.child('targetPort'), tp, m))
  if (sp.appProtocol !== undefined)
    for (const m of isQualifiedName(sp.appProtocol)) errs.push(invalidValue(p.child('appProtocol'), sp.appProtocol, m))
  return errs
}

/** Go's %#v of the (protocol, port) key upstream reports for a duplicate port. */
const servicePortKey = (sp: ServicePort) =>
  `core.ServicePort{Name:"", Protocol:${JSON.stringify(sp.protocol ?? '')}, AppProtocol:(*string)(nil), Port:${sp.port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`

function validatePorts(s: Service): FieldError[] {
  const errs: FieldError[] = []
  const ports = s.spec?.ports ?? []
  const names = new Set<string>()
  ports.forEach((sp, i) => {
    errs.push(...validatePort(sp, ports.length > 1, names, spec.child('ports').index(i)))
  })
  if (s.spec?.type === 'ClusterIP')
    ports.forEach((sp, i) => {
      if (sp.nodePort)
        errs.push(
          forbiddenField(spec.child('ports').index(i).child('nodePort'), "may not be used when `type` is 'ClusterIP'"),
        )
    })
  const nodePorts = new Set<string>()
  ports.forEach((sp, i) => {
    if (!sp.nodePort) return
    const key = `${sp.protocol}/${sp.nodePort}`
    if (nodePorts.has(key)) errs.push(duplicate(spec.child('ports').index(i).child('nodePort'), sp.nodePort))
    nodePorts.add(key)
  })
  const seen = new Set<string>()
  ports.forEach((sp, i) => {
    const key = `${sp.protocol}/${sp.port}`
    if (seen.has(key)) errs.push(shown('FieldValueDuplicate', spec.child('ports').index(i), servicePortKey(sp)))
    seen.add(key)
  })
  return errs
}

function validateTypeSpecific(s: Service): FieldError[] {
  const sp = s.spec ?? {}
  const ip0 = spec.child('clusterIPs').index(0)
  switch (sp.type) {
    case 'LoadBalancer':
      return isHeadless(s)
        ? [invalidValue(ip0, ClusterIPNone, "may not be set to 'None' for LoadBalancer services")]
        : []
    case 'NodePort':
      return isHeadless(s) ? [invalidValue(ip0, ClusterIPNone, "may not be set to 'None' for NodePort services")] : []
    case 'ExternalName': {
      const errs: FieldError[] = []
      if (sp.clusterIPs?.length)
        errs.push(forbiddenField(spec.child('clusterIPs'), 'may not be set for ExternalName services'))
      if (sp.ipFamilies?.length)
        errs.push(forbiddenField(spec.child('ipFamilies'), 'may not be set for ExternalName services'))
      if (sp.ipFamilyPolicy)
        errs.push(forbiddenField(spec.child('ipFamilyPolicy'), 'may not be set for ExternalName services'))
      const cname = (sp.externalName ?? '').replace(/\.$/, '')
      if (!cname) errs.push(required(spec.child('externalName')))
      else errs.push(...isDNS1123Subdomain(cname).map(m => invalidValue(spec.child('externalName'), cname, m)))
      return errs
    }
    default:
      return []
  }
}

function validateAffinity(s: Service): FieldError[] {
  const sp = s.spec ?? {}
  const p = spec.child('sessionAffinityConfig')
  if (!sp.sessionAffinity) return [required(spec.child('sessionAffinity'))]
  if (!affinities.includes(sp.sessionAffinity))
    return [notSupported(spec.child('sessionAffinity'), sp.sessionAffinity, affinities)]
  if (sp.sessionAffinity === 'None')
    return sp.sessionAffinityConfig ? [forbiddenField(p, 'must not be set when session affinity is None')] : []
  const why = 'when session affinity type is ClientIP'
  if (!sp.sessionAffinityConfig) return [required(p, why)]
  if (!sp.sessionAffinityConfig.clientIP) return [required(p.child('clientIP'), why)]
  const t = sp.sessionAffinityConfig.clientIP.timeoutSeconds
  const tp = p.child('clientIP').child('timeoutSeconds')
  if (t === undefined) return [required(tp, why)]
  if (t <= 0 || t > maxAffinitySeconds)
    return [invalidValue(tp, t, `must be greater than 0 and less than ${maxAffinitySeconds}`)]
  return []
}

function validateTraffic(s: Service): FieldError[] {
  const sp = s.spec ?? {}
  const errs: FieldError[] = []
  if (!externallyAccessible(s)) {
    if (sp.externalTrafficPolicy)
      errs.push(
        invalidValue(
          spec.child('externalTrafficPolicy'),
          sp.externalTrafficPolicy,
          'may only be set for externally-accessible services',
        ),
      )
  } else if (!sp.externalTrafficPolicy) errs.push(required(spec.child('externalTrafficPolicy')))
  else if (!['Cluster', 'Local'].includes(sp.externalTrafficPolicy))
    errs.push(notSupported(spec.child('externalTrafficPolicy'), sp.externalTrafficPolicy, ['Cluster', 'Local']))
  if (!needsHealthCheck(s)) {
    if (sp.healthCheckNodePort)
      errs.push(
        invalidValue(
          spec.child('healthCheckNodePort'),
          sp.healthCheckNodePort,
          "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
        ),
      )
  }
  // A missing health-check port is allocated at admission, after validation.
  if (sp.internalTrafficPolicy === undefined) {
    if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(sp.type ?? ''))
      errs.push(required(spec.child('internalTrafficPolicy')))
  } else if (!['Cluster', 'Local'].includes(sp.internalTrafficPolicy))
    errs.push(notSupported(spec.child('internalTrafficPolicy'), sp.internalTrafficPolicy, ['Cluster', 'Local']))
  if (sp.trafficDistribution !== undefined && sp.trafficDistribution !== 'PreferClose')
    errs.push(notSupported(spec.child('trafficDistribution'), sp.trafficDistribution, ['PreferClose']))
  return errs
}

function validateLoadBalancerFields(s: Service): FieldError[] {
  const sp = s.spec ?? {}
  const errs: FieldError[] = []
  const onlyLB = "may only be used when `type` is 'LoadBalancer'"
  if (sp.loadBalancerSourceRanges?.length && sp.type !== 'LoadBalancer')
    errs.push(forbiddenField(spec.child('LoadBalancerSourceRanges'), onlyLB))
  if (sp.allocateLoadBalancerNodePorts !== undefined && sp.type !== 'LoadBalancer')
    errs.push(forbiddenField(spec.child('allocateLoadBalancerNodePorts'), onlyLB))
  if (sp.type === 'LoadBalancer' && sp.allocateLoadBalancerNodePorts === undefined)
    errs.push(required(Path.root('allocateLoadBalancerNodePorts')))
  if (sp.loadBalancerClass !== undefined) {
    if (sp.type === 'LoadBalancer')
      errs.push(
        ...isQualifiedName(sp.loadBalancerClass).map(m =>
          invalidValue(spec.child('loadBalancerClass'), sp.loadBalancerClass, m),
        ),
      )
    else errs.push(forbiddenField(spec.child('loadBalancerClass'), onlyLB))
  }
  return errs
}

/** ValidateService without ObjectMeta. */
export function validateService(s: Service): FieldError[] {
  const sp = s.spec ?? {}
  const errs: FieldError[] = []
  if (!sp.ports?.length && !isHeadless(s) && sp.type !== 'ExternalName') errs.push(required(spec.child('ports')))
  errs.push(...validateTypeSpecific(s), ...validatePorts(s))
  if (sp.selector) errs.push(...validateLabels(sp.selector, spec.child('selector')))
  errs.push(...validateAffinity(s), ...validateClusterIPsRelated(s))
  ;(sp.externalIPs ?? []).forEach((ip, i) => {
    const p = spec.child('externalIPs').index(i)
    const e = validateIP(p, ip)
    errs.push(...(e.length ? e : validateNonSpecialIP(p, ip)))
  })
  if (!sp.type) errs.push(required(spec.child('type')))
  else if (!serviceTypes.includes(sp.type)) errs.push(notSupported(spec.child('type'), sp.type, serviceTypes))
  errs.push(...validateLoadBalancerFields(s), ...validateTraffic(s))
  return errs
}

/** ValidateServiceUpdate without ObjectMeta. */
export function validateServiceUpdate(s: Service, old: Service): FieldError[] {
  const errs = validateClusterIPsUpdate(s, old)
  if (!isHeadless(s) && !isHeadless(old) && s.spec?.type !== 'ExternalName' && old.spec?.type !== 'ExternalName') {
    const a = old.spec?.ipFamilies ?? []
    const b = s.spec?.ipFamilies ?? []
    if (a.length === b.length && a.some((f, i) => f !== b[i]))
      errs.push(
        shown(
          'FieldValueInvalid',
          spec.child('ipFamilies').index(0),
          goStrings(b, 'core.IPFamily'),
          'may not change once set',
        ),
      )
  }
  if (
    old.spec?.type === 'LoadBalancer' &&
    s.spec?.type === 'LoadBalancer' &&
    old.spec.loadBalancerClass !== s.spec.loadBalancerClass
  )
    errs.push(
      invalidValue(spec.child('loadBalancerClass'), s.spec.loadBalancerClass ?? null, 'may not change once set'),
    )
  if (needsHealthCheck(old) && needsHealthCheck(s) && old.spec?.healthCheckNodePort !== s.spec?.healthCheckNodePort)
    errs.push(forbiddenField(spec.child('healthCheckNodePort'), 'field is immutable'))
  return [...errs, ...validateService(s)]
}
