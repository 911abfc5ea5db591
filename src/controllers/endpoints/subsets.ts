/**
 * The subsets of a Service's Endpoints (upstream endpoints_controller.go syncService and
 * pkg/api/v1/endpoints RepackSubsets): one address per selected pod, split into ready and
 * not-ready, ports resolved per pod, then repacked so that pods offering the same ports share
 * one subset, in a canonical order. Pure: no I/O.
 */
import { createHash } from 'node:crypto'
import type { EndpointAddress, EndpointPort, EndpointSubset, Service } from '../../api/core.js'
import { ClusterIPNone } from '../../api/core.js'
import type { Pod } from '../../api/pod.js'
import {
  findPort,
  isPodReady,
  podIPs,
  shouldPodBeInEndpoints,
  shouldSetHostname,
} from '../runtime/endpoints/pod-endpoints.js'

/** The subsets for a service and its selected pods, with counts for the log line. */
export interface ComputedSubsets {
  subsets: EndpointSubset[]
  ready: number
  notReady: number
}

const isIPv6 = (ip: string) => ip.includes(':')

/**
 * podToEndpointAddressForService: the pod's IP of the service's (first) IP family, its node and a
 * Pod targetRef; undefined when the pod has no IP of that family.
 */
export function podToEndpointAddress(svc: Service, pod: Pod): EndpointAddress | undefined {
  let v6: boolean
  const families = svc.spec?.ipFamilies ?? []
  const clusterIP = svc.spec?.clusterIP ?? ''
  if (families.length > 0) v6 = families[0] === 'IPv6'
  else if (clusterIP && clusterIP !== ClusterIPNone) v6 = isIPv6(clusterIP)
  else v6 = isIPv6(pod.status?.podIP ?? '')
  const ip = podIPs(pod).find(p => isIPv6(p) === v6)
  if (!ip) return undefined
  const address: EndpointAddress = { ip }
  if (pod.spec.nodeName) address.nodeName = pod.spec.nodeName
  address.targetRef = {
    kind: 'Pod',
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    uid: pod.metadata.uid,
  }
  return address
}

/** The Endpoints subsets a service should have for these pods (already filtered by selector). */
export function computeSubsets(svc: Service, pods: readonly Pod[]): ComputedSubsets {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true
  const raw: EndpointSubset[] = []
  let ready = 0
  let notReady = 0
  const add = (pod: Pod, address: EndpointAddress, port: EndpointPort | undefined) => {
    const ports = port ? [port] : []
    if (publishNotReady || isPodReady(pod)) {
      raw.push({ addresses: [address], ports })
      ready++
    } else {
      raw.push({ notReadyAddresses: [address], ports })
      notReady++
    }
  }
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue
    const address = podToEndpointAddress(svc, pod)
    if (!address) continue
    if (shouldSetHostname(pod, svc)) address.hostname = pod.spec.hostname
    const svcPorts = svc.spec?.ports ?? []
    // A headless service may have no ports: its pods are listed without any.
    if (svcPorts.length === 0) {
      if (svc.spec?.clusterIP === ClusterIPNone) add(pod, address, undefined)
      continue
    }
    for (const sp of svcPorts) {
      const port = findPort(pod, sp)
      if (port === undefined) continue
      const epp: EndpointPort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' }
      if (sp.appProtocol !== undefined) epp.appProtocol = sp.appProtocol
      add(pod, address, epp)
    }
  }
  return { subsets: repackSubsets(raw), ready, notReady }
}

const portKey = (p: EndpointPort) => JSON.stringify([p.name ?? '', p.port, p.protocol ?? '', p.appProtocol ?? null])
const addressKey = (a: EndpointAddress) => `${a.ip}\u0000${a.targetRef?.uid ?? ''}`
/** Port -1 stands for "no ports" so that port-less addresses survive the repacking (upstream's sentinel). */
const SENTINEL: EndpointPort = { name: '', port: -1, protocol: '' }

/**
 * RepackSubsets: expands subsets to (port, address, ready) triples and packs them again so that
 * each subset holds every address offering exactly its set of ports; not-ready wins over ready
 * for the same address and port. The result is sorted (SortSubsets).
 */
export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  const allAddrs = new Map<string, EndpointAddress>()
  const byPort = new Map<string, { port: EndpointPort; addrs: Map<string, boolean> }>()
  const map = (addr: EndpointAddress, port: EndpointPort, ready: boolean) => {
    const ak = addressKey(addr)
    if (!allAddrs.has(ak)) allAddrs.set(ak, addr)
    const pk = portKey(port)
    let entry = byPort.get(pk)
    if (!entry) byPort.set(pk, (entry = { port, addrs: new Map() }))
    const was = entry.addrs.get(ak)
    if (was === undefined || was) entry.addrs.set(ak, ready)
  }
  for (const ss of subsets) {
    const ports = ss.ports?.length ? ss.ports : [SENTINEL]
    for (const port of ports) {
      for (const a of ss.addresses ?? []) map(a, port, true)
      for (const a of ss.notReadyAddresses ?? []) map(a, port, false)
    }
  }
  // Group ports by the exact (address, ready) set that offers them.
  const groups = new Map<string, { addrs: Map<string, boolean>; ports: EndpointPort[] }>()
  for (const { port, addrs } of byPort.values()) {
    const key = [...addrs.entries()]
      .map(([k, r]) => `${k}\u0000${r ? 1 : 0}`)
      .sort()
      .join('\u0001')
    let g = groups.get(key)
    if (!g) groups.set(key, (g = { addrs, ports: [] }))
    if (port.port > 0) g.ports.push(port)
  }
  const final: EndpointSubset[] = []
  for (const { addrs, ports } of groups.values()) {
    const ss: EndpointSubset = {}
    const readyAddrs = [...addrs].filter(([, r]) => r).map(([k]) => allAddrs.get(k)!)
    const notReadyAddrs = [...addrs].filter(([, r]) => !r).map(([k]) => allAddrs.get(k)!)
    if (readyAddrs.length) ss.addresses = readyAddrs
    if (notReadyAddrs.length) ss.notReadyAddresses = notReadyAddrs
    if (ports.length) ss.ports = ports
    final.push(ss)
  }
  return sortSubsets(final)
}

/** LessEndpointAddress: by IP (bytewise), then targetRef uid (an address without one first). */
export function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1
  const au = a.targetRef?.uid
  const bu = b.targetRef?.uid
  if (a.targetRef === undefined) return b.targetRef === undefined ? 0 : -1
  if (b.targetRef === undefined) return 1
  return (au ?? '') < (bu ?? '') ? -1 : (au ?? '') > (bu ?? '') ? 1 : 0
}

/**
 * SortSubsets: addresses by IP and uid; ports and subsets by a hash of their content. NOTE:
 * upstream hashes a spew dump with md5; this hashes canonical JSON, so the order is as stable
 * and as arbitrary, but not byte-identical to upstream's.
 */
export function sortSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  for (const ss of subsets) {
    ss.addresses?.sort(compareAddresses)
    ss.notReadyAddresses?.sort(compareAddresses)
    if (ss.ports) ss.ports = sortByHash(ss.ports)
  }
  return sortByHash(subsets)
}

function sortByHash<T>(items: T[]): T[] {
  return items
    .map(item => ({ item, h: createHash('md5').update(JSON.stringify(item)).digest('hex') }))
    .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0))
    .map(x => x.item)
}
