/**
 * The pod status the node agent reports (the kubelet's generateAPIPodStatus): container
 * statuses, phase, conditions, IPs and start time, computed from the pod as the API holds it and
 * what the runtime and prober report. PURE: no I/O, no clock (time is an input), no logger, so
 * every runtime (simulated, runc, process) shares it unchanged.
 */
import type { Pod, PodStatus } from '../api/pod.js'
import { deepEqual } from '../machinery/objects.js'
import { type ContainerReadiness, convertContainerStatuses, type WaitingReason } from './container-statuses.js'
import { podConditions } from './pod-conditions.js'
import { getPhase } from './pod-phase.js'
import type { PodSandboxStatus, RuntimeContainerStatus } from './runtime/runtime.js'
import { formatTime } from './time.js'

export type { ContainerReadiness, WaitingReason } from './container-statuses.js'

/** Everything the status of one pod is computed from. */
export interface PodStatusInput {
  /** The pod as the API (informer) holds it; its status is the previous one. */
  pod: Pod
  /** The pod's current sandbox, if any. */
  sandbox?: PodSandboxStatus
  /** Every runtime container of the pod, any attempt. */
  containers: RuntimeContainerStatus[]
  /** Readiness of running containers by name (from the prober). */
  readiness: Record<string, ContainerReadiness>
  /** Containers waiting to restart, by name (CrashLoopBackOff and start errors). */
  waiting: Record<string, WaitingReason>
  /** The runtime's name: the containerID prefix. */
  runtimeName: string
  /** The node's IPs, primary first. */
  hostIPs: string[]
  /** ms since the epoch. */
  now: number
  /** The pod will not run again (it is being deleted): stopped containers make it Succeeded or Failed. */
  terminal?: boolean
}

const isTerminalPhase = (p: string | undefined) => p === 'Succeeded' || p === 'Failed'

/** The status to write for a pod. */
export function computePodStatus(input: PodStatusInput): PodStatus {
  const { pod } = input
  const old = pod.status ?? {}
  const common = {
    instances: input.containers,
    readiness: input.readiness,
    waiting: input.waiting,
    runtimeName: input.runtimeName,
    hasInitContainers: (pod.spec.initContainers ?? []).length > 0,
  }
  const containerStatuses = convertContainerStatuses({
    ...common,
    containers: pod.spec.containers,
    previous: old.containerStatuses,
    isInit: false,
  })
  const initContainerStatuses = convertContainerStatuses({
    ...common,
    containers: pod.spec.initContainers ?? [],
    previous: old.initContainerStatuses,
    isInit: true,
  })
  const regular = new Set(pod.spec.containers.map(c => c.name))
  const podHasInitialized = input.containers.some(c => regular.has(c.name) && c.startedAt !== undefined)
  const all = [...containerStatuses, ...initContainerStatuses]
  let phase: string = getPhase(pod, all, { podIsTerminal: !!input.terminal, podHasInitialized })
  // Pods never leave a terminal phase (the API would refuse; the kubelet forces it back).
  if (!isTerminalPhase(phase) && isTerminalPhase(old.phase)) phase = old.phase!

  const status: PodStatus = { phase }
  if (phase === old.phase) {
    if (old.reason) status.reason = old.reason
    if (old.message) status.message = old.message
  }
  const sandboxReady = input.sandbox?.state === 'ready' && (!!input.sandbox.ip || !!pod.spec.hostNetwork)
  status.conditions = podConditions({
    pod,
    statuses: all,
    phase: phase as 'Pending',
    sandboxReady,
    now: input.now,
  })
  if (old.nominatedNodeName) status.nominatedNodeName = old.nominatedNodeName
  setIPs(status, input)
  status.startTime = old.startTime ?? formatTime(input.now)
  if (initContainerStatuses.length) status.initContainerStatuses = initContainerStatuses
  status.containerStatuses = containerStatuses
  if (old.qosClass) status.qosClass = old.qosClass
  return status
}

/** hostIP(s) from the node; podIP(s) from the sandbox (the node's for host-network pods), else kept. */
function setIPs(status: PodStatus, input: PodStatusInput): void {
  const old = input.pod.status ?? {}
  if (input.hostIPs.length) {
    status.hostIP = input.hostIPs[0]
    status.hostIPs = input.hostIPs.map(ip => ({ ip }))
  }
  const podIP = input.pod.spec.hostNetwork ? input.hostIPs[0] : input.sandbox?.ip
  if (podIP) {
    status.podIP = podIP
    status.podIPs = [{ ip: podIP }]
  } else if (old.podIP) {
    // A stopped sandbox has released its IP; the API keeps the last one, as the kubelet does.
    status.podIP = old.podIP
    status.podIPs = structuredClone(old.podIPs ?? [{ ip: old.podIP }])
  }
}

/** Whether writing `next` would change the pod's status (the status manager's no-op check). */
export function isPodStatusChanged(pod: Pod, next: PodStatus): boolean {
  // deepEqual treats undefined members as absent, as the JSON on the wire does.
  return !deepEqual(pod.status ?? {}, next)
}
