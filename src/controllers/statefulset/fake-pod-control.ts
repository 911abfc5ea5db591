/**
 * A simulated cluster for unit tests (upstream's fakeObjectManager): FakeWorld implements
 * StatefulPodControl by writing into the same in-memory maps its snapshots are read from, so a
 * sync sees the effects of the previous one, exactly as listers would. Objects handed to a sync
 * are deep-frozen copies, like informer caches. Tests play the node agent (ready/fail/finish
 * deletion) and can make the Nth call of a kind fail. Test support only: no I/O.
 */
import type { ControllerRevision, StatefulSet, StatefulSetStatus } from '../../api/apps.js'
import type { PersistentVolumeClaim } from '../../api/core.js'
import type { GroupResource, KObject } from '../../api/meta.js'
import type { Pod } from '../../api/pod.js'
import type { EventInput } from '../../client/events.js'
import { selectorFromLabelSelector } from '../../machinery/labels.js'
import { deepFreeze, getControllerOf } from '../../machinery/objects.js'
import { alreadyExists, notFound, staleConflict } from '../../machinery/status-error.js'
import { isOwnedOrOrphan } from './ownership.js'
import type { StatefulPodControl } from './pod-control.js'
import { setControllerRef } from './pods.js'
import { type SyncResult, syncStatefulSet } from './sync.js'

const PODS_GR: GroupResource = { group: '', resource: 'pods' }
const CLAIMS_GR: GroupResource = { group: '', resource: 'persistentvolumeclaims' }
const REVISIONS_GR: GroupResource = { group: 'apps', resource: 'controllerrevisions' }
const SETS_GR: GroupResource = { group: 'apps', resource: 'statefulsets' }

/** A write the world saw, e.g. `create pod web-0`. */
export type Call = string

/** A simulated namespace holding one StatefulSet and its objects. */
export class FakeWorld implements StatefulPodControl {
  set: StatefulSet | undefined
  readonly pods = new Map<string, Pod>()
  readonly claims = new Map<string, PersistentVolumeClaim>()
  readonly revisions = new Map<string, ControllerRevision>()
  readonly events: EventInput[] = []
  /** Every write, in order. */
  readonly calls: Call[] = []
  /** Milliseconds since the epoch, as the sync sees it. */
  now = Date.parse('2024-05-01T10:00:00Z')
  /** Pods with a node are only marked deleting until the test finishes the deletion (as a node agent). */
  gracefulDelete = false
  private readonly failures: { prefix: string; nth: number; error: Error }[] = []
  private readonly counts = new Map<string, number>()
  private seq = 0

  constructor(set: StatefulSet) {
    this.set = {
      ...structuredClone(set),
      metadata: { uid: 'set-uid', generation: 1, ...structuredClone(set.metadata) },
    }
  }

  /** One sync of the set from a frozen snapshot of the world. */
  sync(): Promise<SyncResult> {
    const set = this.set
    if (!set) throw new Error('no set')
    const selector = selectorFromLabelSelector(set.spec.selector)
    const frozen = <T>(o: T) => deepFreeze(structuredClone(o))
    const claims = frozen(new Map(this.claims))
    return syncStatefulSet(
      {
        set: frozen(set),
        pods: [...this.pods.values()].filter(p => isOwnedOrOrphan(p, set)).map(frozen),
        revisions: [...this.revisions.values()].filter(r => selector.matches(r.metadata.labels)).map(frozen),
        claims: { get: name => claims.get(name) },
        now: this.now,
      },
      this,
    )
  }

  /** Makes the nth call (1-based) whose text starts with prefix fail, e.g. `('create pod', 2, err)`. */
  failOn(prefix: string, nth: number, error: Error): void {
    this.failures.push({ prefix, nth, error })
  }

  /** Changes the spec (generation + 1), as an API update would. */
  updateSpec(fn: (spec: StatefulSet['spec']) => void): void {
    const set = this.set!
    fn(set.spec)
    set.metadata.generation = (set.metadata.generation ?? 1) + 1
  }

  // ---------------------------------------------------------------- the node agent's part

  /** Phase Running, Ready=True since `now` (or since `since`). */
  ready(name: string, since = this.now): void {
    this.setStatus(name, 'Running', 'True', since)
  }

  /** Phase Running, Ready=False. */
  unready(name: string): void {
    this.setStatus(name, 'Running', 'False', this.now)
  }

  /** Sets the phase only (Pending, Failed, Succeeded...). */
  phase(name: string, phase: string): void {
    const pod = this.pod(name)
    pod.status = { ...pod.status, phase }
    this.bump(pod)
  }

  /** Removes a pod marked for deletion (the node agent's final delete). */
  finishDeletion(name: string): void {
    const pod = this.pods.get(name)
    if (!pod?.metadata.deletionTimestamp) return
    this.pods.delete(name)
    this.collectClaimsOf(pod)
  }

  /** Removes every pod marked for deletion. */
  finishAllDeletions(): void {
    for (const name of [...this.pods.keys()]) this.finishDeletion(name)
  }

  /** A pod that exists, or a test failure. */
  pod(name: string): Pod {
    const pod = this.pods.get(name)
    if (!pod) throw new Error(`pod ${name} does not exist`)
    return pod
  }

  /** Names of existing pods sorted by ordinal. */
  podNames(): string[] {
    const ord = (n: string) => Number(n.slice(n.lastIndexOf('-') + 1))
    return [...this.pods.keys()].sort((a, b) => ord(a) - ord(b))
  }

  private setStatus(name: string, phase: string, ready: 'True' | 'False', since: number): void {
    const pod = this.pod(name)
    const conditions = [{ type: 'Ready', status: ready, lastTransitionTime: new Date(since).toISOString() }]
    pod.status = { ...pod.status, phase, conditions }
    this.bump(pod)
  }

  // ---------------------------------------------------------------- StatefulPodControl

  async createPod(pod: Pod): Promise<boolean> {
    this.record(`create pod ${pod.metadata.name}`)
    if (this.pods.has(pod.metadata.name!)) return false
    const stored = this.stamp(structuredClone(pod))
    stored.status = { phase: 'Pending' }
    this.pods.set(pod.metadata.name!, stored)
    return true
  }

  async updatePod(pod: Pod): Promise<void> {
    this.record(`update pod ${pod.metadata.name}`)
    this.replace(this.pods, PODS_GR, pod)
  }

  async deletePod(pod: Pod): Promise<boolean> {
    this.record(`delete pod ${pod.metadata.name}`)
    const stored = this.pods.get(pod.metadata.name!)
    if (!stored) return false
    if (pod.metadata.uid && stored.metadata.uid !== pod.metadata.uid) throw staleConflict(PODS_GR, pod.metadata.name!)
    if (this.gracefulDelete) {
      stored.metadata.deletionTimestamp ??= new Date(this.now).toISOString()
      this.bump(stored)
    } else {
      this.pods.delete(pod.metadata.name!)
      this.collectClaimsOf(stored)
    }
    return true
  }

  async createClaim(claim: PersistentVolumeClaim): Promise<boolean> {
    this.record(`create claim ${claim.metadata.name}`)
    if (this.claims.has(claim.metadata.name!)) return false
    const stored = this.stamp(structuredClone(claim))
    stored.status = { phase: 'Pending' }
    this.claims.set(claim.metadata.name!, stored)
    return true
  }

  async updateClaim(claim: PersistentVolumeClaim): Promise<void> {
    this.record(`update claim ${claim.metadata.name}`)
    this.replace(this.claims, CLAIMS_GR, claim)
  }

  async adoptPod(set: StatefulSet, pod: Pod): Promise<boolean> {
    this.record(`adopt pod ${pod.metadata.name}`)
    const stored = this.pods.get(pod.metadata.name!)
    if (!stored) return false
    stored.metadata.ownerReferences = [...(stored.metadata.ownerReferences ?? []), setControllerRef(set)]
    this.bump(stored)
    return true
  }

  async releasePod(set: StatefulSet, pod: Pod): Promise<void> {
    this.record(`release pod ${pod.metadata.name}`)
    const stored = this.pods.get(pod.metadata.name!)
    if (!stored) return
    stored.metadata.ownerReferences = stored.metadata.ownerReferences?.filter(r => r.uid !== set.metadata.uid)
    this.bump(stored)
  }

  async createRevision(rev: ControllerRevision): Promise<ControllerRevision> {
    this.record(`create revision ${rev.metadata.name}`)
    if (this.revisions.has(rev.metadata.name!)) throw alreadyExists(REVISIONS_GR, rev.metadata.name!)
    const stored = this.stamp(structuredClone(rev))
    this.revisions.set(rev.metadata.name!, stored)
    return structuredClone(stored)
  }

  async getRevision(_namespace: string, name: string): Promise<ControllerRevision | undefined> {
    const rev = this.revisions.get(name)
    return rev && structuredClone(rev)
  }

  async updateRevisionNumber(rev: ControllerRevision, revision: number): Promise<ControllerRevision> {
    this.record(`renumber revision ${rev.metadata.name} ${revision}`)
    const stored = this.revisions.get(rev.metadata.name!)
    if (!stored) throw notFound(REVISIONS_GR, rev.metadata.name!)
    stored.revision = revision
    this.bump(stored)
    return structuredClone(stored)
  }

  async deleteRevision(rev: ControllerRevision): Promise<void> {
    this.record(`delete revision ${rev.metadata.name}`)
    this.revisions.delete(rev.metadata.name!)
  }

  async adoptRevision(set: StatefulSet, rev: ControllerRevision): Promise<ControllerRevision> {
    this.record(`adopt revision ${rev.metadata.name}`)
    const stored = this.revisions.get(rev.metadata.name!)
    if (!stored) throw notFound(REVISIONS_GR, rev.metadata.name!)
    stored.metadata.ownerReferences = [...(stored.metadata.ownerReferences ?? []), setControllerRef(set)]
    this.bump(stored)
    return structuredClone(stored)
  }

  async updateStatus(set: StatefulSet, status: StatefulSetStatus): Promise<void> {
    this.record('update status')
    if (!this.set || this.set.metadata.uid !== set.metadata.uid) throw notFound(SETS_GR, set.metadata.name!)
    this.set.status = structuredClone(status)
  }

  async getSet(): Promise<StatefulSet | undefined> {
    return this.set && structuredClone(this.set)
  }

  recordEvent(_set: StatefulSet, event: EventInput): void {
    this.events.push(event)
  }

  // ---------------------------------------------------------------- helpers

  /** Garbage collection of claims owned by a pod that is gone (whenScaled=Delete). */
  private collectClaimsOf(pod: Pod): void {
    for (const [name, claim] of this.claims)
      if (getControllerOf(claim)?.uid === pod.metadata.uid) this.claims.delete(name)
  }

  private record(call: string): void {
    this.calls.push(call)
    for (const prefix of new Set(this.failures.map(f => f.prefix))) {
      if (!call.startsWith(prefix)) continue
      const n = (this.counts.get(prefix) ?? 0) + 1
      this.counts.set(prefix, n)
      const failure = this.failures.find(f => f.prefix === prefix && f.nth === n)
      if (failure) throw failure.error
    }
  }

  private stamp<T extends KObject>(obj: T): T {
    obj.metadata.uid = `uid-${++this.seq}`
    obj.metadata.resourceVersion = String(this.seq)
    obj.metadata.creationTimestamp = new Date(this.now).toISOString()
    return obj
  }

  private bump(obj: KObject): void {
    obj.metadata.resourceVersion = String(++this.seq)
  }

  private replace<T extends KObject>(map: Map<string, T>, gr: GroupResource, obj: T): void {
    const name = obj.metadata.name!
    const stored = map.get(name)
    if (!stored) throw notFound(gr, name)
    if (obj.metadata.resourceVersion !== stored.metadata.resourceVersion) throw staleConflict(gr, name)
    const next = structuredClone(obj)
    map.set(name, next)
    this.bump(next)
  }
}
