/**
 * Event handlers that turn informer events into work-queue keys (sample-controller's
 * enqueueFoo and handleObject). They look at the object only to find a key, never to decide
 * what to do: deciding is the reconciler's job.
 */
import type { KObject } from '../../api/meta.js'
import { parseApiVersion } from '../../api/meta.js'
import { keyOf } from '../../client/cache.js'
import type { EventHandler } from '../../client/informer.js'
import { getControllerOf } from '../../machinery/objects.js'

/** Maps an object to the keys that must be reconciled when it changes. */
export type MapFunc<T extends KObject = KObject> = (obj: T) => string[]

/** The object's own key ("namespace/name"). */
export const ownKey: MapFunc = obj => [keyOf(obj)]

/** Identifies the owner kind for owns(): group "" is the core group. */
export interface OwnerKind {
  kind: string
  group?: string
}

/**
 * The key of obj's controller owner when it is of the given kind (sample-controller's handleObject).
 * Owners live in the dependent's namespace (cross-namespace owner references are invalid).
 */
export function controllerOwnerKey(owner: OwnerKind): MapFunc {
  return obj => {
    const ref = getControllerOf(obj)
    if (!ref || ref.kind !== owner.kind) return []
    if (parseApiVersion(ref.apiVersion).group !== (owner.group ?? '')) return []
    return [obj.metadata.namespace ? `${obj.metadata.namespace}/${ref.name}` : ref.name]
  }
}

/** Handlers that enqueue map(obj) on add and delete, and the keys of both versions on update. */
export function enqueueHandler<T extends KObject>(map: MapFunc<T>, enqueue: (key: string) => void): EventHandler<T> {
  return {
    onAdd: obj => map(obj).forEach(enqueue),
    onUpdate: (oldObj, newObj) => {
      // Keys of both versions: an object whose owner changed must wake the old owner too.
      const keys = new Set([...map(oldObj), ...map(newObj)])
      keys.forEach(enqueue)
    },
    onDelete: obj => map(obj).forEach(enqueue),
  }
}
