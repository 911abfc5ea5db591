/**
 * The pod phase from its container statuses (the kubelet's getPhase, 1.32 semantics: without the
 * ContainerRestartRules gate). Pure.
 */
import type { ContainerStatus, Pod, PodPhase } from '../api/pod.js'
import { isSidecar } from './container-statuses.js'

interface Counts {
  pendingInit: number
  pendingSidecars: number
  failedInit: number
  unknown: number
  running: number
  waiting: number
  stopped: number
  succeeded: number
}

function countInit(pod: Pod, byName: Map<string, ContainerStatus>, n: Counts): void {
  for (const c of pod.spec.initContainers ?? []) {
    const s = byName.get(c.name)
    if (isSidecar(c)) {
      if (!s) n.unknown++
      else if (s.state?.running) {
        if (!s.started) n.pendingSidecars++
        n.running++
      } else if (s.state?.terminated) {
        // Stopped sidecars do not count toward the phase.
      } else if (s.state?.waiting) {
        if (!s.lastState?.terminated) {
          n.pendingSidecars++
          n.waiting++
        }
      } else {
        n.pendingSidecars++
        n.unknown++
      }
      continue
    }
    if (!s || s.state?.running) n.pendingInit++
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) n.failedInit++
    } else if (s.state?.waiting && s.lastState?.terminated) {
      if (s.lastState.terminated.exitCode !== 0) n.failedInit++
    } else n.pendingInit++
  }
}

function countRegular(pod: Pod, byName: Map<string, ContainerStatus>, n: Counts): void {
  for (const c of pod.spec.containers) {
    const s = byName.get(c.name)
    if (!s) n.unknown++
    else if (s.state?.running) n.running++
    else if (s.state?.terminated) {
      n.stopped++
      if (s.state.terminated.exitCode === 0) n.succeeded++
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) n.stopped++
      else n.waiting++
    } else n.unknown++
  }
}

/**
 * getPhase: `podIsTerminal` means the pod will not run again (being deleted or already finished),
 * so stopped containers decide Succeeded/Failed whatever the restart policy.
 */
export function getPhase(
  pod: Pod,
  statuses: ContainerStatus[],
  opts: { podIsTerminal: boolean; podHasInitialized: boolean },
): PodPhase {
  const byName = new Map(statuses.map(s => [s.name, s]))
  const n: Counts = {
    pendingInit: 0,
    pendingSidecars: 0,
    failedInit: 0,
    unknown: 0,
    running: 0,
    waiting: 0,
    stopped: 0,
    succeeded: 0,
  }
  countInit(pod, byName, n)
  countRegular(pod, byName, n)
  const policy = pod.spec.restartPolicy ?? 'Always'
  if (n.failedInit > 0 && policy === 'Never') return 'Failed'
  if (n.pendingInit > 0 || (n.pendingSidecars > 0 && !opts.podHasInitialized) || n.waiting > 0) return 'Pending'
  if (n.running > 0 && n.unknown === 0) return 'Running'
  if (n.running === 0 && n.stopped > 0 && n.unknown === 0) {
    if (opts.podIsTerminal) return n.stopped === n.succeeded ? 'Succeeded' : 'Failed'
    if (policy === 'Always') return 'Running'
    if (n.stopped === n.succeeded) return 'Succeeded'
    if (policy === 'Never') return 'Failed'
    return 'Running'
  }
  return 'Pending'
}
