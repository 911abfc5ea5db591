/**
 * Local-path and downward-API reference checks shared by volumes and env vars
 * (validateLocalDescendingPath, validateObjectFieldSelector, validateContainerResourceFieldSelector
 * of core/validation). Pure: no I/O.
 */
import type { ObjectFieldSelector, ResourceFieldSelector } from '../../../api/pod.js'
import { type FieldError, invalidValue, notSupported, type Path, required } from '../../../machinery/field-error.js'
import { validateQualifiedName } from './helpers.js'

/** Downward API paths a volume file may expose. */
export const volumeFieldPaths = [
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
]
/** Downward API paths an env var may expose. */
export const envFieldPaths = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]
const resourceFieldPaths = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
]
const convertibleFieldPaths = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
  'spec.host',
])

/** validatePathNoBacksteps: no `..` element. */
export function validatePathNoBacksteps(target: string, path: Path): FieldError[] {
  return target.split('/').includes('..') ? [invalidValue(path, target, "must not contain '..'")] : []
}

/** validateLocalDescendingPath: relative and without `..` elements. */
export function validateLocalDescendingPath(target: string, path: Path): FieldError[] {
  const errs: FieldError[] = []
  if (target.startsWith('/')) errs.push(invalidValue(path, target, 'must be a relative path'))
  return errs.concat(validatePathNoBacksteps(target, path))
}

/** ValidateLocalNonReservedPath: as above, and not starting with `..` (e.g. `..data`). */
export function validateLocalNonReservedPath(target: string, path: Path): FieldError[] {
  const errs = validateLocalDescendingPath(target, path)
  if (target.startsWith('..') && !target.startsWith('../'))
    errs.push(invalidValue(path, target, "must not start with '..'"))
  return errs
}

/** fieldpath.SplitMaybeSubscriptedPath: `metadata.labels['app']` → [`metadata.labels`, `app`]. */
function splitSubscript(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined
  const s = fieldPath.slice(0, -2)
  const i = s.indexOf("['")
  if (i <= 0) return undefined
  return [s.slice(0, i), s.slice(i + 2)]
}

/** validateObjectFieldSelector against the allowed expressions. */
export function validateObjectFieldSelector(fs: ObjectFieldSelector, allowed: string[], path: Path): FieldError[] {
  if (!fs.apiVersion) return [required(path.child('apiVersion'))]
  if (!fs.fieldPath) return [required(path.child('fieldPath'))]
  const sub = splitSubscript(fs.fieldPath)
  let convertError = ''
  if (fs.apiVersion !== 'v1') convertError = `unsupported pod version: ${fs.apiVersion}`
  else if (sub && sub[0] !== 'metadata.annotations' && sub[0] !== 'metadata.labels')
    convertError = `field label does not support subscript: ${fs.fieldPath}`
  else if (!sub && !convertibleFieldPaths.has(fs.fieldPath)) convertError = `field label not supported: ${fs.fieldPath}`
  if (convertError)
    return [invalidValue(path.child('fieldPath'), fs.fieldPath, `error converting fieldPath: ${convertError}`)]
  const fieldPath = fs.fieldPath === 'spec.host' ? 'spec.nodeName' : fs.fieldPath
  if (sub) {
    const [p, key] = sub
    if (p === 'metadata.annotations') return validateQualifiedName(key.toLowerCase(), path)
    return validateQualifiedName(key, path)
  }
  if (!allowed.includes(fieldPath)) return [notSupported(path.child('fieldPath'), fieldPath, [...allowed].sort())]
  return []
}

/** validateContainerResourceFieldSelector (divisor checks are not implemented). */
export function validateResourceFieldSelector(fs: ResourceFieldSelector, path: Path, volume: boolean): FieldError[] {
  if (volume && !fs.containerName) return [required(path.child('containerName'))]
  if (!fs.resource) return [required(path.child('resource'))]
  const hugePages = fs.resource.startsWith('requests.hugepages-') || fs.resource.startsWith('limits.hugepages-')
  if (!resourceFieldPaths.includes(fs.resource) && !hugePages)
    return [notSupported(path.child('resource'), fs.resource, resourceFieldPaths)]
  return []
}
