/**
 * Controller expectations (upstream controller.UIDTrackingControllerExpectations): how many pod
 * creations and which pod deletions a ReplicaSet still waits to see through its informer. While
 * any are outstanding the ReplicaSet is not resized again, so a fast resync over a stale cache
 * cannot create or delete twice. Expectations expire after five minutes in case a watch event was
 * lost. Time comes from the injected clock.
 */
import type { Clock } from '../../client/clock.js'

/** How long unmet expectations hold a controller back (controller.ExpectationsTimeout). */
export const ExpectationsTimeoutMs = 5 * 60 * 1000

interface Expectation {
  add: number
  del: number
  at: number
  /** Pod keys ("namespace/name") whose deletion is awaited. */
  deleting: Set<string>
}

/** Expected creations and deletions per controller key. */
export class Expectations {
  private readonly byKey = new Map<string, Expectation>()

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs = ExpectationsTimeoutMs,
  ) {}

  /** True when nothing is awaited, the expectations expired, or none were ever set. */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key)
    if (!e) return true
    if (e.add <= 0 && e.del <= 0) return true
    return this.clock.now() - e.at > this.timeoutMs
  }

  /** Awaits `count` creations (replacing earlier expectations). */
  expectCreations(key: string, count: number): void {
    this.byKey.set(key, { add: count, del: 0, at: this.clock.now(), deleting: new Set() })
  }

  /** Awaits the deletion of these pods (replacing earlier expectations). */
  expectDeletions(key: string, podKeys: string[]): void {
    const deleting = new Set(podKeys)
    this.byKey.set(key, { add: 0, del: deleting.size, at: this.clock.now(), deleting })
  }

  /** One awaited creation was seen (or will never happen). */
  creationObserved(key: string): void {
    const e = this.byKey.get(key)
    if (e) e.add--
  }

  /** The pod was seen deleted (or its deletion failed); counts once per awaited pod. */
  deletionObserved(key: string, podKey: string): void {
    const e = this.byKey.get(key)
    if (e?.deleting.delete(podKey)) e.del--
  }

  /** Forgets the controller (it was deleted or recreated). */
  delete(key: string): void {
    this.byKey.delete(key)
  }

  /** Outstanding counts, for logs and tests. */
  pending(key: string): { add: number; del: number } | undefined {
    const e = this.byKey.get(key)
    return e && { add: e.add, del: e.del }
  }
}
