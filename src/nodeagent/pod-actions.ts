/**
 * What a pod needs next from the runtime (the kubelet's computePodActions): a sandbox, the next
 * init container, the regular containers, restarts allowed by restartPolicy and the crash-loop
 * back-off, and old instances to collect. Pure: decides, never acts (C6).
 */
import type { Container, Pod } from '../api/pod.js'
import { type BackoffEntry, formatBackoff, isInBackOffSince } from './backoff.js'
import { isSidecar } from './container-statuses.js'
import type { PodSandboxStatus, RuntimeContainerStatus } from './runtime/runtime.js'

/** The kind of container, as the agent labels it for the runtime. */
export type ContainerType = 'init' | 'sidecar' | 'regular'

/** Start one container. */
export interface StartAction {
  container: Container
  type: ContainerType
  /** The instance number: the previous one's + 1 (the API's restartCount). */
  attempt: number
  /** For restarts: when the previous instance finished (it advances the back-off). */
  restartOf?: { finishedAt: number }
}

/** A restart held back by the crash-loop back-off. */
export interface BackoffWait {
  /** "back-off 10s restarting failed container=app pod=web-0_default(uid)". */
  message: string
  /** When the restart may happen (ms since the epoch). */
  until: number
}

/** The plan for one sync of one pod. */
export interface PodActions {
  createSandbox: boolean
  start: StartAction[]
  /** Restarts waiting on the back-off, by container name. */
  backoff: Record<string, BackoffWait>
  /** Exited instances beyond the two newest per container (the newest two feed state and lastState). */
  remove: string[]
}

/** Inputs of computePodActions. */
export interface PodActionsInput {
  pod: Pod
  sandbox?: PodSandboxStatus
  containers: RuntimeContainerStatus[]
  backoff: Record<string, BackoffEntry | undefined>
  now: number
}

/** Whether restartPolicy restarts a container that exited with this code. */
export function shouldRestart(policy: string | undefined, exitCode: number): boolean {
  if (policy === 'Never') return false
  if (policy === 'OnFailure') return exitCode !== 0
  return true
}

/** format.Pod: "name_namespace(uid)", as kubelet messages name pods. */
export const podRef = (pod: Pod): string => `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`

/** Decides what the pod needs now. */
export function computePodActions(input: PodActionsInput): PodActions {
  const { pod } = input
  const actions: PodActions = { createSandbox: false, start: [], backoff: {}, remove: [] }
  const byName = groupNewestFirst(input.containers)
  for (const list of byName.values())
    for (const old of list.slice(2)) if (old.state === 'exited') actions.remove.push(old.id)
  const latest = (name: string) => byName.get(name)?.[0]
  const policy = pod.spec.restartPolicy ?? 'Always'

  if (input.sandbox?.state !== 'ready') {
    // A Never pod whose containers already ran is finished: no new sandbox (kubelet's podSandboxChanged).
    actions.createSandbox = !(policy === 'Never' && input.containers.length > 0)
    return actions
  }

  const restart = (c: Container, type: ContainerType, prev: RuntimeContainerStatus): void => {
    const finishedAt = prev.finishedAt ?? input.now
    const entry = input.backoff[c.name]
    if (entry && isInBackOffSince(entry, finishedAt, input.now)) {
      actions.backoff[c.name] = {
        message: `back-off ${formatBackoff(entry.backoffMs)} restarting failed container=${c.name} pod=${podRef(pod)}`,
        until: finishedAt + entry.backoffMs,
      }
    } else actions.start.push({ container: c, type, attempt: prev.attempt + 1, restartOf: { finishedAt } })
  }

  const regularNames = new Set(pod.spec.containers.map(c => c.name))
  const initialized = input.containers.some(c => regularNames.has(c.name))
  for (const c of pod.spec.initContainers ?? []) {
    const l = latest(c.name)
    if (isSidecar(c)) {
      if (!l) actions.start.push({ container: c, type: 'sidecar', attempt: 0 })
      else if (l.state === 'exited') restart(c, 'sidecar', l)
      else if (l.state === 'running') continue
      if (!initialized) return actions
      continue
    }
    if (initialized) continue
    if (!l) {
      actions.start.push({ container: c, type: 'init', attempt: 0 })
      return actions
    }
    if (l.state !== 'exited') return actions
    if (l.exitCode === 0) continue
    if (shouldRestart(policy, l.exitCode ?? 1)) restart(c, 'init', l)
    return actions
  }

  for (const c of pod.spec.containers) {
    const l = latest(c.name)
    if (!l) actions.start.push({ container: c, type: 'regular', attempt: 0 })
    else if (l.state === 'exited' && shouldRestart(policy, l.exitCode ?? 1)) restart(c, 'regular', l)
  }
  return actions
}

function groupNewestFirst(containers: RuntimeContainerStatus[]): Map<string, RuntimeContainerStatus[]> {
  const byName = new Map<string, RuntimeContainerStatus[]>()
  for (const c of containers) {
    const list = byName.get(c.name) ?? []
    list.push(c)
    byName.set(c.name, list)
  }
  for (const list of byName.values()) list.sort((a, b) => b.createdAt - a.createdAt || b.attempt - a.attempt)
  return byName
}
