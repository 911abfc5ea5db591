/**
 * Informer handlers of the Deployment controller (upstream addReplicaSet/updateReplicaSet/
 * deleteReplicaSet/deletePod): map ReplicaSet and pod events to Deployment keys. They decide
 * nothing about the Deployment itself.
 */
import type { Deployment, ReplicaSet } from '../../api/apps.js'
import { type KObject, parseApiVersion } from '../../api/meta.js'
import type { Pod } from '../../api/pod.js'
import { keyOf } from '../../client/cache.js'
import type { EventHandler } from '../../client/informer.js'
import type { Lister } from '../../client/lister.js'
import { type Selector, selectorFromLabelSelector } from '../../machinery/labels.js'
import { deepEqual, getControllerOf } from '../../machinery/objects.js'

const selectors = new WeakMap<Deployment, Selector | null>()

/** The Deployment's parsed selector (cached per cached object), or null when it is invalid. */
export function deploymentSelector(d: Deployment): Selector | null {
  let s = selectors.get(d)
  if (s === undefined) {
    try {
      s = selectorFromLabelSelector(d.spec.selector)
    } catch {
      s = null
    }
    selectors.set(d, s)
  }
  return s
}

/** The object's controller if it is a Deployment that exists with that UID. */
export function resolveDeployment(deployments: Lister<Deployment>, obj: KObject): Deployment | undefined {
  const ref = getControllerOf(obj)
  if (ref?.kind !== 'Deployment' || parseApiVersion(ref.apiVersion).group !== 'apps') return undefined
  const d = deployments.get({ namespace: obj.metadata.namespace, name: ref.name })
  return d?.metadata.uid === ref.uid ? d : undefined
}

/** getDeploymentsForReplicaSet: Deployments in the namespace whose non-empty selector matches the labels. */
export function deploymentsSelecting(deployments: Lister<Deployment>, obj: KObject): Deployment[] {
  return deployments.list({ namespace: obj.metadata.namespace ?? '' }).filter(d => {
    const s = deploymentSelector(d)
    return !!s && !s.isEmpty() && s.matches(obj.metadata.labels)
  })
}

/** ReplicaSet events → the Deployments that own or could adopt the ReplicaSet. */
export function replicaSetHandler(
  deployments: Lister<Deployment>,
  enqueue: (key: string) => void,
): EventHandler<ReplicaSet> {
  const owner = (rs: ReplicaSet) => {
    const d = resolveDeployment(deployments, rs)
    if (d) enqueue(keyOf(d))
  }
  const candidates = (rs: ReplicaSet) => {
    for (const d of deploymentsSelecting(deployments, rs)) enqueue(keyOf(d))
  }
  return {
    onAdd: rs => {
      if (rs.metadata.deletionTimestamp || getControllerOf(rs)) return owner(rs)
      candidates(rs) // an orphan: a Deployment may adopt it
    },
    onUpdate: (old, cur) => {
      if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return
      const [curRef, oldRef] = [getControllerOf(cur), getControllerOf(old)]
      const refChanged = !deepEqual(curRef, oldRef)
      if (refChanged && oldRef) owner(old)
      if (curRef) return owner(cur)
      if (refChanged || !deepEqual(old.metadata.labels ?? {}, cur.metadata.labels ?? {})) candidates(cur)
    },
    onDelete: owner,
  }
}

/**
 * Pod deletions → the Recreate Deployment owning the pod's ReplicaSet: Recreate waits for old
 * pods to be gone before it creates new ones, and no ReplicaSet change signals that.
 */
export function podHandler(
  deployments: Lister<Deployment>,
  replicaSets: Lister<ReplicaSet>,
  enqueue: (key: string) => void,
): EventHandler<Pod> {
  return {
    onDelete: pod => {
      const ref = getControllerOf(pod)
      if (ref?.kind !== 'ReplicaSet') return
      const rs = replicaSets.get({ namespace: pod.metadata.namespace, name: ref.name })
      const d = rs && resolveDeployment(deployments, rs)
      if (d?.spec.strategy?.type === 'Recreate') enqueue(keyOf(d))
    },
  }
}
