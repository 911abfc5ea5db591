/**
 * The garbage collector's only writes and live reads (C6's narrow interface): fetch an object
 * by identity, delete it with a uid precondition, patch owner references or a finalizer away.
 * Every method is idempotent: NotFound counts as done, a stale copy surfaces as a Conflict.
 */
import type { KObject, OwnerReference } from '../../api/meta.js'
import { type ResourceRef, refForKind } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { isConflict, isNotFound } from '../../machinery/status-error.js'
import type { Identity } from './graph.js'
import { type OwnerState, removeFinalizerPatch, removeOwnerReferencesPatch } from './plan.js'

/** What the collector does to the cluster. */
export interface GcActions {
  /** The live object, or undefined when it is gone or its name now has another uid. */
  getLatest(id: Identity): Promise<KObject | undefined>
  /** The live state of an owner referenced from a dependent in `namespace`. */
  lookupOwner(ref: OwnerReference, namespace: string | undefined): Promise<OwnerState>
  /** Deletes with a uid precondition; gone or replaced objects count as done. */
  delete(id: Identity, propagationPolicy: 'Background' | 'Foreground' | 'Orphan'): Promise<void>
  /** Removes owner references by uid (re-reading the object); resolves when none is left. */
  removeOwnerReferences(id: Identity, uids: readonly string[]): Promise<void>
  /** Removes a finalizer (re-reading the object); resolves when it is gone. */
  removeFinalizer(id: Identity, finalizer: string): Promise<void>
}

/** GcActions over the REST client; `resources` maps owner kinds to resources. */
export class RestGcActions implements GcActions {
  constructor(
    private readonly client: RestClient,
    private readonly resources: () => readonly ResourceRef[],
  ) {}

  async getLatest(id: Identity): Promise<KObject | undefined> {
    try {
      const obj = await this.client.get(id.ref, id.name, { namespace: id.namespace })
      return obj.metadata.uid === id.uid ? obj : undefined
    } catch (err) {
      if (isNotFound(err)) return undefined
      throw err
    }
  }

  async lookupOwner(owner: OwnerReference, namespace: string | undefined): Promise<OwnerState> {
    const ref = refForKind(owner.apiVersion, owner.kind, this.resources())
    if (!ref) return 'unknown'
    // A cluster-scoped dependent cannot have a namespaced owner: upstream treats it as absent.
    if (ref.namespaced && !namespace) return 'absent'
    const live = await this.getLatest({
      ref,
      namespace: ref.namespaced ? namespace : undefined,
      name: owner.name,
      uid: owner.uid,
    })
    if (!live) return 'absent'
    const finalizers = live.metadata.finalizers ?? []
    return live.metadata.deletionTimestamp && finalizers.includes('foregroundDeletion') ? 'deletingDependents' : 'live'
  }

  async delete(id: Identity, propagationPolicy: 'Background' | 'Foreground' | 'Orphan'): Promise<void> {
    try {
      await this.client.delete(id.ref, id.name, {
        namespace: id.namespace,
        propagationPolicy,
        preconditions: { uid: id.uid },
      })
    } catch (err) {
      // NotFound: already gone. Conflict on the uid precondition: the name now holds a new object.
      if (isNotFound(err) || isConflict(err)) return
      throw err
    }
  }

  async removeOwnerReferences(id: Identity, uids: readonly string[]): Promise<void> {
    await this.patchLatest(id, obj => removeOwnerReferencesPatch(obj.metadata, uids))
  }

  async removeFinalizer(id: Identity, finalizer: string): Promise<void> {
    await this.patchLatest(id, obj => removeFinalizerPatch(obj.metadata, finalizer))
  }

  /** GET then merge-patch guarded by resourceVersion; a Conflict propagates (the caller retries). */
  private async patchLatest(id: Identity, build: (obj: KObject) => unknown): Promise<void> {
    const obj = await this.getLatest(id)
    if (!obj) return
    const body = build(obj)
    if (!body) return
    try {
      await this.client.patch(id.ref, id.name, { namespace: id.namespace, type: 'merge', body })
    } catch (err) {
      if (!isNotFound(err)) throw err
    }
  }
}
