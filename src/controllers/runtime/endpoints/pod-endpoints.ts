/**
 * Which pods back a Service, and how (upstream k8s.io/endpointslice/util controller_utils.go):
 * readiness, terminal and terminating pods, the StatefulSet hostname rule, named target ports,
 * and which Services a pod change must wake. Shared by the Endpoints and EndpointSlice
 * controllers. Pure: no I/O, no clock, no logger.
 * NOTE: imported by controllers/endpointslice too; it belongs in controllers/runtime or
 * machinery once the lead moves it (the import rules forbid controller-to-controller imports).
 */
import type { Service, ServicePort } from '../../../api/core.js'
import { ClusterIPNone } from '../../../api/core.js'
import type { Pod } from '../../../api/pod.js'
import { labelsMatchSelectorMap } from '../../../machinery/labels.js'

/** Label marking Endpoints and EndpointSlices of a headless Service (v1.IsHeadlessService). */
export const LabelHeadlessService = 'service.kubernetes.io/headless'
/** Annotation with the time of the change that triggered the last endpoints write. */
export const AnnotationLastChangeTriggerTime = 'endpoints.kubernetes.io/last-change-trigger-time'

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True') ?? false
}

/** The Ready condition's lastTransitionTime, if any (the pod's endpoints trigger time). */
export function podReadyTransitionTime(pod: Pod): string | undefined {
  return pod.status?.conditions?.find(c => c.type === 'Ready')?.lastTransitionTime ?? undefined
}

/** A pod in phase Succeeded or Failed never runs again. */
export function isPodTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed'
}

/** The pod's IPs: status.podIPs, or status.podIP when only that is set. */
export function podIPs(pod: Pod): string[] {
  const ips = (pod.status?.podIPs ?? []).map(p => p.ip).filter(Boolean)
  if (ips.length) return ips
  return pod.status?.podIP ? [pod.status.podIP] : []
}

/**
 * ShouldPodBeInEndpoints: not terminal, has an IP, and not terminating unless includeTerminating
 * (the Endpoints controller passes publishNotReadyAddresses; the EndpointSlice controller true).
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false
  if (podIPs(pod).length === 0) return false
  return includeTerminating || !pod.metadata.deletionTimestamp
}

/** ShouldSetHostname: the StatefulSet identity rule (spec.hostname set, spec.subdomain = service). */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return (
    !!pod.spec.hostname && pod.spec.subdomain === svc.metadata.name && svc.metadata.namespace === pod.metadata.namespace
  )
}

/**
 * FindPort: the container port a service port targets on this pod. A number is used as is; a
 * name is looked up among the containers' (and restartable init containers') named ports with
 * the same protocol. Undefined when the pod has no such port.
 */
export function findPort(pod: Pod, svcPort: ServicePort): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port
  if (typeof target === 'number') return target
  const protocol = svcPort.protocol ?? 'TCP'
  const sidecars = (pod.spec.initContainers ?? []).filter(c => c.restartPolicy === 'Always')
  for (const c of [...pod.spec.containers, ...sidecars]) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort
    }
  }
  return undefined
}

/**
 * Whether the Service selects pods. NOTE: upstream tests `selector == nil`; an empty map does not
 * survive the apiserver's storage there, so an empty selector counts as none here too.
 */
export function hasSelector(svc: Service): svc is Service & { spec: { selector: Record<string, string> } } {
  return Object.keys(svc.spec?.selector ?? {}).length > 0
}

/** helper.IsServiceIPSet: a cluster IP other than None. */
export function isServiceIPSet(svc: Service): boolean {
  const ip = svc.spec?.clusterIP ?? ''
  return ip !== '' && ip !== ClusterIPNone
}

/** Keys ("namespace/name") of the services in `services` whose selector matches these labels. */
export function servicesSelecting(services: readonly Service[], labels: Record<string, string> | undefined): string[] {
  const keys: string[] = []
  for (const svc of services) {
    if (hasSelector(svc) && labelsMatchSelectorMap(svc.spec.selector, labels ?? {}))
      keys.push(`${svc.metadata.namespace}/${svc.metadata.name}`)
  }
  return keys
}

/**
 * podEndpointsChanged: [whether the pod changed in a way that changes its endpoints, whether it
 * changed in a way that may change which services select it (labels, hostname, subdomain)].
 */
export function podEndpointsChanged(oldPod: Pod, newPod: Pod): [podChanged: boolean, labelsChanged: boolean] {
  const labelsChanged =
    !sameStringMap(oldPod.metadata.labels, newPod.metadata.labels) ||
    oldPod.spec.hostname !== newPod.spec.hostname ||
    oldPod.spec.subdomain !== newPod.spec.subdomain
  if (oldPod.metadata.deletionTimestamp !== newPod.metadata.deletionTimestamp) return [true, labelsChanged]
  if (isPodReady(oldPod) !== isPodReady(newPod)) return [true, labelsChanged]
  const a = oldPod.status?.podIPs ?? []
  const b = newPod.status?.podIPs ?? []
  if (a.length !== b.length || a.some((p, i) => p.ip !== b[i]!.ip)) return [true, labelsChanged]
  // Fallback for agents that report only status.podIP (petset tolerates it, see podIPs()).
  if (oldPod.status?.podIP !== newPod.status?.podIP) return [true, labelsChanged]
  // Phase matters too: a terminal pod leaves the endpoints (upstream catches it via readiness).
  if (isPodTerminal(oldPod) !== isPodTerminal(newPod)) return [true, labelsChanged]
  return [false, labelsChanged]
}

/**
 * GetServicesToUpdateOnPodChange: the services to sync after a pod update. With only the labels
 * changed, the services selecting exactly one of the two versions; with the pod changed too, both.
 * `services` are the services of the pod's namespace.
 */
export function servicesToUpdateOnPodChange(services: readonly Service[], oldPod: Pod, newPod: Pod): string[] {
  if (oldPod.metadata.resourceVersion === newPod.metadata.resourceVersion) return []
  const [podChanged, labelsChanged] = podEndpointsChanged(oldPod, newPod)
  if (!podChanged && !labelsChanged) return []
  const current = servicesSelecting(services, newPod.metadata.labels)
  if (!labelsChanged) return current
  const previous = servicesSelecting(services, oldPod.metadata.labels)
  if (podChanged) return [...new Set([...current, ...previous])]
  const cur = new Set(current)
  const prev = new Set(previous)
  return [...current.filter(k => !prev.has(k)), ...previous.filter(k => !cur.has(k))]
}

/** Equality of two label maps where a missing map equals an empty one (Semantic.DeepEqual). */
export function sameStringMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ak = Object.keys(a ?? {})
  if (ak.length !== Object.keys(b ?? {}).length) return false
  return ak.every(k => b !== undefined && Object.hasOwn(b, k) && b[k] === a![k])
}
