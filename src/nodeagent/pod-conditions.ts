/**
 * The conditions the kubelet owns (status/generate.go): PodReadyToStartContainers, Initialized,
 * Ready, ContainersReady and PodScheduled, with upstream's reasons and messages. Transition
 * times carry over while a condition's status stays the same. Pure.
 */
import type { ContainerStatus, Pod, PodCondition, PodPhase } from '../api/pod.js'
import { isSidecar } from './container-statuses.js'
import { formatTime } from './time.js'

/** Condition types the kubelet owns; others (DisruptionTarget, readiness gates) are left alone. */
export const kubeletConditionTypes = new Set([
  'PodScheduled',
  'Ready',
  'Initialized',
  'ContainersReady',
  'PodReadyToStartContainers',
])

type Cond = Omit<PodCondition, 'lastProbeTime' | 'lastTransitionTime'>

/** Go's %s of a []string: "[a b]". */
const goList = (names: string[]) => `[${names.join(' ')}]`

function terminalReason(phase: PodPhase): string | undefined {
  return phase === 'Failed' ? 'PodFailed' : phase === 'Succeeded' ? 'PodCompleted' : undefined
}

function containersReady(pod: Pod, all: Map<string, ContainerStatus>, phase: PodPhase): Cond {
  const unknown: string[] = []
  const unready: string[] = []
  const check = (name: string) => {
    const s = all.get(name)
    if (!s) unknown.push(name)
    else if (!s.ready) unready.push(name)
  }
  for (const c of pod.spec.initContainers ?? []) if (isSidecar(c)) check(c.name)
  for (const c of pod.spec.containers) check(c.name)
  if ((phase === 'Succeeded' && unknown.length === 0) || phase === 'Failed')
    return { type: 'ContainersReady', status: 'False', reason: terminalReason(phase) }
  const messages: string[] = []
  if (unknown.length) messages.push(`containers with unknown status: ${goList(unknown)}`)
  if (unready.length) messages.push(`containers with unready status: ${goList(unready)}`)
  if (messages.length)
    return { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: messages.join(', ') }
  return { type: 'ContainersReady', status: 'True' }
}

function podReady(pod: Pod, containers: Cond, others: PodCondition[]): Cond {
  if (containers.status !== 'True')
    return { type: 'Ready', status: containers.status, reason: containers.reason, message: containers.message }
  const messages: string[] = []
  for (const gate of pod.spec.readinessGates ?? []) {
    const c = others.find(x => x.type === gate.conditionType)
    if (!c) messages.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`)
    else if (c.status !== 'True')
      messages.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`)
  }
  if (messages.length)
    return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: messages.join(', ') }
  return { type: 'Ready', status: 'True' }
}

function initialized(pod: Pod, all: Map<string, ContainerStatus>, phase: PodPhase): Cond {
  const unknown: string[] = []
  const incomplete: string[] = []
  for (const c of pod.spec.initContainers ?? []) {
    const s = all.get(c.name)
    if (!s) unknown.push(c.name)
    else if (isSidecar(c) ? !s.started : !s.ready) incomplete.push(c.name)
  }
  if (phase === 'Succeeded' && unknown.length === 0)
    return { type: 'Initialized', status: 'True', reason: 'PodCompleted' }
  // A regular container that has run means the pod was initialized before (sidecars may be restarting).
  const regular = new Set(pod.spec.containers.map(c => c.name))
  if ([...all.values()].some(s => regular.has(s.name) && (s.state?.running || s.state?.terminated)))
    return { type: 'Initialized', status: 'True' }
  const messages: string[] = []
  if (unknown.length) messages.push(`containers with unknown status: ${goList(unknown)}`)
  if (incomplete.length) messages.push(`containers with incomplete status: ${goList(incomplete)}`)
  if (messages.length)
    return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: messages.join(', ') }
  return { type: 'Initialized', status: 'True' }
}

/** Inputs of podConditions. */
export interface ConditionsInput {
  pod: Pod
  statuses: ContainerStatus[]
  phase: PodPhase
  /** A sandbox with its network exists. */
  sandboxReady: boolean
  now: number
}

/** The pod's conditions: foreign ones kept in place, then the kubelet's in upstream's order. */
export function podConditions(input: ConditionsInput): PodCondition[] {
  const { pod, phase } = input
  const old = pod.status?.conditions ?? []
  const all = new Map(input.statuses.map(s => [s.name, s]))
  const foreign = old.filter(c => !kubeletConditionTypes.has(c.type))
  const cReady = containersReady(pod, all, phase)
  const generated: Cond[] = [
    { type: 'PodReadyToStartContainers', status: input.sandboxReady ? 'True' : 'False' },
    initialized(pod, all, phase),
    podReady(pod, cReady, foreign),
    cReady,
    { type: 'PodScheduled', status: 'True' },
  ]
  const stamped = generated.map(c => {
    const prev = old.find(o => o.type === c.type)
    const lastTransitionTime =
      prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : formatTime(input.now)
    const out: PodCondition = { type: c.type, status: c.status, lastProbeTime: null, lastTransitionTime }
    if (c.reason) out.reason = c.reason
    if (c.message) out.message = c.message
    return out
  })
  return [...structuredClone(foreign), ...stamped]
}
