/**
 * Service status validation (upstream ValidateLoadBalancerStatus, 1.32 defaults: the
 * AllowServiceLBStatusOnNonLB gate off, LoadBalancerIPMode on). Pure.
 */
import type { Service } from '../../../api/core.js'
import {
  type FieldError,
  forbiddenField,
  invalidValue,
  notSupported,
  Path,
  required,
} from '../../../machinery/field-error.js'
import { isDNS1123Subdomain, isValidIP } from '../../../machinery/validation/names.js'
import { validateIP } from './format.js'

const ipModes = ['Proxy', 'VIP']

/** ValidateServiceStatusUpdate without ObjectMeta. */
export function validateServiceStatus(s: Service): FieldError[] {
  const ingress = s.status?.loadBalancer?.ingress ?? []
  const path = Path.root('status').child('loadBalancer').child('ingress')
  if (s.spec?.type !== 'LoadBalancer' && ingress.length)
    return [forbiddenField(path, "may only be used when `spec.type` is 'LoadBalancer'")]
  const errs: FieldError[] = []
  for (const [i, ing] of ingress.entries()) {
    const p = path.index(i)
    if (ing.ip) errs.push(...validateIP(p.child('ip'), ing.ip))
    if (!ing.ipMode) {
      if (ing.ip) errs.push(required(p.child('ipMode'), 'must be specified when `ip` is set'))
    } else if (!ing.ip) errs.push(forbiddenField(p.child('ipMode'), 'may not be specified when `ip` is not set'))
    else if (!ipModes.includes(ing.ipMode)) errs.push(notSupported(p.child('ipMode'), ing.ipMode, ipModes))
    if (ing.hostname) {
      errs.push(...isDNS1123Subdomain(ing.hostname).map(m => invalidValue(p.child('hostname'), ing.hostname, m)))
      if (isValidIP(ing.hostname).length === 0)
        errs.push(invalidValue(p.child('hostname'), ing.hostname, 'must be a DNS name, not an IP address'))
    }
  }
  return errs
}
