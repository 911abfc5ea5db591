/**
 * StatusManager: writes pod statuses through pods/status (C9), only when they change. A write
 * that hits a conflict re-reads the pod and retries, keeping conditions other components own
 * (readiness gates, DisruptionTarget) from the fresh copy. It also remembers what it wrote, so a
 * stale informer copy does not cause the same status to be written twice.
 */
import type { Pod, PodStatus } from '../api/pod.js'
import type { Clock } from '../client/clock.js'
import { type Logger, silentLogger } from '../client/log.js'
import { PODS } from '../client/resources.js'
import type { RestClient } from '../client/rest-client.js'
import { withRetryOnConflict } from '../client/retry.js'
import { deepEqual } from '../machinery/objects.js'
import { isNotFound } from '../machinery/status-error.js'
import { kubeletConditionTypes } from './pod-conditions.js'
import { isPodStatusChanged } from './pod-status.js'

/** Options of a StatusManager. */
export interface StatusManagerOptions {
  client: RestClient
  clock?: Clock
  log?: Logger
}

interface Written {
  status: PodStatus
  resourceVersion: bigint
}

const rvOf = (pod: Pod): bigint => {
  try {
    return BigInt(pod.metadata.resourceVersion ?? '0')
  } catch {
    return 0n
  }
}

/** Status with the fresh pod's foreign conditions in place of the ones computed from an older copy. */
function rebase(status: PodStatus, fresh: Pod): PodStatus {
  const foreign = (fresh.status?.conditions ?? []).filter(c => !kubeletConditionTypes.has(c.type))
  const own = (status.conditions ?? []).filter(c => kubeletConditionTypes.has(c.type))
  return { ...status, conditions: [...structuredClone(foreign), ...own] }
}

/** Writes pod statuses for one node agent. */
export class StatusManager {
  private readonly written = new Map<string, Written>()
  private readonly log: Logger

  constructor(private readonly opts: StatusManagerOptions) {
    this.log = (opts.log ?? silentLogger).child({ component: 'status-manager' })
  }

  /**
   * Writes status for pod unless the API already holds it. Resolves false when nothing was written
   * (no change, or the pod is gone); rejects on errors other than NotFound and exhausted conflicts.
   */
  async setPodStatus(pod: Pod, status: PodStatus): Promise<boolean> {
    const uid = pod.metadata.uid ?? ''
    if (!isPodStatusChanged(pod, status)) return false
    const last = this.written.get(uid)
    // The cache has not caught up with our own last write yet, and we would write the same again.
    if (last && rvOf(pod) < last.resourceVersion && deepEqual(last.status, status)) return false
    let current = pod
    let attempt = 0
    try {
      return await withRetryOnConflict(
        async () => {
          if (attempt++ > 0)
            current = await this.opts.client.get<Pod>(PODS, pod.metadata.name!, { namespace: pod.metadata.namespace })
          if (current.metadata.uid !== uid) return false
          const next = attempt > 1 ? rebase(status, current) : status
          if (!isPodStatusChanged(current, next)) return false
          const { managedFields: _, ...metadata } = current.metadata
          const saved = await this.opts.client.updateStatus<Pod>(PODS, { ...current, metadata, status: next })
          this.written.set(uid, { status: next, resourceVersion: rvOf(saved) })
          return true
        },
        { clock: this.opts.clock },
      )
    } catch (err) {
      if (isNotFound(err)) return false
      throw err
    }
  }

  /** Forgets a pod (after it is gone). */
  forget(uid: string): void {
    this.written.delete(uid)
  }
}
