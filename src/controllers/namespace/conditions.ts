/**
 * The namespace deleter's status conditions, as upstream's status_condition_utils.go sets them:
 * five condition types, each either a failure (status True, with what failed) or its fixed "ok"
 * variant (status False). Reasons and message templates are upstream's, because `kubectl describe
 * namespace` shows them verbatim. Pure: no I/O; the caller passes the time.
 */
import type { NamespaceCondition } from '../../api/core.js'

/** The condition types the namespace controller maintains, in upstream's order. */
export const conditionTypes = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const

const okReasons: Record<string, string> = {
  NamespaceDeletionDiscoveryFailure: 'ResourcesDiscovered',
  NamespaceDeletionGroupVersionParsingFailure: 'ParsedGroupVersions',
  NamespaceDeletionContentFailure: 'ContentDeleted',
  NamespaceContentRemaining: 'ContentRemoved',
  NamespaceFinalizersRemaining: 'ContentHasNoFinalizers',
}

const okMessages: Record<string, string> = {
  NamespaceDeletionDiscoveryFailure: 'All resources successfully discovered',
  NamespaceDeletionGroupVersionParsingFailure: 'All legacy kube types successfully parsed',
  NamespaceDeletionContentFailure: 'All content successfully deleted, may be waiting on finalization',
  NamespaceContentRemaining: 'All content successfully removed',
  NamespaceFinalizersRemaining: 'All content-preserving finalizers finished',
}

/** What one pass of content deletion found. */
export interface DeletionReport {
  /** Group versions whose discovery failed, with the error text: ["metrics.k8s.io/v1beta1: ..."]. */
  discoveryFailures: string[]
  /** One message per resource whose deletion failed. */
  deleteFailures: string[]
  /** "resource.group" → objects still present (upstream prints "pods." for the core group). */
  remaining: Map<string, number>
  /** finalizer → objects still carrying it. */
  finalizersRemaining: Map<string, number>
}

/** An empty report: nothing failed, nothing remains. */
export function emptyReport(): DeletionReport {
  return { discoveryFailures: [], deleteFailures: [], remaining: new Map(), finalizersRemaining: new Map() }
}

/** Whether the namespace can be finalized after this pass. */
export function isClean(r: DeletionReport): boolean {
  return !r.discoveryFailures.length && !r.deleteFailures.length && countOf(r.remaining) === 0
}

function countOf(m: Map<string, number>): number {
  let n = 0
  for (const v of m.values()) n += v
  return n
}

/** The failure conditions a report calls for (types without failure are left out). */
export function failureConditions(r: DeletionReport, now: string): NamespaceCondition[] {
  const out: NamespaceCondition[] = []
  const add = (type: string, reason: string, message: string) =>
    out.push({ type, status: 'True', lastTransitionTime: now, reason, message })
  if (r.discoveryFailures.length) {
    const list = [...r.discoveryFailures].sort().join(', ')
    add(
      'NamespaceDeletionDiscoveryFailure',
      'DiscoveryFailed',
      `Discovery failed for some groups, ${r.discoveryFailures.length} failing: unable to retrieve the complete list of server APIs: ${list}`,
    )
  }
  if (r.deleteFailures.length) {
    const msgs = [...r.deleteFailures].sort()
    add(
      'NamespaceDeletionContentFailure',
      'ContentDeletionFailed',
      `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}`,
    )
  }
  const remaining = [...r.remaining].filter(([, n]) => n > 0).map(([gr, n]) => `${gr} has ${n} resource instances`)
  if (remaining.length) {
    add(
      'NamespaceContentRemaining',
      'SomeResourcesRemain',
      `Some resources are remaining: ${remaining.sort().join(', ')}`,
    )
  }
  const finalizers = [...r.finalizersRemaining]
    .filter(([, n]) => n > 0)
    .map(([f, n]) => `${f} in ${n} resource instances`)
  if (finalizers.length) {
    add(
      'NamespaceFinalizersRemaining',
      'SomeFinalizersRemain',
      `Some content in the namespace has finalizers remaining: ${finalizers.sort().join(', ')}`,
    )
  }
  return out
}

/**
 * updateConditions: every maintained type gets its failure or its ok variant; lastTransitionTime
 * moves only when the status flips. Returns the new list and whether anything changed.
 */
export function mergeConditions(
  old: readonly NamespaceCondition[] | undefined,
  failures: readonly NamespaceCondition[],
  now: string,
): { conditions: NamespaceCondition[]; changed: boolean } {
  const conditions = (old ?? []).map(c => ({ ...c }))
  let changed = false
  for (const type of conditionTypes) {
    const next = failures.find(c => c.type === type) ?? {
      type,
      status: 'False',
      lastTransitionTime: now,
      reason: okReasons[type],
      message: okMessages[type],
    }
    const prior = conditions.find(c => c.type === type)
    if (!prior) {
      conditions.push({ ...next })
      changed = true
    } else if (prior.status !== next.status || prior.reason !== next.reason || prior.message !== next.message) {
      if (prior.status !== next.status) prior.lastTransitionTime = now
      prior.status = next.status
      prior.reason = next.reason
      prior.message = next.message
      changed = true
    }
  }
  return { conditions, changed }
}
