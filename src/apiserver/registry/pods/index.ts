/**
 * The Pod strategy (pkg/registry/core/pod, 1.32): defaults, status reset to Pending with the
 * QoS class on create, spec immutability on update, spec kept on /status, field selectors,
 * graceful deletion, warnings and the table printer. Pure: no I/O.
 */
import type { Container, Pod, PodSpec } from '../../../api/pod.js'
import { PodReasonSchedulingGated } from '../../../api/pod.js'
import { isDNS1123Label } from '../../../machinery/validation/names.js'
import { defaultPodSpec } from '../pod-spec/defaults.js'
import { podSpecWarnings } from '../pod-spec/warnings.js'
import type { ResourceStrategy } from '../resource.js'
import { podPrinter } from './printer.js'
import { computePodQOS } from './qos.js'
import { validatePodCreate, validatePodStatusUpdate, validatePodUpdate } from './validation.js'

export { validateBinding } from './binding.js'
export { summarizePod } from './printer.js'
export { computePodQOS } from './qos.js'

/** SetDefaults_Pod's container part: requests default to limits. */
function defaultRequestsFromLimits(containers: Container[] | undefined): void {
  for (const c of containers ?? []) {
    const limits = c.resources?.limits
    if (!limits || !c.resources) continue
    c.resources.requests ??= {}
    for (const [k, v] of Object.entries(limits)) if (!(k in c.resources.requests)) c.resources.requests[k] = v
  }
}

/** With hostNetwork, a port's hostPort defaults to its containerPort. */
function defaultHostNetworkPorts(containers: Container[] | undefined): void {
  for (const c of containers ?? []) for (const p of c.ports ?? []) if (!p.hostPort) p.hostPort = p.containerPort
}

/** Pod defaults: the PodSpec ones plus SetDefaults_Pod (requests, enableServiceLinks, host ports). */
export function defaultPod(pod: Pod): void {
  if (!pod.spec) pod.spec = { containers: [] } as PodSpec
  defaultPodSpec(pod.spec)
  defaultRequestsFromLimits(pod.spec.containers)
  defaultRequestsFromLimits(pod.spec.initContainers)
  if (pod.spec.enableServiceLinks === undefined || pod.spec.enableServiceLinks === null)
    pod.spec.enableServiceLinks = true
  if (pod.spec.hostNetwork) {
    defaultHostNetworkPorts(pod.spec.containers)
    defaultHostNetworkPorts(pod.spec.initContainers)
  }
}

/** ToSelectableFields beyond metadata.name/namespace. */
export function podFieldLabels(pod: Pod): Record<string, string> {
  return {
    'spec.nodeName': pod.spec.nodeName ?? '',
    'spec.restartPolicy': pod.spec.restartPolicy ?? '',
    'spec.schedulerName': pod.spec.schedulerName ?? '',
    'spec.serviceAccountName': pod.spec.serviceAccountName ?? '',
    'spec.hostNetwork': String(pod.spec.hostNetwork === true),
    'status.phase': pod.status?.phase ?? '',
    'status.podIP': pod.status?.podIPs?.[0]?.ip ?? '',
    'status.nominatedNodeName': pod.status?.nominatedNodeName ?? '',
  }
}

/** The Pod strategy. */
export const strategy: ResourceStrategy<Pod> = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  resource: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  statusSubresource: true,
  defaults: defaultPod,
  prepareForCreate(pod) {
    pod.status = { phase: 'Pending', qosClass: computePodQOS(pod) }
    if ((pod.spec.schedulingGates ?? []).length > 0)
      pod.status.conditions = [
        {
          type: 'PodScheduled',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: null,
          reason: PodReasonSchedulingGated,
          message: 'Scheduling is blocked due to non-empty scheduling gates',
        },
      ]
  },
  prepareForUpdate(pod, old) {
    if (old.status === undefined) delete pod.status
    else pod.status = structuredClone(old.status)
  },
  prepareForStatusUpdate(pod, old) {
    pod.spec = structuredClone(old.spec)
    // /status may not touch deletion or owner references (old kubelets corrupted them).
    if (old.metadata.deletionTimestamp) pod.metadata.deletionTimestamp = old.metadata.deletionTimestamp
    else delete pod.metadata.deletionTimestamp
    if (old.metadata.ownerReferences) pod.metadata.ownerReferences = structuredClone(old.metadata.ownerReferences)
    else delete pod.metadata.ownerReferences
    if (!pod.status?.qosClass && old.status?.qosClass) pod.status = { ...pod.status, qosClass: old.status.qosClass }
  },
  validate: validatePodCreate,
  validateUpdate: validatePodUpdate,
  validateStatusUpdate: validatePodStatusUpdate,
  warnings(pod, old) {
    // Upstream warns on create only: updates are a hot path humans rarely take.
    if (old) return []
    const out: string[] = []
    const msgs = isDNS1123Label(pod.metadata.name ?? '')
    if (msgs.length)
      out.push(
        `metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [${msgs.join(' ')}]`,
      )
    return out.concat(podSpecWarnings(pod.spec, pod.metadata))
  },
  fieldLabels: podFieldLabels,
  printer: podPrinter,
  defaultGracePeriodSeconds: pod => pod.spec.terminationGracePeriodSeconds ?? 0,
  checkGracefulDelete(pod, period) {
    // Never scheduled, or already finished: nothing to stop, delete at once.
    if (!pod.spec.nodeName) return 0
    if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') return 0
    return period < 0 ? 1 : period
  },
}
