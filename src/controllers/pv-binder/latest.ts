/**
 * An informer's cache overlaid with the controller's own newer writes (upstream's
 * storeObjectUpdate caches). A binding writes four objects in a row; without this view the next
 * sync would read the informer's older copies, try to redo the binding, and fail on conflicts.
 * An own copy wins only while its resourceVersion is newer, and only for objects the informer
 * still has, so a deletion is never hidden.
 */
import type { KObject } from '../../api/meta.js'
import { keyOf } from '../../client/cache.js'
import type { Informer } from '../../client/informer.js'

/** The resourceVersion as a number (it is the store revision), or undefined if not numeric. */
function revisionOf(obj: KObject): bigint | undefined {
  const rv = obj.metadata.resourceVersion
  if (!rv || !/^\d+$/.test(rv)) return undefined
  return BigInt(rv)
}

/** Newest-known versions of one resource's objects. */
export class LatestObjects<T extends KObject> {
  private readonly own = new Map<string, T>()

  constructor(private readonly informer: Informer<T>) {
    informer.addEventHandler({ onDelete: obj => this.own.delete(keyOf(obj)) })
  }

  /** The newest known version of the object under key, or undefined when the informer lacks it. */
  get(key: string): T | undefined {
    return this.pick(key, this.informer.lister.get(key))
  }

  /** Every object the informer has, each in its newest known version. */
  list(): T[] {
    const items = this.informer.lister.list()
    if (this.own.size === 0) return items
    return items.map(o => this.pick(keyOf(o), o)!)
  }

  /** Records an object the API server just returned from our write. */
  remember(obj: T): void {
    const key = keyOf(obj)
    const rev = revisionOf(obj)
    if (rev === undefined) return
    const known = this.get(key)
    const knownRev = known ? revisionOf(known) : undefined
    if (knownRev === undefined || rev > knownRev) this.own.set(key, obj)
  }

  private pick(key: string, cached: T | undefined): T | undefined {
    const mine = this.own.get(key)
    if (!mine) return cached
    if (!cached) return undefined
    const a = revisionOf(cached)
    const b = revisionOf(mine)
    if (a === undefined || b === undefined || a >= b) {
      // The informer caught up: forget our copy.
      this.own.delete(key)
      return cached
    }
    return mine
  }
}
