/**
 * Informer handlers of the ReplicaSet controller (upstream addPod/updatePod/deletePod, addRS/
 * updateRS/deleteRS). They turn events into ReplicaSet keys and record observed creations and
 * deletions in the expectations; they never decide what a ReplicaSet needs.
 */
import type { ReplicaSet } from '../../api/apps.js'
import { parseApiVersion } from '../../api/meta.js'
import type { Pod } from '../../api/pod.js'
import { keyOf } from '../../client/cache.js'
import type { EventHandler } from '../../client/informer.js'
import type { Lister } from '../../client/lister.js'
import { type Selector, selectorFromLabelSelector } from '../../machinery/labels.js'
import { deepEqual, getControllerOf } from '../../machinery/objects.js'
import type { Expectations } from './expectations.js'
import { isPodReady } from './pods.js'

const selectors = new WeakMap<ReplicaSet, Selector | null>()

/** The ReplicaSet's parsed selector (cached per cached object), or null when it is invalid. */
export function replicaSetSelector(rs: ReplicaSet): Selector | null {
  let s = selectors.get(rs)
  if (s === undefined) {
    try {
      s = selectorFromLabelSelector(rs.spec.selector)
    } catch {
      s = null
    }
    selectors.set(rs, s)
  }
  return s
}

/** What the handlers need from the controller. */
export interface HandlerDeps {
  replicaSets: Lister<ReplicaSet>
  expectations: Expectations
  enqueue(key: string): void
  enqueueAfter(key: string, ms: number): void
}

/** The ReplicaSet a controller reference points at, if it exists with that UID. */
export function resolveControllerRef(deps: HandlerDeps, pod: Pod): ReplicaSet | undefined {
  const ref = getControllerOf(pod)
  if (ref?.kind !== 'ReplicaSet' || parseApiVersion(ref.apiVersion).group !== 'apps') return undefined
  const rs = deps.replicaSets.get({ namespace: pod.metadata.namespace, name: ref.name })
  return rs?.metadata.uid === ref.uid ? rs : undefined
}

/** GetPodReplicaSets: ReplicaSets in the pod's namespace whose non-empty selector matches it. */
export function replicaSetsSelecting(replicaSets: Lister<ReplicaSet>, pod: Pod): ReplicaSet[] {
  return replicaSets.list({ namespace: pod.metadata.namespace ?? '' }).filter(rs => {
    const s = replicaSetSelector(rs)
    return !!s && !s.isEmpty() && s.matches(pod.metadata.labels)
  })
}

/** Handlers for the ReplicaSet informer. */
export function replicaSetHandler(deps: HandlerDeps): EventHandler<ReplicaSet> {
  return {
    onAdd: rs => deps.enqueue(keyOf(rs)),
    onUpdate: (old, cur) => {
      // A recreated ReplicaSet (same name, new UID) starts with clean expectations.
      if (old.metadata.uid !== cur.metadata.uid) deps.expectations.delete(keyOf(old))
      deps.enqueue(keyOf(cur))
    },
    onDelete: rs => {
      deps.expectations.delete(keyOf(rs))
      deps.enqueue(keyOf(rs))
    },
  }
}

/** Handlers for the pod informer. */
export function podHandler(deps: HandlerDeps): EventHandler<Pod> {
  const deleted = (pod: Pod) => {
    const rs = resolveControllerRef(deps, pod)
    if (!rs) return // nobody waits for an orphan's deletion
    const key = keyOf(rs)
    deps.expectations.deletionObserved(key, keyOf(pod))
    deps.enqueue(key)
  }
  const enqueueSelecting = (pod: Pod) => {
    for (const rs of replicaSetsSelecting(deps.replicaSets, pod)) deps.enqueue(keyOf(rs))
  }
  return {
    onAdd: pod => {
      // A pod already being deleted (seen after a restart) is no creation to observe.
      if (pod.metadata.deletionTimestamp) return deleted(pod)
      if (getControllerOf(pod)) {
        const rs = resolveControllerRef(deps, pod)
        if (!rs) return
        deps.expectations.creationObserved(keyOf(rs))
        return deps.enqueue(keyOf(rs))
      }
      enqueueSelecting(pod) // an orphan: someone may adopt it
    },
    onUpdate: (old, cur) => {
      if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return
      const labelsChanged = !deepEqual(old.metadata.labels ?? {}, cur.metadata.labels ?? {})
      if (cur.metadata.deletionTimestamp) {
        // A graceful deletion started: replace the pod now, not once the node agent finishes.
        deleted(cur)
        if (labelsChanged) deleted(old)
        return
      }
      const curRef = getControllerOf(cur)
      const oldRef = getControllerOf(old)
      const refChanged = !deepEqual(curRef, oldRef)
      if (refChanged && oldRef) {
        const rs = resolveControllerRef(deps, old)
        if (rs) deps.enqueue(keyOf(rs))
      }
      if (curRef) {
        const rs = resolveControllerRef(deps, cur)
        if (!rs) return
        deps.enqueue(keyOf(rs))
        const minReady = rs.spec.minReadySeconds ?? 0
        // Look again once the pod has been ready for minReadySeconds (+1 s against clock skew).
        if (!isPodReady(old) && isPodReady(cur) && minReady > 0) deps.enqueueAfter(keyOf(rs), (minReady + 1) * 1000)
        return
      }
      if (labelsChanged || refChanged) enqueueSelecting(cur)
    },
    onDelete: deleted,
  }
}
