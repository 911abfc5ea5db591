/**
 * The scheduler's failure message (upstream FitError.Error() plus the DefaultPreemption
 * PostFilter text, 1.32): "0/3 nodes are available: 3 node(s) didn't match Pod's node
 * affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for
 * scheduling." Reasons are counted per node and sorted as strings, as upstream does. Pure.
 */
import type { Rejection } from './filters.js'

/** Upstream ErrNoNodesAvailable. */
export const noNodesAvailable = 'no nodes available to schedule pods'

/** Why no node fit: a PreFilter rejection for all, or one rejection per node. */
export interface Diagnosis {
  numNodes: number
  /** A PreFilter rejection applies to every node (unresolvable). */
  preFilter?: string
  nodes: Rejection[]
  /** spec.preemptionPolicy of the pod. */
  preemptionPolicy?: string
}

/** "3 a, 1 b": counts per text, sorted as strings. */
function histogram(items: string[]): string {
  const counts = new Map<string, number>()
  for (const s of items) counts.set(s, (counts.get(s) ?? 0) + 1)
  return [...counts]
    .map(([s, n]) => `${n} ${s}`)
    .sort()
    .join(', ')
}

/** What preemption would say: it cannot help on unresolvable nodes and finds no victims elsewhere. */
function preemptionMessage(d: Diagnosis): string {
  if (d.preemptionPolicy === 'Never') return 'preemption: not eligible due to preemptionPolicy=Never.'
  const per = d.preFilter
    ? Array.from({ length: d.numNodes }, () => 'Preemption is not helpful for scheduling')
    : d.nodes.map(r =>
        r.unresolvable ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod',
      )
  return `preemption: 0/${d.numNodes} nodes are available: ${histogram(per)}.`
}

/** The FailedScheduling message and PodScheduled=False condition message. */
export function fitErrorMessage(d: Diagnosis): string {
  if (d.numNodes === 0) return noNodesAvailable
  let msg = `0/${d.numNodes} nodes are available:`
  if (d.preFilter) msg += ` ${d.preFilter}.`
  else {
    const reasons = histogram(d.nodes.flatMap(r => r.reasons))
    if (reasons) msg += ` ${reasons}.`
  }
  return `${msg} ${preemptionMessage(d)}`
}
