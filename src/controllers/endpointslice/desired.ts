/**
 * What one pod contributes to a Service's EndpointSlices, and what a new slice looks like
 * (upstream k8s.io/endpointslice utils.go): endpoint conditions, hostname, node and zone, ports
 * resolved per pod, the slice labels mirrored from the Service, and the owner reference.
 * Pure: no I/O.
 */
import type { Node, Service } from '../../api/core.js'
import type { AddressType, Endpoint, EndpointPort, EndpointSlice } from '../../api/discovery.js'
import { LabelManagedBy, LabelServiceName } from '../../api/discovery.js'
import type { Pod } from '../../api/pod.js'
import { newControllerRef } from '../../machinery/objects.js'
import {
  findPort,
  isPodReady,
  isServiceIPSet,
  LabelHeadlessService,
  podIPs,
  shouldSetHostname,
} from '../runtime/endpoints/pod-endpoints.js'

/** The managed-by value of slices this controller owns. */
export const ControllerName = 'endpointslice-controller.k8s.io'
/** Node label carrying the zone copied into endpoints. */
export const LabelTopologyZone = 'topology.kubernetes.io/zone'

const isIPv6 = (ip: string) => ip.includes(':')

/**
 * getAddressTypesForService: from spec.ipFamilies; failing that the cluster IP's family; a
 * headless service without families gets both (upstream's upgrade fallback).
 */
export function addressTypesForService(svc: Service): AddressType[] {
  const types = new Set<AddressType>()
  for (const f of svc.spec?.ipFamilies ?? []) {
    if (f === 'IPv4') types.add('IPv4')
    if (f === 'IPv6') types.add('IPv6')
  }
  if (types.size) return [...types]
  if (isServiceIPSet(svc)) return [isIPv6(svc.spec!.clusterIP!) ? 'IPv6' : 'IPv4']
  return ['IPv4', 'IPv6']
}

/**
 * podToEndpoint: the pod's addresses of one family, ready (never while terminating unless
 * publishNotReadyAddresses), serving (Ready) and terminating, with node, zone and hostname.
 */
export function podToEndpoint(pod: Pod, node: Node | undefined, svc: Service, addressType: AddressType): Endpoint {
  const serving = isPodReady(pod)
  const terminating = !!pod.metadata.deletionTimestamp
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating)
  const ep: Endpoint = {
    addresses: podIPs(pod).filter(ip => isIPv6(ip) === (addressType === 'IPv6')),
    conditions: { ready, serving, terminating },
  }
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec.hostname
  if (pod.spec.nodeName) ep.nodeName = pod.spec.nodeName
  const zone = node?.metadata.labels?.[LabelTopologyZone]
  if (zone) ep.zone = zone
  ep.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid }
  return ep
}

/** getEndpointPorts: the service ports this pod offers (named target ports resolved on the pod). */
export function endpointPorts(svc: Service, pod: Pod): EndpointPort[] {
  const ports: EndpointPort[] = []
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp)
    if (port === undefined) continue
    const epp: EndpointPort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' }
    if (sp.appProtocol !== undefined) epp.appProtocol = sp.appProtocol
    ports.push(epp)
  }
  return ports
}

/**
 * setEndpointSliceLabels: the Service's labels (minus the reserved ones) plus the headless,
 * service-name and managed-by labels; `changed` says whether the non-reserved labels differ.
 */
export function sliceLabels(
  current: Record<string, string> | undefined,
  svc: Service,
  controllerName: string,
): { labels: Record<string, string>; changed: boolean } {
  const reserved = (k: string) => k === LabelServiceName || k === LabelManagedBy || k === LabelHeadlessService
  const mine = Object.entries(current ?? {}).filter(([k]) => !reserved(k))
  const labels: Record<string, string> = {}
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) if (!reserved(k)) labels[k] = v
  const changed = mine.length !== Object.keys(labels).length || mine.some(([k, v]) => labels[k] !== v)
  if (!isServiceIPSet(svc)) labels[LabelHeadlessService] = ''
  labels[LabelServiceName] = svc.metadata.name ?? ''
  labels[LabelManagedBy] = controllerName
  return { labels, changed }
}

/** newEndpointSlice: an empty slice for these ports, named `<service>-<random>`, owned by the Service. */
export function newEndpointSlice(
  svc: Service,
  ports: EndpointPort[],
  addressType: AddressType,
  controllerName: string,
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${svc.metadata.name}-`,
      namespace: svc.metadata.namespace,
      labels: sliceLabels({}, svc, controllerName).labels,
      ownerReferences: [newControllerRef(svc, { apiVersion: 'v1', kind: 'Service' })],
    },
    addressType,
    endpoints: [],
    ports,
  }
}

/** ownedBy: the slice has an owner reference to this Service (by uid). */
export function ownedBy(slice: EndpointSlice, svc: Service): boolean {
  return (slice.metadata.ownerReferences ?? []).some(
    o => o.uid === svc.metadata.uid && o.kind === 'Service' && o.apiVersion === 'v1',
  )
}

/** getSliceToFill: the slice that ends closest to full after adding n endpoints, if any fits. */
export function sliceToFill(slices: readonly EndpointSlice[], n: number, max: number): EndpointSlice | undefined {
  let closestDiff = max
  let closest: EndpointSlice | undefined
  for (const s of slices) {
    const diff = max - (n + s.endpoints.length)
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff
      closest = s
      if (diff === 0) break
    }
  }
  return closest
}
