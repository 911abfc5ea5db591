/**
 * Ready-made index functions for informer caches: by namespace, by owner, by controller owner,
 * by node name, by label value. Pure functions of the object.
 */
import type { KObject } from '../api/meta.js'
import type { IndexFunc } from './cache.js'

/** Index name of byNamespace; every informer cache has it. */
export const NAMESPACE_INDEX = 'namespace'
/** Index name of byControllerUid. */
export const CONTROLLER_UID_INDEX = 'controllerUid'
/** Index name of byOwnerUid. */
export const OWNER_UID_INDEX = 'ownerUid'
/** Index name of byNodeName. */
export const NODE_NAME_INDEX = 'nodeName'

/** The object's namespace ("" for cluster-scoped objects). */
export const byNamespace: IndexFunc<KObject> = obj => [obj.metadata.namespace ?? '']

/** The uid of the controller ownerReference, if any. */
export const byControllerUid: IndexFunc<KObject> = obj => {
  const ref = obj.metadata.ownerReferences?.find(r => r.controller)
  return ref ? [ref.uid] : []
}

/** The uid of every ownerReference. */
export const byOwnerUid: IndexFunc<KObject> = obj => (obj.metadata.ownerReferences ?? []).map(r => r.uid)

/** spec.nodeName (pods) when set. */
export const byNodeName: IndexFunc<KObject> = obj => {
  const node = (obj.spec as { nodeName?: unknown } | undefined)?.nodeName
  return typeof node === 'string' && node ? [node] : []
}

/** The value of one label, when present. */
export function byLabel(key: string): IndexFunc<KObject> {
  return obj => {
    const v = obj.metadata.labels?.[key]
    return v === undefined ? [] : [v]
  }
}
