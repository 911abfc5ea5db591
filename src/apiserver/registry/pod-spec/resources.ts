/**
 * Container resource requirements (validateResourceRequirements of core/validation): resource
 * names, non-negative quantities, requests <= limits, limits for extended resources, hugepages
 * with cpu or memory. Also the resource-name helpers QoS needs. Pure: no I/O.
 */
import type { ResourceRequirements } from '../../../api/pod.js'
import {
  type FieldError,
  forbiddenField,
  invalidValue,
  notFoundField,
  type Path,
  required,
} from '../../../machinery/field-error.js'
import { compareQuantities, parseQuantity, type Quantity } from '../../../machinery/quantity.js'
import { isQualifiedName } from '../../../machinery/validation/names.js'
import { isNegativeErrorMsg } from '../../../machinery/validation/object-meta.js'

const standardResources = new Set([
  'cpu',
  'memory',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'limits.cpu',
  'limits.memory',
  'ephemeral-storage',
  'requests.ephemeral-storage',
  'limits.ephemeral-storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'services.nodeports',
  'services.loadbalancers',
  'storage',
])
const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage'])

/** IsHugePageResourceName: `hugepages-<size>`. */
export const isHugePageResourceName = (name: string) => name.startsWith('hugepages-')
/** IsNativeResource: unprefixed, or in the kubernetes.io namespace. */
export const isNativeResource = (name: string) => !name.includes('/') || name.includes('kubernetes.io/')
/** IsOvercommitAllowed: native resources other than hugepages may have requests below limits. */
export const isOvercommitAllowed = (name: string) => isNativeResource(name) && !isHugePageResourceName(name)

function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false
  return isQualifiedName(`requests.${name}`).length === 0
}

/** validateContainerResourceName: a standard container resource or a fully qualified extended one. */
function validateContainerResourceName(name: string, path: Path): FieldError[] {
  const errs = isQualifiedName(name).map(m => invalidValue(path, name, m))
  const unprefixed = !name.includes('/')
  if (
    errs.length === 0 &&
    unprefixed &&
    !(standardResources.has(name) || name.startsWith('hugepages-') || name.startsWith('requests.hugepages-'))
  )
    errs.push(invalidValue(path, name, 'must be a standard resource type or fully qualified'))
  if (unprefixed) {
    if (!standardContainerResources.has(name) && !isHugePageResourceName(name))
      errs.push(invalidValue(path, name, 'must be a standard resource for containers'))
  } else if (!isNativeResource(name) && !isExtendedResourceName(name))
    errs.push(invalidValue(path, name, "doesn't follow extended resource name standard"))
  return errs
}

/** Parses a quantity field; a malformed one is reported with the decoder's message. */
function parseAt(raw: string, path: Path, errs: FieldError[]): Quantity | undefined {
  try {
    return parseQuantity(raw)
  } catch (e) {
    // NOTE: upstream rejects these while decoding (400, "cannot be handled as a Pod"); petset
    // decodes JSON untyped, so it reports them here as a 422 field error instead.
    errs.push(invalidValue(path, raw, (e as Error).message))
    return undefined
  }
}

/** ValidateResourceQuantityValue: not negative (integer resources are not special-cased). */
function validateQuantityValue(q: Quantity, path: Path): FieldError[] {
  return compareQuantities(q, 0) < 0 ? [invalidValue(path, q.toString(), isNegativeErrorMsg)] : []
}

const sortedKeys = (m: Record<string, string> | undefined) => Object.keys(m ?? {}).sort()

/** validateResourceRequirements for a container. */
export function validateResourceRequirements(r: ResourceRequirements | undefined, path: Path): FieldError[] {
  if (!r) return []
  const errs: FieldError[] = []
  const limPath = path.child('limits')
  const reqPath = path.child('requests')
  const limits = new Map<string, Quantity>()
  let cpuOrMemory = false
  let hugePages = false
  for (const name of sortedKeys(r.limits)) {
    const p = limPath.key(name)
    errs.push(...validateContainerResourceName(name, p))
    const q = parseAt(r.limits![name]!, p, errs)
    if (q) {
      errs.push(...validateQuantityValue(q, p))
      limits.set(name, q)
    }
    if (isHugePageResourceName(name)) hugePages = true
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true
  }
  for (const name of sortedKeys(r.requests)) {
    const p = reqPath.key(name)
    errs.push(...validateContainerResourceName(name, p))
    const q = parseAt(r.requests![name]!, p, errs)
    if (q) {
      errs.push(...validateQuantityValue(q, p))
      const limit = limits.get(name)
      if (limit) {
        const cmp = compareQuantities(q, limit)
        if (cmp !== 0 && !isOvercommitAllowed(name))
          errs.push(invalidValue(reqPath, q.toString(), `must be equal to ${name} limit of ${limit.toString()}`))
        else if (cmp > 0)
          errs.push(
            invalidValue(reqPath, q.toString(), `must be less than or equal to ${name} limit of ${limit.toString()}`),
          )
      } else if (!isOvercommitAllowed(name) && !(r.limits && name in r.limits)) {
        errs.push(required(limPath, 'Limit must be set for non overcommitable resources'))
      }
    }
    if (isHugePageResourceName(name)) hugePages = true
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true
  }
  if (hugePages && !cpuOrMemory)
    errs.push(forbiddenField(path, 'HugePages require cpu or memory'))
    // Pods in petset declare no resourceClaims, so every claim reference is dangling.
  ;(r.claims ?? []).forEach((c, i) => {
    if (!c.name) errs.push(required(path.child('claims').index(i)))
    else
      errs.push({
        ...notFoundField(path.child('claims').index(i), c.name),
        detail: 'must be one of the names in pod.spec.resourceClaims which is empty',
      })
  })
  return errs
}
