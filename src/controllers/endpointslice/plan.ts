/**
 * Decides how a Service's EndpointSlices change (upstream k8s.io/endpointslice reconciler.go):
 * desired endpoints grouped by address type and port set, existing slices updated in place
 * where possible (minimal churn), filled up before new ones are created, a placeholder slice
 * when there is nothing to publish, and creates turned into updates of slices that would
 * otherwise be deleted. Pure: data in, data out.
 */
import type { Node, Service } from '../../api/core.js'
import type { AddressType, Endpoint, EndpointPort, EndpointSlice } from '../../api/discovery.js'
import type { Pod } from '../../api/pod.js'
import { deepEqual } from '../../machinery/objects.js'
import { shouldPodBeInEndpoints } from '../runtime/endpoints/pod-endpoints.js'
import { EndpointSet, endpointsEqualBeyondHash, portMapKey } from '../runtime/endpointslices/endpoint-set.js'
import {
  addressTypesForService,
  endpointPorts,
  newEndpointSlice,
  ownedBy,
  podToEndpoint,
  sliceLabels,
  sliceToFill,
} from './desired.js'

/** Most endpoints one slice holds (upstream --max-endpoints-per-slice default). */
export const DefaultMaxEndpointsPerSlice = 100

/** The inputs of planEndpointSlices. */
export interface SliceInputs {
  service: Service
  /** Pods the service's selector matches. */
  pods: readonly Pod[]
  /** The service's slices managed by this controller, minus those being deleted. */
  existing: readonly EndpointSlice[]
  getNode: (name: string) => Node | undefined
  maxEndpointsPerSlice?: number
  controllerName: string
}

/** The slice writes a sync needs. Updates are modified copies of existing slices. */
export interface SlicePlan {
  create: EndpointSlice[]
  update: EndpointSlice[]
  delete: EndpointSlice[]
  /** Pods left out because their Node is unknown (the sync must be retried). */
  podsOnMissingNodes: string[]
}

/** Reconcile: the creates, updates and deletes that make `existing` match the pods. */
export function planEndpointSlices(input: SliceInputs): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [], podsOnMissingNodes: [] }
  const types = addressTypesForService(input.service)
  const byType = new Map<string, EndpointSlice[]>()
  for (const s of input.existing) {
    if (!types.includes(s.addressType as AddressType)) plan.delete.push(s)
    else byType.set(s.addressType, [...(byType.get(s.addressType) ?? []), s])
  }
  for (const t of types) {
    const part = planByAddressType(input, byType.get(t) ?? [], t, plan.podsOnMissingNodes)
    plan.create.push(...part.create)
    plan.update.push(...part.update)
    plan.delete.push(...part.delete)
  }
  return plan
}

interface Desired {
  ports: EndpointPort[]
  endpoints: EndpointSet
}

/** reconcileByAddressType plus finalize's create-to-update recycling. */
function planByAddressType(
  input: SliceInputs,
  existing: EndpointSlice[],
  addressType: AddressType,
  missing: string[],
): Omit<SlicePlan, 'podsOnMissingNodes'> {
  const { service } = input
  const max = input.maxEndpointsPerSlice ?? DefaultMaxEndpointsPerSlice
  const toCreate: EndpointSlice[] = []
  const toUpdate: EndpointSlice[] = []
  const toDelete: EndpointSlice[] = []
  const existingByPorts = new Map<string, EndpointSlice[]>()
  for (const s of existing) {
    if (!ownedBy(s, service)) {
      toDelete.push(s)
      continue
    }
    const k = portMapKey(s.ports)
    existingByPorts.set(k, [...(existingByPorts.get(k) ?? []), s])
  }
  const desired = new Map<string, Desired>()
  for (const pod of input.pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue
    const ports = endpointPorts(service, pod)
    const k = portMapKey(ports)
    let d = desired.get(k)
    if (!d) desired.set(k, (d = { ports, endpoints: new EndpointSet() }))
    const node = pod.spec.nodeName ? input.getNode(pod.spec.nodeName) : undefined
    if (!node && service.spec?.publishNotReadyAddresses !== true) {
      // Published once the Node is known; the caller retries (upstream's "Node not found").
      missing.push(pod.metadata.name ?? '')
      continue
    }
    const ep = podToEndpoint(pod, node, service, addressType)
    if (ep.addresses.length > 0) d.endpoints.insert(ep)
  }
  for (const [k, d] of desired) {
    const part = planByPortMapping(input, existingByPorts.get(k) ?? [], d, addressType, max)
    toCreate.push(...part.create)
    toUpdate.push(...part.update)
    toDelete.push(...part.delete)
  }
  for (const [k, slices] of existingByPorts) if (!desired.has(k)) toDelete.push(...slices)

  // With nothing to publish, one empty placeholder slice stays (or is created).
  if (existing.length === toDelete.length && toCreate.length === 0) {
    const placeholder = newEndpointSlice(service, [], addressType, input.controllerName)
    if (toDelete.length === 1 && isPlaceholderLike(toDelete[0]!, placeholder)) toDelete.length = 0
    else toCreate.push(placeholder)
  }
  // finalize: reuse slices about to be deleted for slices about to be created.
  for (let i = 0; i < toDelete.length && toCreate.length > 0; ) {
    const victim = toDelete[i]!
    const fresh = toCreate[toCreate.length - 1]!
    if (victim.addressType === fresh.addressType && ownedBy(victim, service)) {
      toCreate.pop()
      const { generateName: _, ...meta } = fresh.metadata
      toUpdate.push({ ...fresh, metadata: { ...victim.metadata, ...meta, name: victim.metadata.name } })
      toDelete.splice(i, 1)
    } else i++
  }
  return { create: toCreate, update: toUpdate, delete: toDelete }
}

/**
 * reconcileByPortMapping: keeps desired endpoints where they already are (updating changed
 * ones), deletes slices left empty, fills updated slices first (fullest first), then an
 * unchanged slice the remainder fits in best, then new slices.
 */
function planByPortMapping(
  input: SliceInputs,
  existing: EndpointSlice[],
  desired: Desired,
  addressType: AddressType,
  max: number,
): Omit<SlicePlan, 'podsOnMissingNodes'> {
  const want = desired.endpoints
  const byName = new Map<string, EndpointSlice>()
  const unchanged = new Set<string>()
  const toUpdate = new Set<string>()
  const toDelete = new Set<string>()
  for (const s of existing) {
    const name = s.metadata.name ?? ''
    byName.set(name, s)
    const kept: Endpoint[] = []
    let endpointUpdated = false
    for (const ep of s.endpoints ?? []) {
      const got = want.get(ep)
      if (!got) continue
      kept.push(got)
      if (!endpointsEqualBeyondHash(got, ep)) endpointUpdated = true
      want.delete(ep)
    }
    const { labels, changed } = sliceLabels(s.metadata.labels, input.service, input.controllerName)
    if (endpointUpdated || kept.length !== (s.endpoints ?? []).length) {
      if (kept.length === 0) toDelete.add(name)
      else {
        byName.set(name, { ...s, metadata: { ...s.metadata, labels }, endpoints: kept })
        toUpdate.add(name)
      }
    } else if (changed) {
      byName.set(name, { ...s, metadata: { ...s.metadata, labels }, endpoints: [...(s.endpoints ?? [])] })
      toUpdate.add(name)
    } else unchanged.add(name)
  }
  // Fill the slices being updated anyway, fullest first.
  if (want.size > 0 && toUpdate.size > 0) {
    const slices = [...toUpdate].map(n => byName.get(n)!).sort((a, b) => b.endpoints.length - a.endpoints.length)
    for (const s of slices) while (want.size > 0 && s.endpoints.length < max) s.endpoints.push(want.popAny()!)
  }
  const toCreate: EndpointSlice[] = []
  while (want.size > 0) {
    let fill: EndpointSlice | undefined
    if (want.size < max && unchanged.size > 0)
      fill = sliceToFill(
        [...unchanged].map(n => byName.get(n)!),
        want.size,
        max,
      )
    if (fill) fill = { ...fill, endpoints: [...fill.endpoints] }
    else fill = newEndpointSlice(input.service, desired.ports, addressType, input.controllerName)
    while (want.size > 0 && fill.endpoints.length < max) fill.endpoints.push(want.popAny()!)
    if (fill.metadata.name) {
      byName.set(fill.metadata.name, fill)
      toUpdate.add(fill.metadata.name)
      unchanged.delete(fill.metadata.name)
    } else toCreate.push(fill)
  }
  return {
    create: toCreate,
    update: [...toUpdate].map(n => byName.get(n)!),
    delete: [...toDelete].map(n => byName.get(n)!),
  }
}

/** placeholderSliceCompare: same namespace, labels, owners, address type, and no ports or endpoints. */
function isPlaceholderLike(slice: EndpointSlice, placeholder: EndpointSlice): boolean {
  return (
    slice.metadata.namespace === placeholder.metadata.namespace &&
    deepEqual(slice.metadata.labels ?? {}, placeholder.metadata.labels ?? {}) &&
    deepEqual(ownerIds(slice), ownerIds(placeholder)) &&
    slice.addressType === placeholder.addressType &&
    (slice.ports ?? []).length === 0 &&
    (slice.endpoints ?? []).length === 0
  )
}

function ownerIds(s: EndpointSlice): unknown {
  return (s.metadata.ownerReferences ?? []).map(o => [o.apiVersion, o.kind, o.name, o.uid, !!o.controller])
}
