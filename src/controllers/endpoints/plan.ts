/**
 * Decides the Endpoints object a selector Service needs (upstream endpoints_controller.go
 * syncService after the pod scan): labels copied from the Service plus the headless label,
 * the trigger-time and over-capacity annotations, truncation to 1000 addresses, and whether a
 * write is needed at all. Pure: data in, data out.
 */
import type { EndpointAddress, EndpointSubset, Endpoints, Service } from '../../api/core.js'
import type { Pod } from '../../api/pod.js'
import { deepEqual } from '../../machinery/objects.js'
import {
  AnnotationLastChangeTriggerTime,
  isServiceIPSet,
  LabelHeadlessService,
  sameStringMap,
} from '../runtime/endpoints/pod-endpoints.js'
import { formatTriggerTime } from '../runtime/endpoints/trigger-time.js'
import { computeSubsets } from './subsets.js'

/** Most addresses (ready plus not ready) one Endpoints object holds (upstream maxCapacity). */
export const MaxEndpointsCapacity = 1000
/** Annotation set when addresses were dropped to respect MaxEndpointsCapacity. */
export const AnnotationOverCapacity = 'endpoints.kubernetes.io/over-capacity'

/** What to do with a service's Endpoints. */
export interface EndpointsPlan {
  /** Absent when the current object is already right. */
  action?: 'create' | 'update'
  /** The object to write (a modified copy of the current one for updates). */
  endpoints?: Endpoints
  ready: number
  notReady: number
}

/**
 * Plans the Endpoints of `svc` (which has a selector and is not ExternalName) given the pods its
 * selector matches, the current object (undefined if none) and the trigger time to export.
 */
export function planEndpoints(
  svc: Service,
  pods: readonly Pod[],
  current: Endpoints | undefined,
  triggerTime?: number,
): EndpointsPlan {
  const { subsets, ready, notReady } = computeSubsets(svc, pods)
  const create = !current?.metadata.resourceVersion
  const currentLabels = { ...(current?.metadata.labels ?? {}) }
  // The headless label is ours, not the Service's: leave it out of the comparison.
  delete currentLabels[LabelHeadlessService]
  if (
    !create &&
    subsetsEqual(current!.subsets, subsets) &&
    sameStringMap(currentLabels, svc.metadata.labels) &&
    capacityAnnotationSetCorrectly(current!.metadata.annotations, current!.subsets)
  )
    return { ready, notReady }

  const base: Endpoints = current
    ? structuredClone(current)
    : { metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace } }
  const annotations = { ...(base.metadata.annotations ?? {}) }
  if (triggerTime !== undefined) annotations[AnnotationLastChangeTriggerTime] = formatTriggerTime(triggerTime)
  else delete annotations[AnnotationLastChangeTriggerTime]
  const kept = truncateSubsets(subsets)
  if (kept) annotations[AnnotationOverCapacity] = 'truncated'
  else delete annotations[AnnotationOverCapacity]
  const labels = { ...(svc.metadata.labels ?? {}) }
  if (!isServiceIPSet(svc)) labels[LabelHeadlessService] = ''
  else delete labels[LabelHeadlessService]
  const endpoints: Endpoints = {
    ...base,
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { ...base.metadata, labels, annotations },
    // An empty list is left out, as upstream's `omitempty` serializes it.
    subsets: (kept ?? subsets).length ? (kept ?? subsets) : undefined,
  }
  return { action: create ? 'create' : 'update', endpoints, ready, notReady }
}

/**
 * capacityAnnotationSetCorrectly: false when the subsets are over capacity (they must be
 * truncated), else whether the over-capacity annotation is absent.
 */
export function capacityAnnotationSetCorrectly(
  annotations: Record<string, string> | undefined,
  subsets: readonly EndpointSubset[] | undefined,
): boolean {
  if (countAddresses(subsets) > MaxEndpointsCapacity) return false
  return !Object.hasOwn(annotations ?? {}, AnnotationOverCapacity)
}

/**
 * truncateEndpoints: when over capacity, the subsets cut down to MaxEndpointsCapacity addresses,
 * spread over subsets in proportion to their size, ready addresses first. Undefined when
 * nothing needs cutting.
 */
export function truncateSubsets(
  subsets: readonly EndpointSubset[],
  max = MaxEndpointsCapacity,
): EndpointSubset[] | undefined {
  let totalReady = 0
  let totalNotReady = 0
  for (const ss of subsets) {
    totalReady += ss.addresses?.length ?? 0
    totalNotReady += ss.notReadyAddresses?.length ?? 0
  }
  if (totalReady + totalNotReady <= max) return undefined
  const truncateReady = totalReady > max
  const room = truncateReady ? max : max - totalReady
  const numTotal = truncateReady ? totalReady : totalNotReady
  let canBeAdded = room
  return subsets.map(ss => {
    const inSubset = (truncateReady ? ss.addresses?.length : ss.notReadyAddresses?.length) ?? 0
    const toBeAdded = Math.min(Math.ceil((inSubset / numTotal) * room), canBeAdded)
    const out: EndpointSubset = { ...ss }
    if (truncateReady) {
      out.addresses = first(ss.addresses, toBeAdded)
      delete out.notReadyAddresses
      canBeAdded -= out.addresses?.length ?? 0
    } else {
      out.notReadyAddresses = first(ss.notReadyAddresses, toBeAdded)
      canBeAdded -= out.notReadyAddresses?.length ?? 0
    }
    if (!out.addresses?.length) delete out.addresses
    if (!out.notReadyAddresses?.length) delete out.notReadyAddresses
    return out
  })
}

/**
 * Semantic equality of subsets: a missing list equals an empty one, and targetRef
 * resourceVersions are ignored (endpointSubsetsEqualIgnoreResourceVersion).
 */
export function subsetsEqual(
  a: readonly EndpointSubset[] | undefined,
  b: readonly EndpointSubset[] | undefined,
): boolean {
  return deepEqual(normalizeSubsets(a), normalizeSubsets(b))
}

function normalizeSubsets(subsets: readonly EndpointSubset[] | undefined): unknown {
  const addr = (a: EndpointAddress) => ({
    ip: a.ip,
    hostname: a.hostname || undefined,
    nodeName: a.nodeName,
    targetRef: a.targetRef ? { ...a.targetRef, resourceVersion: undefined } : undefined,
  })
  return (subsets ?? []).map(ss => ({
    addresses: (ss.addresses ?? []).map(addr),
    notReadyAddresses: (ss.notReadyAddresses ?? []).map(addr),
    ports: (ss.ports ?? []).map(p => ({ ...p, name: p.name || undefined })),
  }))
}

function countAddresses(subsets: readonly EndpointSubset[] | undefined): number {
  return (subsets ?? []).reduce((n, ss) => n + (ss.addresses?.length ?? 0) + (ss.notReadyAddresses?.length ?? 0), 0)
}

function first(list: EndpointAddress[] | undefined, n: number): EndpointAddress[] | undefined {
  return list && list.length > n ? list.slice(0, n) : list
}
