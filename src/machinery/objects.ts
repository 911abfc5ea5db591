/**
 * Small object helpers every room needs: JSON-semantic equality, deep freezing for read-only caches,
 * UIDs, and controller owner references (metav1.GetControllerOf / IsControlledBy). Pure apart from
 * the random UIDs: no I/O.
 */
import { randomUUID } from 'node:crypto'
import type { KObject, ObjectMeta, OwnerReference } from '../api/meta.js'

/**
 * Equality of two JSON values: same primitives, arrays element-wise, objects key-wise where a key
 * holding `undefined` counts as absent (JSON.stringify drops it too). Key order does not matter.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b)
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]))
  }
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  const keys = (o: Record<string, unknown>) => Object.keys(o).filter(k => o[k] !== undefined)
  const ak = keys(ao)
  if (ak.length !== keys(bo).length) return false
  return ak.every(k => Object.hasOwn(bo, k) && deepEqual(ao[k], bo[k]))
}

/** Freezes an object graph in place and returns it: a stray mutation of a cached object then throws in strict mode. */
export function deepFreeze<T>(o: T): T {
  if (typeof o !== 'object' || o === null || Object.isFrozen(o)) return o
  Object.freeze(o)
  for (const v of Object.values(o as Record<string, unknown>)) deepFreeze(v)
  return o
}

/** A fresh metadata.uid (RFC 4122 v4, as the apiserver assigns). */
export function newUID(): string {
  return randomUUID()
}

type HasMeta = Pick<KObject, 'metadata'> | { metadata?: ObjectMeta }

/** metav1.GetControllerOf: the owner reference with `controller: true`, if any. */
export function getControllerOf(obj: HasMeta): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find(r => r.controller === true)
}

/** metav1.IsControlledBy: the controller reference points at this owner's UID. */
export function isControlledBy(obj: HasMeta, owner: HasMeta): boolean {
  const ref = getControllerOf(obj)
  return ref !== undefined && ref.uid === (owner.metadata?.uid ?? '')
}

/** metav1.NewControllerRef: an owner reference marking `owner` as the controller, blocking owner deletion. */
export function newControllerRef(owner: HasMeta, gvk: { apiVersion: string; kind: string }): OwnerReference {
  return {
    apiVersion: gvk.apiVersion,
    kind: gvk.kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    blockOwnerDeletion: true,
    controller: true,
  }
}
