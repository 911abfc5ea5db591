/**
 * Pods assumed on a node while their WaitForFirstConsumer claims are provisioned (upstream's
 * VolumeBinding PreBind wait): the claims to watch, when the wait began, and whether they are
 * bound now, still pending, changed under us, or out of time. Bookkeeping only: no I/O.
 */
import type { PersistentVolumeClaim } from '../../api/core.js'
import type { Pod } from '../../api/pod.js'
import { keyOf } from '../../client/cache.js'
import { delayedClaimsBound, type VolumeLookup } from './volumes.js'

interface Wait {
  podKey: string
  node: string
  since: number
  /** "namespace/name" of each claim, with the uid it had. */
  claims: { key: string; uid?: string }[]
}

/** Where a wait stands. */
export type WaitState = 'bound' | 'pending' | 'changed' | 'timeout'

/** The pods waiting for their claims. */
export class WaitingPods {
  private readonly byUid = new Map<string, Wait>()

  constructor(private readonly timeoutMs: number) {}

  /** Starts waiting for pod's claims on node. */
  add(pod: Pod, node: string, claims: PersistentVolumeClaim[], now: number): void {
    this.byUid.set(pod.metadata.uid ?? '', {
      podKey: keyOf(pod),
      node,
      since: now,
      claims: claims.map(c => ({ key: keyOf(c), uid: c.metadata.uid })),
    })
  }

  /** The wait of a pod, if any. */
  get(uid: string): { node: string } | undefined {
    return this.byUid.get(uid)
  }

  /** Stops waiting for a pod. */
  forget(uid: string): void {
    this.byUid.delete(uid)
  }

  /** Keys of the pods waiting on this claim. */
  keysUsing(claim: PersistentVolumeClaim): string[] {
    const key = keyOf(claim)
    return [...this.byUid.values()].filter(w => w.claims.some(c => c.key === key)).map(w => w.podKey)
  }

  /** Where the pod's wait stands now. */
  check(uid: string, lookup: Pick<VolumeLookup, 'claim'>, now: number): WaitState {
    const w = this.byUid.get(uid)
    if (!w) return 'changed'
    const claims: PersistentVolumeClaim[] = []
    for (const c of w.claims) {
      const [ns, name] = c.key.split('/') as [string, string]
      const claim = lookup.claim(ns, name)
      if (!claim || claim.metadata.uid !== c.uid || claim.metadata.deletionTimestamp) return 'changed'
      claims.push(claim)
    }
    if (delayedClaimsBound(claims)) return 'bound'
    return now - w.since >= this.timeoutMs ? 'timeout' : 'pending'
  }

  /** ms left before the pod's wait times out. */
  remainingMs(uid: string, now: number): number {
    const w = this.byUid.get(uid)
    return w ? Math.max(1, w.since + this.timeoutMs - now) : 1
  }
}
