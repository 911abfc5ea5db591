/**
 * The Pods table printer (printers.go printPod, 1.32): READY, STATUS (phase, reason, init
 * progress, container waiting/terminated reasons, Terminating/Unknown), RESTARTS with the age of
 * the last restart, and the wide IP/Node/Nominated Node/Readiness Gates columns.
 * Pure: `now` comes in as an argument.
 */
import type { Container, ContainerStatus, Pod } from '../../../api/pod.js'
import { NodeUnreachablePodReason, PodReasonSchedulingGated } from '../../../api/pod.js'
import { translateTimestampSince } from '../../../machinery/duration.js'
import { ageColumn, column, nameColumn } from '../pod-spec/printing.js'
import type { Printer } from '../resource.js'

/** What the Ready, Status and Restarts cells are computed from, in one pass. */
export interface PodSummary {
  ready: number
  total: number
  reason: string
  restarts: number
  /** Epoch ms of the latest restart (last termination) that counts, or undefined. */
  lastRestart?: number
}

const isSidecar = (c: Container | undefined) => c?.restartPolicy === 'Always'
const finishedAt = (s: ContainerStatus) => {
  const t = s.lastState?.terminated?.finishedAt
  const ms = t ? Date.parse(t) : Number.NaN
  return Number.isNaN(ms) ? undefined : ms
}
const later = (a: number | undefined, b: number | undefined) => (b !== undefined && (a === undefined || b > a) ? b : a)
const hasCondition = (pod: Pod, type: string) =>
  (pod.status?.conditions ?? []).some(c => c.type === type && c.status === 'True')

/** printPod's algorithm, in upstream's order. */
export function summarizePod(pod: Pod): PodSummary {
  const st = pod.status ?? {}
  const phase = st.phase ?? ''
  let reason = st.reason || phase
  for (const c of st.conditions ?? [])
    if (c.type === 'PodScheduled' && c.reason === PodReasonSchedulingGated) reason = PodReasonSchedulingGated

  const inits = new Map((pod.spec.initContainers ?? []).map(c => [c.name, c]))
  const total = (pod.spec.containers ?? []).length + [...inits.values()].filter(isSidecar).length
  let ready = 0
  let restarts = 0
  let sidecarRestarts = 0
  let lastRestart: number | undefined
  let lastSidecarRestart: number | undefined

  let initializing = false
  const initStatuses = st.initContainerStatuses ?? []
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!
    restarts += cs.restartCount ?? 0
    lastRestart = later(lastRestart, finishedAt(cs))
    const sidecar = isSidecar(inits.get(cs.name))
    if (sidecar) {
      sidecarRestarts += cs.restartCount ?? 0
      lastSidecarRestart = later(lastSidecarRestart, finishedAt(cs))
    }
    const term = cs.state?.terminated
    const waiting = cs.state?.waiting
    if (term && term.exitCode === 0) continue
    if (sidecar && cs.started === true) {
      if (cs.ready) ready++
      continue
    }
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`
      else reason = `Init:${term.reason}`
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`
    else reason = `Init:${i}/${(pod.spec.initContainers ?? []).length}`
    initializing = true
    break
  }

  if (!initializing || hasCondition(pod, 'Initialized')) {
    restarts = sidecarRestarts
    lastRestart = lastSidecarRestart
    let hasRunning = false
    const statuses = st.containerStatuses ?? []
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!
      restarts += cs.restartCount ?? 0
      lastRestart = later(lastRestart, finishedAt(cs))
      const term = cs.state?.terminated
      if (cs.state?.waiting?.reason) reason = cs.state.waiting.reason
      else if (term?.reason) reason = term.reason
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`
      else if (cs.ready && cs.state?.running) {
        hasRunning = true
        ready++
      }
    }
    if (reason === 'Completed' && hasRunning) reason = hasCondition(pod, 'Ready') ? 'Running' : 'NotReady'
  }

  if (pod.metadata.deletionTimestamp && st.reason === NodeUnreachablePodReason) reason = 'Unknown'
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating'
  return { ready, total, reason, restarts, lastRestart }
}

/** The Restarts cell: `N`, or `N (X ago)` when a last termination time is known. */
export function restartsCell(s: PodSummary, now: number): string {
  if (s.restarts === 0 || s.lastRestart === undefined) return String(s.restarts)
  return `${s.restarts} (${translateTimestampSince(new Date(s.lastRestart).toISOString(), now)} ago)`
}

/** The Readiness Gates cell: `<none>`, or `true/total` over spec.readinessGates. */
export function readinessGatesCell(pod: Pod): string {
  const gates = pod.spec.readinessGates ?? []
  if (gates.length === 0) return '<none>'
  let trueCount = 0
  for (const g of gates) {
    const c = (pod.status?.conditions ?? []).find(x => x.type === g.conditionType)
    if (c?.status === 'True') trueCount++
  }
  return `${trueCount}/${gates.length}`
}

/** Row conditions upstream attaches to finished pods (kubectl hides them without --show-all). */
const succeeded = [
  { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
]
const failed = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]

/** The Pods printer. */
export const podPrinter: Printer<Pod> = {
  columns: [
    nameColumn(),
    column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'The aggregate status of the containers in this pod.'),
    column(
      'Restarts',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    ageColumn(),
    column(
      'IP',
      'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
      {
        priority: 1,
      },
    ),
    column(
      'Node',
      'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.',
      { priority: 1 },
    ),
    column(
      'Nominated Node',
      'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.',
      { priority: 1 },
    ),
    column(
      'Readiness Gates',
      'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True"',
      { priority: 1 },
    ),
  ],
  cells(pod, now) {
    const s = summarizePod(pod)
    return [
      pod.metadata.name ?? '',
      `${s.ready}/${s.total}`,
      s.reason,
      restartsCell(s, now),
      translateTimestampSince(pod.metadata.creationTimestamp, now),
      pod.status?.podIPs?.[0]?.ip || '<none>',
      pod.spec.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      readinessGatesCell(pod),
    ]
  },
  conditions(pod) {
    if (pod.status?.phase === 'Succeeded') return succeeded
    if (pod.status?.phase === 'Failed') return failed
    return undefined
  },
}
