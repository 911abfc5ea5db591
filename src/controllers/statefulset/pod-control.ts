/**
 * StatefulPodControl: the only code of the StatefulSet controller that writes (C6). The interface is
 * the seam the policy acts through (upstream's StatefulPodControlObjectManager plus the history and
 * status writers); RestStatefulPodControl implements it over the REST client. Decisions never
 * live here: every method does exactly one write (or the one live read adoption needs).
 */
import type { ControllerRevision, StatefulSet, StatefulSetStatus } from '../../api/apps.js'
import type { PersistentVolumeClaim } from '../../api/core.js'
import type { KObject } from '../../api/meta.js'
import type { Pod } from '../../api/pod.js'
import type { EventInput, EventRecorder } from '../../client/events.js'
import { CONTROLLER_REVISIONS, PERSISTENT_VOLUME_CLAIMS, PODS, STATEFUL_SETS } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { ignoreNotFound, withRetryOnConflict } from '../../client/retry.js'
import { isAlreadyExists, isInvalid, isNotFound } from '../../machinery/status-error.js'
import { adoptMergePatch, adoptPatch, releasePatch } from './ownership.js'

/**
 * Writes for one StatefulSet sync. Unless stated otherwise a method rejects with the API error
 * (a StatusError); a Conflict means the cache was stale and the sync should simply run again.
 */
export interface StatefulPodControl {
  /** Creates the pod. Resolves false, without error, when the name is already taken (AlreadyExists). */
  createPod(pod: Pod): Promise<boolean>
  /** Replaces the pod (PUT with its resourceVersion). */
  updatePod(pod: Pod): Promise<void>
  /** Deletes the pod, guarded by its UID. Resolves false when it is already gone (NotFound). */
  deletePod(pod: Pod): Promise<boolean>
  /** Creates the claim. Resolves false when it already exists. */
  createClaim(claim: PersistentVolumeClaim): Promise<boolean>
  /** Replaces the claim (PUT with its resourceVersion). */
  updateClaim(claim: PersistentVolumeClaim): Promise<void>
  /** Makes the set the pod's controller. Resolves false when the pod is gone. */
  adoptPod(set: StatefulSet, pod: Pod): Promise<boolean>
  /** Removes the set's reference from the pod. A pod that is gone or no longer ours counts as released. */
  releasePod(set: StatefulSet, pod: Pod): Promise<void>
  /** Creates the revision; rejects with AlreadyExists when the name is taken. */
  createRevision(rev: ControllerRevision): Promise<ControllerRevision>
  /** Live read of a revision (after a name collision), or undefined. */
  getRevision(namespace: string, name: string): Promise<ControllerRevision | undefined>
  /** Sets the revision's number (retrying conflicts on a fresh copy); resolves the stored revision. */
  updateRevisionNumber(rev: ControllerRevision, revision: number): Promise<ControllerRevision>
  /** Deletes the revision; NotFound counts as done. */
  deleteRevision(rev: ControllerRevision): Promise<void>
  /** Makes the set the revision's controller; resolves the stored revision. */
  adoptRevision(set: StatefulSet, rev: ControllerRevision): Promise<ControllerRevision>
  /** Writes .status through the status subresource (retrying conflicts on a fresh copy). */
  updateStatus(set: StatefulSet, status: StatefulSetStatus): Promise<void>
  /** Live read of the set before adopting anything (never the cache), or undefined when it is gone. */
  getSet(namespace: string, name: string): Promise<StatefulSet | undefined>
  /** Records an Event on the set (never throws, never waits). */
  recordEvent(set: StatefulSet, event: EventInput): void
}

/** Options of RestStatefulPodControl. */
export interface RestStatefulPodControlOptions {
  client: RestClient
  /** Records events as component "statefulset-controller". */
  recorder: EventRecorder
}

const ns = (obj: KObject) => ({ namespace: obj.metadata.namespace })

/** StatefulPodControl over the REST client. */
export class RestStatefulPodControl implements StatefulPodControl {
  private readonly client: RestClient
  private readonly recorder: EventRecorder

  constructor(opts: RestStatefulPodControlOptions) {
    this.client = opts.client
    this.recorder = opts.recorder
  }

  async createPod(pod: Pod): Promise<boolean> {
    return created(this.client.create(PODS, pod, ns(pod)))
  }

  async updatePod(pod: Pod): Promise<void> {
    await this.client.update(PODS, pod, ns(pod))
  }

  async deletePod(pod: Pod): Promise<boolean> {
    try {
      const preconditions = pod.metadata.uid ? { uid: pod.metadata.uid } : undefined
      await this.client.delete(PODS, pod.metadata.name!, { ...ns(pod), preconditions })
      return true
    } catch (e) {
      if (isNotFound(e)) return false
      throw e
    }
  }

  async createClaim(claim: PersistentVolumeClaim): Promise<boolean> {
    return created(this.client.create(PERSISTENT_VOLUME_CLAIMS, claim, ns(claim)))
  }

  async updateClaim(claim: PersistentVolumeClaim): Promise<void> {
    await this.client.update(PERSISTENT_VOLUME_CLAIMS, claim, ns(claim))
  }

  async adoptPod(set: StatefulSet, pod: Pod): Promise<boolean> {
    const body = adoptPatch(set, pod)
    const patched = await ignoreNotFound(
      this.client.patch(PODS, pod.metadata.name!, { ...ns(pod), type: 'strategic', body }),
    )
    return patched !== undefined
  }

  async releasePod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      const body = releasePatch(set, pod)
      await this.client.patch(PODS, pod.metadata.name!, { ...ns(pod), type: 'strategic', body })
    } catch (e) {
      // Gone, or the UID guard failed (re-created, or no longer ours): nothing to release.
      if (!isNotFound(e) && !isInvalid(e)) throw e
    }
  }

  createRevision(rev: ControllerRevision): Promise<ControllerRevision> {
    return this.client.create(CONTROLLER_REVISIONS, rev, ns(rev))
  }

  getRevision(namespace: string, name: string): Promise<ControllerRevision | undefined> {
    return ignoreNotFound(this.client.get<ControllerRevision>(CONTROLLER_REVISIONS, name, { namespace }))
  }

  updateRevisionNumber(rev: ControllerRevision, revision: number): Promise<ControllerRevision> {
    let current: ControllerRevision = rev
    let first = true
    return withRetryOnConflict(async () => {
      if (!first) current = await this.client.get<ControllerRevision>(CONTROLLER_REVISIONS, rev.metadata.name!, ns(rev))
      first = false
      if (current.revision === revision) return current
      return this.client.update(CONTROLLER_REVISIONS, { ...current, revision }, ns(rev))
    })
  }

  async deleteRevision(rev: ControllerRevision): Promise<void> {
    await ignoreNotFound(this.client.delete(CONTROLLER_REVISIONS, rev.metadata.name!, ns(rev)))
  }

  adoptRevision(set: StatefulSet, rev: ControllerRevision): Promise<ControllerRevision> {
    // NOTE: a JSON merge patch, not upstream's strategic one: petset's strategic merge also strips the
    // `$patch` directives inside the stored data, which then fails as an immutable-field change.
    const body = adoptMergePatch(set, rev)
    return this.client.patch(CONTROLLER_REVISIONS, rev.metadata.name!, { ...ns(rev), type: 'merge', body })
  }

  async updateStatus(set: StatefulSet, status: StatefulSetStatus): Promise<void> {
    let current: StatefulSet = set
    let first = true
    await withRetryOnConflict(async () => {
      if (!first) current = await this.client.get<StatefulSet>(STATEFUL_SETS, set.metadata.name!, ns(set))
      first = false
      await this.client.updateStatus(STATEFUL_SETS, { ...current, status }, ns(set))
    })
  }

  getSet(namespace: string, name: string): Promise<StatefulSet | undefined> {
    return ignoreNotFound(this.client.get<StatefulSet>(STATEFUL_SETS, name, { namespace }))
  }

  recordEvent(set: StatefulSet, event: EventInput): void {
    this.recorder.event({ ...set, apiVersion: 'apps/v1', kind: 'StatefulSet' }, event)
  }
}

/** true once created, false when the name is taken. */
async function created(p: Promise<unknown>): Promise<boolean> {
  try {
    await p
    return true
  } catch (e) {
    if (isAlreadyExists(e)) return false
    throw e
  }
}
