/**
 * Service defaulting and write preparation (upstream SetDefaults_Service and the service
 * strategy's patchAllocatedValues / NormalizeClusterIPs / dropTypeDependentFields), plus the
 * IP-family initialisation the allocator runs first (initIPFamilyFields, single-stack IPv4
 * cluster). Pure.
 */
import { ClusterIPNone, type Service } from '../../../api/core.js'
import { type FieldError, invalidValue, Path } from '../../../machinery/field-error.js'
import { deepEqual } from '../../../machinery/objects.js'
import { goStrings, isIPv6, shown } from './format.js'
import { externallyAccessible, needsHealthCheck, validateClusterIPsRelated } from './validation.js'

/** v1.DefaultClientIPServiceAffinitySeconds. */
const defaultAffinitySeconds = 10800

/** SetDefaults_Service. */
export function defaultService(s: Service): void {
  const sp = (s.spec ??= {})
  sp.sessionAffinity ||= 'None'
  if (sp.sessionAffinity === 'None') delete sp.sessionAffinityConfig
  if (sp.sessionAffinity === 'ClientIP' && sp.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined)
    sp.sessionAffinityConfig = { clientIP: { timeoutSeconds: defaultAffinitySeconds } }
  sp.type ||= 'ClusterIP'
  for (const p of sp.ports ?? []) {
    p.protocol ||= 'TCP'
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port
  }
  if (externallyAccessible(s) && !sp.externalTrafficPolicy) sp.externalTrafficPolicy = 'Cluster'
  if (sp.internalTrafficPolicy === undefined && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(sp.type))
    sp.internalTrafficPolicy = 'Cluster'
  // status.loadBalancer is a struct upstream, so it always serializes (as {}).
  s.status ??= {}
  s.status.loadBalancer ??= {}
  if (sp.type === 'LoadBalancer') {
    sp.allocateLoadBalancerNodePorts ??= true
    for (const ing of s.status?.loadBalancer?.ingress ?? []) if (ing.ip && !ing.ipMode) ing.ipMode = 'VIP'
  }
}

const needsClusterIP = (s: Service) => s.spec?.type !== 'ExternalName'
const needsNodePort = (s: Service) => s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer'
const same = (a: unknown, b: unknown) => deepEqual(a ?? null, b ?? null)

/** Lets a client resubmit a manifest without the values the server allocated for it. */
function patchAllocatedValues(s: Service, old: Service): void {
  const sp = s.spec!
  if (needsClusterIP(old) && needsClusterIP(s)) {
    if (!sp.clusterIP && old.spec?.clusterIP) sp.clusterIP = old.spec.clusterIP
    if (!sp.clusterIPs?.length && old.spec?.clusterIPs?.length) sp.clusterIPs = [...old.spec.clusterIPs]
  }
  if (needsNodePort(old) && needsNodePort(s)) {
    const held = (x: Service) => new Set((x.spec?.ports ?? []).map(p => p.nodePort ?? 0).filter(Boolean))
    const oldHeld = held(old)
    const used = new Set([...held(s)].filter(p => oldHeld.has(p)))
    const byName = new Map((old.spec?.ports ?? []).map(p => [p.name ?? '', p.nodePort ?? 0]))
    for (const p of sp.ports ?? []) {
      if (p.nodePort) continue
      const prev = byName.get(p.name ?? '') ?? 0
      if (prev && !used.has(prev)) p.nodePort = prev
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(s) && !sp.healthCheckNodePort && old.spec?.healthCheckNodePort)
    sp.healthCheckNodePort = old.spec.healthCheckNodePort
  // initIPFamilyFields adopts the old policy and re-infers the families on update; on a
  // single-stack cluster that amounts to keeping both when the clusterIPs did not change.
  if (needsClusterIP(old) && needsClusterIP(s)) {
    if (!sp.ipFamilyPolicy && old.spec?.ipFamilyPolicy) sp.ipFamilyPolicy = old.spec.ipFamilyPolicy
    if (!sp.ipFamilies?.length && old.spec?.ipFamilies?.length && same(sp.clusterIPs, old.spec.clusterIPs))
      sp.ipFamilies = [...old.spec.ipFamilies]
  }
}

/** NormalizeClusterIPs: keep clusterIPs in step with a changed clusterIP. */
export function normalizeClusterIPs(s: Service, old?: Service): void {
  const sp = s.spec!
  if (!old) {
    if (sp.clusterIP && !sp.clusterIPs?.length) sp.clusterIPs = [sp.clusterIP]
    return
  }
  if ((old.spec?.clusterIP ?? '') === (sp.clusterIP ?? '')) return
  const sameIPs = same(sp.clusterIPs, old.spec?.clusterIPs)
  if (!sp.clusterIP) {
    if (sameIPs) delete sp.clusterIPs
  } else if (sameIPs || !sp.clusterIPs?.length) sp.clusterIPs = [sp.clusterIP]
}

/** Clears fields a type change made meaningless, unless the client changed them too. */
function dropTypeDependentFields(s: Service, old: Service): void {
  const sp = s.spec!
  if (needsClusterIP(old) && !needsClusterIP(s)) {
    if (same(sp.clusterIPs, old.spec?.clusterIPs)) {
      delete sp.clusterIP
      delete sp.clusterIPs
    }
    if (same(sp.ipFamilies, old.spec?.ipFamilies)) delete sp.ipFamilies
    if (same(sp.ipFamilyPolicy, old.spec?.ipFamilyPolicy)) delete sp.ipFamilyPolicy
  }
  if (needsNodePort(old) && !needsNodePort(s)) {
    const ports = (x: Service) => (x.spec?.ports ?? []).map(p => p.nodePort ?? 0)
    if (same(ports(s), ports(old))) for (const p of sp.ports ?? []) delete p.nodePort
  }
  if (needsHealthCheck(old) && !needsHealthCheck(s) && sp.healthCheckNodePort === old.spec?.healthCheckNodePort)
    delete sp.healthCheckNodePort
  if (old.spec?.type === 'LoadBalancer' && sp.type !== 'LoadBalancer') {
    if (
      sp.allocateLoadBalancerNodePorts !== undefined &&
      sp.allocateLoadBalancerNodePorts === old.spec.allocateLoadBalancerNodePorts
    )
      delete sp.allocateLoadBalancerNodePorts
    if (sp.loadBalancerClass === old.spec.loadBalancerClass) delete sp.loadBalancerClass
  }
  if (
    externallyAccessible(old) &&
    !externallyAccessible(s) &&
    sp.externalTrafficPolicy === old.spec?.externalTrafficPolicy
  )
    delete sp.externalTrafficPolicy
}

/** The service strategy's PrepareForUpdate (main resource): status is kept, see above. */
export function prepareServiceUpdate(s: Service, old: Service): void {
  s.spec ??= {}
  s.status = structuredClone(old.status)
  patchAllocatedValues(s, old)
  normalizeClusterIPs(s, old)
  dropTypeDependentFields(s, old)
}

const policyPath = Path.root('spec').child('ipFamilyPolicy')

/**
 * initIPFamilyFields on a single-stack IPv4 cluster: defaults ipFamilyPolicy and ipFamilies,
 * returns the errors upstream raises as a 422 before allocating.
 */
export function initIPFamilyFields(s: Service, old?: Service): FieldError[] {
  const sp = s.spec!
  if (sp.type === 'ExternalName') return []
  if (!sp.ipFamilyPolicy) {
    if (old?.spec?.ipFamilyPolicy) sp.ipFamilyPolicy = old.spec.ipFamilyPolicy
    else if (sp.clusterIP === ClusterIPNone && !Object.keys(sp.selector ?? {}).length)
      sp.ipFamilyPolicy = 'RequireDualStack'
    else sp.ipFamilyPolicy = 'SingleStack'
  }
  const pre = validateClusterIPsRelated(s)
  if (pre.length) return pre
  const errs: FieldError[] = []
  if (old && sp.ipFamilyPolicy === 'SingleStack') {
    if (same(sp.clusterIPs, old.spec?.clusterIPs) && (sp.clusterIPs?.length ?? 0) > 1)
      sp.clusterIPs = sp.clusterIPs!.slice(0, 1)
    if (same(sp.ipFamilies, old.spec?.ipFamilies) && (sp.ipFamilies?.length ?? 0) > 1)
      sp.ipFamilies = sp.ipFamilies!.slice(0, 1)
  }
  if (sp.ipFamilyPolicy === 'SingleStack') {
    if (sp.clusterIPs?.length === 2)
      errs.push(
        invalidValue(
          policyPath,
          sp.ipFamilyPolicy,
          "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified",
        ),
      )
    if (sp.ipFamilies?.length === 2)
      errs.push(
        invalidValue(
          policyPath,
          sp.ipFamilyPolicy,
          "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified",
        ),
      )
  }
  const ips = sp.clusterIPs ?? []
  for (let i = 0; i < ips.length && ips[i] !== ClusterIPNone; i++) {
    if (i < (sp.ipFamilies?.length ?? 0)) continue
    if (isIPv6(ips[i]!))
      errs.push(
        shown(
          'FieldValueInvalid',
          Path.root('spec').child('clusterIPs').index(i),
          goStrings(ips),
          'IPv6 is not configured on this cluster',
        ),
      )
    else (sp.ipFamilies ??= []).push('IPv4')
  }
  if (errs.length) return errs
  if (sp.clusterIP === ClusterIPNone && !Object.keys(sp.selector ?? {}).length) {
    // Headless and selectorless services may be dual-stack even on a single-stack cluster.
    if (!sp.ipFamilies?.length) sp.ipFamilies = ['IPv4']
    if (sp.ipFamilies.length < 2 && sp.ipFamilyPolicy !== 'SingleStack')
      sp.ipFamilies.push(sp.ipFamilies[0] === 'IPv4' ? 'IPv6' : 'IPv4')
    return []
  }
  if (sp.ipFamilyPolicy === 'RequireDualStack')
    errs.push(invalidValue(policyPath, sp.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'))
  ;(sp.ipFamilies ?? []).forEach((f, i) => {
    if (f !== 'IPv4')
      errs.push(invalidValue(Path.root('spec').child('ipFamilies').index(i), f, 'not configured on this cluster'))
  })
  if (errs.length) return errs
  if (!sp.ipFamilies?.length) sp.ipFamilies = ['IPv4']
  return []
}
