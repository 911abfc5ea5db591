/**
 * Downward-API values (the kubelet's fieldpath and resource helpers), shared by the downwardAPI
 * and projected volumes and by env resolution. Pure: the caller supplies IPs and the node's
 * allocatable resources. Errors carry upstream's messages.
 */
import type { Container, Pod, ResourceFieldSelector } from '../../api/pod.js'
import { parseQuantity, quantityToBytes, quantityToMilli } from '../../machinery/quantity.js'

/** Values the pod object does not hold. */
export interface FieldContext {
  podIPs?: string[]
  hostIPs?: string[]
}

/** fieldpath.FormatMap: `key="value"` lines, keys sorted, no trailing newline. */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map(k => `${k}=${JSON.stringify(m![k])}`)
    .join('\n')
}

/**
 * The value of a pod fieldRef: metadata.{name,namespace,uid,labels,annotations} (whole maps or
 * `['key']`), spec.nodeName, spec.serviceAccountName, status.podIP(s), status.hostIP(s).
 */
export function podFieldValue(pod: Pod, fieldPath: string, ctx: FieldContext = {}): string {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath)
  if (m) return pod.metadata[m[1] as 'labels' | 'annotations']?.[m[2]!] ?? ''
  switch (fieldPath) {
    case 'metadata.name':
      return pod.metadata.name ?? ''
    case 'metadata.namespace':
      return pod.metadata.namespace ?? ''
    case 'metadata.uid':
      return pod.metadata.uid ?? ''
    case 'metadata.labels':
      return formatMap(pod.metadata.labels)
    case 'metadata.annotations':
      return formatMap(pod.metadata.annotations)
    case 'spec.nodeName':
      return pod.spec.nodeName ?? ''
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? ''
    case 'status.hostIP':
      return ctx.hostIPs?.[0] ?? ''
    case 'status.hostIPs':
      return (ctx.hostIPs ?? []).join(',')
    case 'status.podIP':
      return ctx.podIPs?.[0] ?? ''
    case 'status.podIPs':
      return (ctx.podIPs ?? []).join(',')
  }
  throw new Error(`unsupported fieldPath: ${fieldPath}`)
}

/** Limits a container did not set default to the node's allocatable (the kubelet does this for the downward API). */
function limitOf(container: Container, name: string, allocatable: Record<string, string>): string | undefined {
  return container.resources?.limits?.[name] ?? allocatable[name]
}

/**
 * The value of a resourceFieldRef (`limits.cpu`, `requests.memory`, `limits.ephemeral-storage`,
 * `requests.hugepages-2Mi`...) divided by its divisor, rounded up.
 */
export function resourceFieldValue(
  pod: Pod,
  containerName: string,
  ref: ResourceFieldSelector,
  allocatable: Record<string, string>,
): string {
  const container = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find(c => c.name === containerName)
  if (!container) throw new Error(`container ${containerName} not found`)
  const dot = ref.resource.indexOf('.')
  const kind = ref.resource.slice(0, dot)
  const name = ref.resource.slice(dot + 1)
  const known = ['cpu', 'memory', 'ephemeral-storage'].includes(name) || name.startsWith('hugepages-')
  if (dot < 0 || (kind !== 'limits' && kind !== 'requests') || !known)
    throw new Error(`unsupported container resource : ${ref.resource}`)
  const raw =
    kind === 'limits' ? limitOf(container, name, allocatable) : (container.resources?.requests?.[name] ?? undefined)
  const value = parseQuantity(raw ?? '0')
  const divisor = parseQuantity(ref.divisor && !isZero(ref.divisor) ? ref.divisor : '1')
  if (name === 'cpu') return String(Math.ceil(quantityToMilli(value) / quantityToMilli(divisor)))
  return String(Math.ceil(quantityToBytes(value) / quantityToBytes(divisor)))
}

const isZero = (q: string) => quantityToMilli(q) === 0
