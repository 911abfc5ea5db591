/**
 * API container statuses from runtime containers (the kubelet's convertToAPIContainerStatuses):
 * the newest instance gives `state`, the one before it `lastState`; containers never created wait
 * as ContainerCreating (PodInitializing while the pod has init containers); a pending restart
 * shows the reason the worker recorded (CrashLoopBackOff). Pure: data in, data out.
 */
import type { Container, ContainerState, ContainerStateTerminated, ContainerStatus } from '../api/pod.js'
import type { RuntimeContainerStatus } from './runtime/runtime.js'
import { formatTime } from './time.js'

/** What the prober knows about a running container. */
export interface ContainerReadiness {
  ready: boolean
  started: boolean
}

/** Why a container is waiting to be (re)started, as the kubelet's reason cache holds it. */
export interface WaitingReason {
  reason: string
  message?: string
}

/** Inputs shared by the conversion of init and regular containers. */
export interface ContainerStatusInput {
  containers: Container[]
  /** Every runtime instance of the pod's containers, any attempt. */
  instances: RuntimeContainerStatus[]
  /** The statuses the API holds now (restart counts and last states carry over). */
  previous: ContainerStatus[] | undefined
  readiness: Record<string, ContainerReadiness>
  waiting: Record<string, WaitingReason>
  runtimeName: string
  hasInitContainers: boolean
  isInit: boolean
}

/** Whether an init container is a sidecar (restartPolicy Always). */
export const isSidecar = (c: Container): boolean => c.restartPolicy === 'Always'

function stateOf(rt: RuntimeContainerStatus, containerID: string): ContainerState {
  switch (rt.state) {
    case 'running':
      return { running: { startedAt: formatTime(rt.startedAt ?? rt.createdAt) } }
    case 'exited': {
      const terminated: ContainerStateTerminated = { exitCode: rt.exitCode ?? 0 }
      if (rt.reason) terminated.reason = rt.reason
      if (rt.message) terminated.message = rt.message
      terminated.startedAt = formatTime(rt.startedAt ?? rt.createdAt)
      terminated.finishedAt = formatTime(rt.finishedAt ?? rt.createdAt)
      terminated.containerID = containerID
      return { terminated }
    }
    default:
      // Created but not yet running: "waiting to be running", with no reason (upstream).
      return { waiting: {} }
  }
}

/** One runtime instance as an API status (convertContainerStatus). */
function convertInstance(rt: RuntimeContainerStatus, old: ContainerStatus | undefined, runtimeName: string) {
  const containerID = `${runtimeName}://${rt.id}`
  const status: ContainerStatus = {
    name: rt.name,
    state: stateOf(rt, containerID),
    lastState: {},
    ready: false,
    restartCount: rt.attempt,
    image: rt.image,
    imageID: rt.imageRef,
    containerID,
    started: false,
  }
  if (old?.containerID !== containerID && old?.state?.terminated)
    status.lastState = { terminated: old.state.terminated }
  else if (old?.lastState?.terminated) status.lastState = { terminated: old.lastState.terminated }
  return status
}

/** The default status of a container the runtime has not created (yet). */
function defaultStatus(c: Container, old: ContainerStatus | undefined, hasInit: boolean): ContainerStatus {
  if (old?.state?.terminated) return structuredClone(old)
  return {
    name: c.name,
    state: { waiting: { reason: hasInit ? 'PodInitializing' : 'ContainerCreating' } },
    lastState: old?.lastState ? structuredClone(old.lastState) : {},
    ready: false,
    restartCount: old?.restartCount ?? 0,
    image: c.image ?? '',
    imageID: '',
    started: false,
  }
}

/** Newest first: later creation, then higher attempt. */
const newestFirst = (a: RuntimeContainerStatus, b: RuntimeContainerStatus) =>
  b.createdAt - a.createdAt || b.attempt - a.attempt

/** Applies readiness: sidecars and regular containers from the prober; init containers by exit 0. */
function applyReadiness(s: ContainerStatus, c: Container, input: ContainerStatusInput): void {
  if (input.isInit && !isSidecar(c)) {
    s.ready = s.state?.terminated?.exitCode === 0
    s.started = false
    return
  }
  const r = s.state?.running ? (input.readiness[c.name] ?? { ready: false, started: true }) : undefined
  s.ready = r?.ready ?? false
  s.started = r?.started ?? false
}

/** Converts the containers of one list (init or regular) to API statuses, in upstream's order. */
export function convertContainerStatuses(input: ContainerStatusInput): ContainerStatus[] {
  const old = new Map((input.previous ?? []).map(s => [s.name, s]))
  const byName = new Map<string, RuntimeContainerStatus[]>()
  for (const rt of input.instances) {
    const list = byName.get(rt.name) ?? []
    list.push(rt)
    byName.set(rt.name, list)
  }
  const out: ContainerStatus[] = []
  for (const c of input.containers) {
    const instances = (byName.get(c.name) ?? []).sort(newestFirst)
    const [latest, previous] = instances
    let s = latest
      ? convertInstance(latest, old.get(c.name), input.runtimeName)
      : defaultStatus(c, old.get(c.name), input.hasInitContainers)
    if (previous) s.lastState = convertInstance(previous, undefined, input.runtimeName).state ?? {}
    applyReadiness(s, c, input)
    const waiting = input.waiting[c.name]
    const completedInit = input.isInit && !isSidecar(c) && latest?.state === 'exited' && latest.exitCode === 0
    if (waiting && !completedInit) {
      s = { ...s, lastState: s.state?.terminated ? { terminated: s.state.terminated } : s.lastState }
      s.state = {
        waiting: waiting.message ? { reason: waiting.reason, message: waiting.message } : { reason: waiting.reason },
      }
      s.ready = false
      s.started = false
    }
    out.push(s)
  }
  // Regular containers are reported sorted by name, init containers in spec order (upstream).
  if (!input.isInit) out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return out
}
