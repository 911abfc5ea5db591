/**
 * Decides the EndpointSlices that mirror a custom Endpoints object (upstream
 * pkg/controller/endpointslicemirroring reconciler.go and utils.go): one slice per subset's port
 * set and address family, at most 1000 addresses per subset, labels and annotations copied
 * from the Endpoints, the existing slice rewritten only when something differs.
 * Pure: data in, data out.
 */
import { isIPv4, isIPv6 } from 'node:net'
import type { EndpointPort as CorePort, EndpointAddress, Endpoints } from '../../api/core.js'
import {
  type AddressType,
  type Endpoint,
  type EndpointPort,
  type EndpointSlice,
  LabelManagedBy,
  LabelServiceName,
} from '../../api/discovery.js'
import { deepEqual, newControllerRef } from '../../machinery/objects.js'
import { EndpointSet, endpointsEqualBeyondHash, portMapKey } from '../runtime/endpointslices/endpoint-set.js'

/** The managed-by value of mirrored slices. */
export const MirroringControllerName = 'endpointslicemirroring-controller.k8s.io'
/** Upstream --mirroring-max-endpoints-per-subset default. */
export const DefaultMaxEndpointsPerSubset = 1000

const TriggerTimeAnnotation = 'endpoints.kubernetes.io/last-change-trigger-time'
const LastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration'

/** The mirroring writes for one Endpoints object, and what could not be mirrored. */
export interface MirrorPlan {
  create: EndpointSlice[]
  update: EndpointSlice[]
  delete: EndpointSlice[]
  /** Addresses that are not IPs. */
  invalidAddresses: number
  /** Addresses not mirrored, invalid ones included (over the per-subset limit otherwise). */
  skippedAddresses: number
}

interface Desired {
  addressType: AddressType
  ports: EndpointPort[]
  endpoints: EndpointSet
}

/** reconcile: the slices `existing` (this controller's for the same name) must become. */
export function planMirroredSlices(
  endpoints: Endpoints,
  existing: readonly EndpointSlice[],
  maxPerSubset = DefaultMaxEndpointsPerSubset,
): MirrorPlan {
  const plan: MirrorPlan = { create: [], update: [], delete: [], invalidAddresses: 0, skippedAddresses: 0 }
  const desired = new Map<string, Desired>()
  for (const subset of endpoints.subsets ?? []) {
    const ports = (subset.ports ?? []).map(toSlicePort)
    const keys = new Map<AddressType, string>()
    for (const addressType of ['IPv4', 'IPv6'] as const) {
      const k = sliceKey(addressType, ports)
      keys.set(addressType, k)
      if (!desired.has(k)) desired.set(k, { addressType, ports, endpoints: new EndpointSet() })
    }
    const all = [
      ...(subset.addresses ?? []).map(a => [a, true] as const),
      ...(subset.notReadyAddresses ?? []).map(a => [a, false] as const),
    ]
    let added = 0
    for (const [address, ready] of all) {
      if (added >= maxPerSubset) break
      const converted = addressToEndpoint(address, ready)
      if (!converted) {
        plan.invalidAddresses++
        continue
      }
      desired.get(keys.get(converted.addressType)!)!.endpoints.insert(converted.endpoint)
      added++
    }
    plan.skippedAddresses += all.length - added
  }

  const existingByKey = new Map<string, EndpointSlice[]>()
  for (const s of existing) {
    const k = sliceKey(s.addressType as AddressType, s.ports ?? [])
    existingByKey.set(k, [...(existingByKey.get(k) ?? []), s])
  }
  for (const [k, d] of desired) planByPortMapping(endpoints, existingByKey.get(k) ?? [], d, maxPerSubset, plan)
  for (const [k, slices] of existingByKey) if (!desired.has(k)) plan.delete.push(...slices)
  recycleSlices(plan)
  return plan
}

/** reconcileByPortMapping: one slice per key; the first existing one is kept and rewritten if it differs. */
function planByPortMapping(
  endpoints: Endpoints,
  existing: EndpointSlice[],
  d: Desired,
  max: number,
  plan: MirrorPlan,
): void {
  if (d.endpoints.size === 0) {
    plan.delete.push(...existing)
    return
  }
  const first = existing[0]
  if (first) {
    plan.delete.push(...existing.slice(1))
    const labels = withoutKeys(first.metadata.labels, LabelManagedBy, LabelServiceName)
    const annotations = withoutKeys(endpoints.metadata.annotations, TriggerTimeAnnotation, LastAppliedAnnotation)
    if (
      sameEndpoints(first, d.endpoints) &&
      deepEqual(endpoints.metadata.labels ?? {}, labels) &&
      deepEqual(annotations, first.metadata.annotations ?? {})
    )
      return
  }
  const slice = newMirroredSlice(endpoints, d.ports, d.addressType, first)
  while (d.endpoints.size > 0 && slice.endpoints.length < max) slice.endpoints.push(d.endpoints.popAny()!)
  if (first) plan.update.push(slice)
  else plan.create.push(slice)
}

/** totalChanges == 0: the slice holds exactly the desired endpoints, none differing. */
function sameEndpoints(slice: EndpointSlice, want: EndpointSet): boolean {
  const eps = slice.endpoints ?? []
  if (eps.length !== want.size) return false
  return eps.every(ep => {
    const got = want.get(ep)
    return got !== undefined && endpointsEqualBeyondHash(got, ep)
  })
}

/** recycleSlices: per address type, turns a create plus a delete into an update of the deleted slice. */
function recycleSlices(plan: MirrorPlan): void {
  for (const addressType of ['IPv4', 'IPv6']) {
    const creates = plan.create.filter(s => s.addressType === addressType)
    const deletes = plan.delete.filter(s => s.addressType === addressType)
    for (let i = 0; i < creates.length && i < deletes.length; i++) {
      const fresh = creates[i]!
      const old = deletes[i]!
      plan.create.splice(plan.create.indexOf(fresh), 1)
      plan.delete.splice(plan.delete.indexOf(old), 1)
      const { generateName: _, ...meta } = fresh.metadata
      plan.update.push({
        ...fresh,
        metadata: { ...meta, name: old.metadata.name, resourceVersion: old.metadata.resourceVersion },
      })
    }
  }
}

/** newEndpointSlice: labels and annotations from the Endpoints, owned by it; named like `reuse` if given. */
export function newMirroredSlice(
  endpoints: Endpoints,
  ports: EndpointPort[],
  addressType: AddressType,
  reuse?: EndpointSlice,
): EndpointSlice {
  const name = endpoints.metadata.name ?? ''
  const labels = {
    ...(endpoints.metadata.labels ?? {}),
    [LabelServiceName]: name,
    [LabelManagedBy]: MirroringControllerName,
  }
  const annotations = withoutKeys(endpoints.metadata.annotations, TriggerTimeAnnotation, LastAppliedAnnotation)
  const metadata: EndpointSlice['metadata'] = {
    namespace: endpoints.metadata.namespace,
    labels,
    annotations,
    ownerReferences: [newControllerRef(endpoints, { apiVersion: 'v1', kind: 'Endpoints' })],
  }
  if (reuse) {
    metadata.name = reuse.metadata.name
    metadata.resourceVersion = reuse.metadata.resourceVersion
  } else metadata.generateName = `${name}-`
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata, addressType, endpoints: [], ports }
}

/** addressToEndpoint: undefined for an address that is not an IP. */
export function addressToEndpoint(
  address: EndpointAddress,
  ready: boolean,
): { endpoint: Endpoint; addressType: AddressType } | undefined {
  const ip = normalizeIP(address.ip)
  if (!ip) return undefined
  const endpoint: Endpoint = { addresses: [ip.ip], conditions: { ready } }
  if (address.targetRef) endpoint.targetRef = address.targetRef
  if (address.nodeName) endpoint.nodeName = address.nodeName
  if (address.hostname) endpoint.hostname = address.hostname
  return { endpoint, addressType: ip.type }
}

/** ParseIPSloppy then String(): IPv4 octets lose leading zeros; IPv6 is lower-cased. */
function normalizeIP(s: string | undefined): { ip: string; type: AddressType } | undefined {
  if (!s) return undefined
  const parts = s.split('.')
  if (parts.length === 4 && parts.every(p => /^\d{1,3}$/.test(p) && Number(p) <= 255))
    return { ip: parts.map(Number).join('.'), type: 'IPv4' }
  if (isIPv6(s)) {
    // An IPv4-mapped IPv6 address is IPv4 to Go (To4() != nil).
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(s)
    if (mapped && isIPv4(mapped[1]!)) return { ip: mapped[1]!, type: 'IPv4' }
    return { ip: s.toLowerCase(), type: 'IPv6' }
  }
  return undefined
}

function toSlicePort(p: CorePort): EndpointPort {
  const port: EndpointPort = { name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' }
  if (p.appProtocol !== undefined) port.appProtocol = p.appProtocol
  return port
}

function sliceKey(addressType: AddressType, ports: readonly EndpointPort[]): string {
  return `${addressType}/${portMapKey(ports)}`
}

function withoutKeys(m: Record<string, string> | undefined, ...keys: string[]): Record<string, string> {
  const out = { ...(m ?? {}) }
  for (const k of keys) delete out[k]
  return out
}
