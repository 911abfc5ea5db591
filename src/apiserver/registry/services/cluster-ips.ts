/**
 * The clusterIP / clusterIPs / ipFamilies rules of Service validation (upstream
 * ValidateServiceClusterIPsRelatedFields and validateUpgradeDowngradeClusterIPs, 1.32). Pure.
 */
import { ClusterIPNone, type Service } from '../../../api/core.js'
import {
  duplicate,
  type FieldError,
  invalidValue,
  notSupported,
  Path,
  required,
} from '../../../machinery/field-error.js'
import { goStrings, isIPv6, shown, validateIP } from './format.js'

const spec = Path.root('spec')
const families = ['IPv4', 'IPv6']
const familyPolicies = ['PreferDualStack', 'RequireDualStack', 'SingleStack']

/** A headless service: exactly one clusterIP, "None". */
export const isHeadless = (s: Service) => s.spec?.clusterIPs?.length === 1 && s.spec.clusterIPs[0] === ClusterIPNone

/** ValidateServiceClusterIPsRelatedFields: clusterIP ⇄ clusterIPs, families and policy. */
export function validateClusterIPsRelated(s: Service): FieldError[] {
  const sp = s.spec ?? {}
  if (sp.type === 'ExternalName') return []
  const errs: FieldError[] = []
  const ipsPath = spec.child('clusterIPs')
  const ips = sp.clusterIPs ?? []
  if (sp.clusterIP) {
    if (ips.length === 0) errs.push(required(ipsPath))
    else if (ips[0] !== sp.clusterIP)
      errs.push(shown('FieldValueInvalid', ipsPath, goStrings(sp.clusterIPs), 'first value must match `clusterIP`'))
  } else if (ips.length) {
    errs.push(
      shown('FieldValueInvalid', ipsPath, goStrings(sp.clusterIPs), 'must be empty when `clusterIP` is not specified'),
    )
  }
  const seen = new Set<string>()
  ;(sp.ipFamilies ?? []).forEach((f, i) => {
    const p = spec.child('ipFamilies').index(i)
    if (!families.includes(f)) errs.push(notSupported(p, f, families))
    if (seen.has(f)) errs.push(duplicate(p, f))
    seen.add(f)
  })
  if (sp.ipFamilyPolicy !== undefined && !familyPolicies.includes(sp.ipFamilyPolicy))
    errs.push(notSupported(spec.child('ipFamilyPolicy'), sp.ipFamilyPolicy, familyPolicies))
  let badIPs = false
  ips.forEach((ip, i) => {
    if (i === 0 && ip === ClusterIPNone) {
      if (ips.length > 1) {
        badIPs = true
        errs.push(shown('FieldValueInvalid', ipsPath, goStrings(ips), "'None' must be the first and only value"))
      }
      return
    }
    const e = validateIP(ipsPath.index(i), ip)
    if (e.length) badIPs = true
    errs.push(...e)
  })
  if (ips.length > 2) errs.push(shown('FieldValueInvalid', ipsPath, goStrings(ips), 'may only hold up to 2 values'))
  if (badIPs) return errs
  if (ips.length > 1 && isIPv6(ips[0]!) === isIPv6(ips[1]!))
    errs.push(shown('FieldValueInvalid', ipsPath, goStrings(ips), 'may specify no more than one IP for each IP family'))
  if (!isHeadless(s))
    ips.forEach((ip, i) => {
      const fam = sp.ipFamilies?.[i]
      if (fam === 'IPv4' && isIPv6(ip))
        errs.push(invalidValue(ipsPath.index(i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``))
      if (fam === 'IPv6' && !isIPv6(ip))
        errs.push(invalidValue(ipsPath.index(i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``))
    })
  return errs
}

/** validateUpgradeDowngradeClusterIPs for a single-stack cluster: clusterIPs[0] never changes. */
export function validateClusterIPsUpdate(s: Service, old: Service): FieldError[] {
  if (s.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName') return []
  if (isHeadless(s) && isHeadless(old)) return []
  const next = s.spec?.clusterIPs ?? []
  const prev = old.spec?.clusterIPs ?? []
  const p0 = spec.child('clusterIPs').index(0)
  const text = goStrings(s.spec?.clusterIPs)
  if (prev.length === next.length)
    return prev.flatMap((ip, i) =>
      ip !== next[i]
        ? [shown('FieldValueInvalid', spec.child('clusterIPs').index(i), text, 'may not change once set')]
        : [],
    )
  if (prev.length > next.length) {
    if (next.length === 0) return [shown('FieldValueInvalid', p0, text, 'primary clusterIP can not be unset')]
    return next[0] !== prev[0] ? [shown('FieldValueInvalid', p0, text, 'may not change once set')] : []
  }
  return prev.length > 0 && next[0] !== prev[0] ? [shown('FieldValueInvalid', p0, text, 'may not change once set')] : []
}
