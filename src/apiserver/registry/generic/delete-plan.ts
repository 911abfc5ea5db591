/**
 * Decides what a DELETE does to an object: remove it now, or mark it (deletionTimestamp,
 * grace period, garbage-collection finalizers) and leave the rest to finalizers and the
 * node agent. Pure: the caller reads the object and writes the result.
 */
import { type DeleteOptions, FinalizerForeground, FinalizerOrphan, type KObject } from '../../../api/meta.js'
import type { ResourceStrategy } from '../resource.js'
import { formatTime } from './object-meta.js'

export type DeletePlan =
  | { action: 'remove'; error?: undefined; object?: undefined }
  | { action: 'mark'; object: KObject; error?: undefined }
  | { action: 'none'; object: KObject; error?: undefined }
  | { action: 'reject'; error: string; object?: undefined }

/** The propagation policy a request asks for, or undefined to keep the object's current finalizers. */
export function requestedPropagation(options: DeleteOptions): DeleteOptions['propagationPolicy'] | undefined {
  if (options.propagationPolicy) return options.propagationPolicy
  if (options.orphanDependents !== undefined) return options.orphanDependents ? 'Orphan' : 'Background'
  return undefined
}

/** Finalizers after applying a propagation policy: Orphan and Foreground each add theirs and drop the other. */
export function finalizersFor(current: string[] | undefined, policy: DeleteOptions['propagationPolicy']): string[] {
  const rest = (current ?? []).filter(f => f !== FinalizerOrphan && f !== FinalizerForeground)
  const had = current ?? []
  if (policy === 'Orphan') return [...rest, FinalizerOrphan]
  if (policy === 'Foreground') return [...rest, FinalizerForeground]
  if (policy === 'Background') return rest
  return [...had]
}

/** The grace period this delete uses: only kinds with a default grace period honour one. */
export function effectiveGracePeriod(strategy: ResourceStrategy, obj: KObject, options: DeleteOptions): number {
  if (!strategy.defaultGracePeriodSeconds) return 0
  let grace = options.gracePeriodSeconds ?? strategy.defaultGracePeriodSeconds(obj) ?? 0
  if (grace < 0) grace = 1
  return strategy.checkGracefulDelete ? strategy.checkGracefulDelete(obj, grace) : grace
}

const namespaceFinalizers = (obj: KObject) => (obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []

/** Plans one DELETE of `current` at time `now` (ms). */
export function planDelete(
  strategy: ResourceStrategy,
  current: KObject,
  options: DeleteOptions,
  now: number,
): DeletePlan {
  if (options.propagationPolicy && options.orphanDependents !== undefined)
    return { action: 'reject', error: 'orphanDependents and propagationPolicy cannot both be set' }
  const policy = requestedPropagation(options)
  const finalizers = finalizersFor(current.metadata.finalizers, policy)
  const grace = effectiveGracePeriod(strategy, current, options)
  const isNamespace = strategy.resource === 'namespaces'
  const blocked = finalizers.length > 0 || (isNamespace && namespaceFinalizers(current).length > 0)
  const next = structuredClone(current)
  if (finalizers.length) next.metadata.finalizers = finalizers
  else delete next.metadata.finalizers
  const m = next.metadata

  if (current.metadata.deletionTimestamp) {
    const remaining = current.metadata.deletionGracePeriodSeconds ?? 0
    let changed = JSON.stringify(finalizers) !== JSON.stringify(current.metadata.finalizers ?? [])
    if (grace < remaining) {
      m.deletionGracePeriodSeconds = grace
      m.deletionTimestamp = formatTime(now + grace * 1000)
      changed = true
    }
    if ((m.deletionGracePeriodSeconds ?? 0) === 0 && !blocked) return { action: 'remove' }
    return changed ? { action: 'mark', object: next } : { action: 'none', object: current }
  }
  if (!blocked && grace === 0) return { action: 'remove' }
  m.deletionTimestamp = formatTime(now + grace * 1000)
  m.deletionGracePeriodSeconds = grace
  if (isNamespace) next.status = { ...(next.status as object), phase: 'Terminating' }
  return { action: 'mark', object: next }
}
