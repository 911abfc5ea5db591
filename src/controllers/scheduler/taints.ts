/**
 * Taints and tolerations (upstream v1 helper ToleratesTaint and the TaintToleration plugin), plus
 * the taints a node carries implicitly: `node.kubernetes.io/not-ready` or `.../unreachable` while
 * its Ready condition is not True (what the node lifecycle controller would add), and
 * `node.kubernetes.io/unschedulable` for a cordoned node. Pure.
 */
import type { Node, Taint } from '../../api/core.js'
import type { Pod, Toleration } from '../../api/pod.js'

/** The taint key a cordoned node carries. */
export const TaintNodeUnschedulable = 'node.kubernetes.io/unschedulable'
/** The taint key of a node whose Ready condition is False. */
export const TaintNodeNotReady = 'node.kubernetes.io/not-ready'
/** The taint key of a node whose Ready condition is Unknown. */
export const TaintNodeUnreachable = 'node.kubernetes.io/unreachable'

/** ToleratesTaint: effect and key match (empty matches all), then Equal compares values, Exists does not. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false
  if (t.key && t.key !== taint.key) return false
  switch (t.operator ?? 'Equal') {
    case 'Equal':
    case '':
      return (t.value ?? '') === (taint.value ?? '')
    case 'Exists':
      return true
    default:
      return false
  }
}

/** Whether any of the tolerations tolerates the taint. */
export const tolerated = (tolerations: Toleration[] | undefined, taint: Taint): boolean =>
  (tolerations ?? []).some(t => tolerates(t, taint))

/** The node's taints plus the condition taint its Ready condition implies (unless already present). */
export function effectiveTaints(node: Node): Taint[] {
  const taints = [...(node.spec?.taints ?? [])]
  const ready = node.status?.conditions?.find(c => c.type === 'Ready')
  if (ready?.status !== 'True') {
    const key = ready?.status === 'Unknown' ? TaintNodeUnreachable : TaintNodeNotReady
    if (!taints.some(t => t.key === key && t.effect === 'NoSchedule')) taints.push({ key, effect: 'NoSchedule' })
  }
  return taints
}

/** The first NoSchedule/NoExecute taint the pod does not tolerate (TaintToleration Filter). */
export function firstUntoleratedTaint(pod: Pod, taints: Taint[]): Taint | undefined {
  return taints.find(
    t => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerated(pod.spec.tolerations, t),
  )
}

/** PreferNoSchedule taints the pod does not tolerate (TaintToleration Score: fewer is better). */
export function intolerablePreferNoSchedule(pod: Pod, taints: Taint[]): number {
  const prefer = (pod.spec.tolerations ?? []).filter(t => !t.effect || t.effect === 'PreferNoSchedule')
  return taints.filter(t => t.effect === 'PreferNoSchedule' && !tolerated(prefer, t)).length
}

/** NodeUnschedulable Filter: a cordoned node accepts only pods tolerating its unschedulable taint. */
export function blockedByCordon(pod: Pod, node: Node): boolean {
  return (
    !!node.spec?.unschedulable &&
    !tolerated(pod.spec.tolerations, { key: TaintNodeUnschedulable, effect: 'NoSchedule' })
  )
}
