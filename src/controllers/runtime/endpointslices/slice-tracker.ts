/**
 * Remembers the EndpointSlice writes a controller made until its informer shows them (upstream
 * EndpointSliceTracker). Two jobs: tell the slice event handlers which events are our own
 * writes coming back (no resync needed), and tell a sync that the cache still misses one of our
 * writes (acting on it would duplicate or undo work). Upstream compares metadata.generation;
 * this compares resourceVersions for equality only (they stay opaque), which works because an
 * update based on version v succeeds only if nothing came between v and our result.
 * State only: no I/O, no clock. NOTE: shared with controllers/endpointslice-mirroring.
 */
import type { EndpointSlice } from '../../../api/discovery.js'

const DELETED = '\u0000deleted'

/**
 * What a slice event means: `own` — one of our writes (or an older echo), nothing to do;
 * `caught-up` — our write reached the cache and a sync waits for it; `foreign` — someone else
 * changed or deleted the slice, the service must sync.
 */
export type Observation = 'own' | 'caught-up' | 'foreign'

interface Tracked {
  service: string
  /** The version our write replaced: '' for a create. */
  basedOn: string
  /** The version our write produced, or DELETED. */
  wrote: string
}

/** Tracks in-flight slice writes per service key ("namespace/name"). */
export class SliceTracker {
  private readonly byUid = new Map<string, Tracked>()
  private readonly waiting = new Set<string>()

  /** Records a created slice (the server's answer). */
  created(service: string, result: EndpointSlice): void {
    this.track(service, result, '', result.metadata.resourceVersion ?? '')
  }

  /** Records an update of `basedOn` that produced `result`. */
  updated(service: string, basedOn: EndpointSlice, result: EndpointSlice): void {
    this.track(service, result, basedOn.metadata.resourceVersion ?? '', result.metadata.resourceVersion ?? '')
  }

  /** Records a deletion we asked for. */
  deleted(service: string, slice: EndpointSlice): void {
    this.track(service, slice, slice.metadata.resourceVersion ?? '', DELETED)
  }

  /** An informer add or update of a slice managed by this controller: what it means for its service. */
  observe(slice: EndpointSlice): Observation {
    const uid = slice.metadata.uid ?? ''
    const t = this.byUid.get(uid)
    if (!t) return 'foreign'
    const rv = slice.metadata.resourceVersion ?? ''
    if (t.wrote === DELETED || rv === t.basedOn) return 'own'
    this.byUid.delete(uid)
    if (rv !== t.wrote) return 'foreign'
    return this.waiting.delete(t.service) ? 'caught-up' : 'own'
  }

  /** An informer deletion of a slice managed by this controller. */
  observeDeletion(slice: EndpointSlice): Observation {
    const uid = slice.metadata.uid ?? ''
    const t = this.byUid.get(uid)
    this.byUid.delete(uid)
    if (t?.wrote !== DELETED) return 'foreign'
    return this.waiting.delete(t.service) ? 'caught-up' : 'own'
  }

  /**
   * Whether `cached` (the service's slices in the informer) still lacks one of our writes; if so
   * observing that write reports `caught-up`, so the caller can wait for the event.
   * Writes the cache already shows are forgotten.
   */
  isStale(service: string, cached: readonly EndpointSlice[]): boolean {
    const byUid = new Map(cached.map(s => [s.metadata.uid ?? '', s]))
    let stale = false
    for (const [uid, t] of this.byUid) {
      if (t.service !== service) continue
      const c = byUid.get(uid)
      const behind =
        t.wrote === DELETED
          ? c !== undefined
          : t.basedOn === ''
            ? c === undefined
            : c?.metadata.resourceVersion === t.basedOn
      if (behind) stale = true
      else this.byUid.delete(uid)
    }
    if (stale) this.waiting.add(service)
    else this.waiting.delete(service)
    return stale
  }

  /** Forgets everything about a service (deleted, or no longer ours). */
  forgetService(service: string): void {
    for (const [uid, t] of this.byUid) if (t.service === service) this.byUid.delete(uid)
    this.waiting.delete(service)
  }

  private track(service: string, slice: EndpointSlice, basedOn: string, wrote: string): void {
    this.byUid.set(slice.metadata.uid ?? '', { service, basedOn, wrote })
  }
}
