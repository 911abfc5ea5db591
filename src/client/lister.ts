/**
 * Lister: the read-only face of an informer cache that reconcilers use (C7: reconcile reads only
 * from listers). Returns the cached objects themselves: frozen in dev/test, never to be mutated.
 */
import type { KObject } from '../api/meta.js'
import type { Selector } from '../machinery/labels.js'
import type { Cache } from './cache.js'
import { NAMESPACE_INDEX } from './indexers.js'

/** Filters of Lister.list. */
export interface ListerOptions<T> {
  /** Only objects in this namespace. */
  namespace?: string
  /** Only objects whose labels match. */
  selector?: Selector
  /** Only objects for which this returns true. */
  filter?: (obj: T) => boolean
}

/** Reads one informer's cache. */
export class Lister<T extends KObject = KObject> {
  constructor(private readonly cache: Cache<T>) {}

  /** The cached object for "namespace/name" (or "name"), or undefined. */
  get(key: string): T | undefined
  /** The cached object by namespace and name, or undefined. */
  get(ref: { namespace?: string; name: string }): T | undefined
  get(k: string | { namespace?: string; name: string }): T | undefined {
    return this.cache.get(typeof k === 'string' ? k : k.namespace ? `${k.namespace}/${k.name}` : k.name)
  }

  /** Cached objects, optionally in one namespace and filtered. */
  list(opts: ListerOptions<T> = {}): T[] {
    const base =
      opts.namespace !== undefined && this.cache.hasIndex(NAMESPACE_INDEX)
        ? this.cache.byIndex(NAMESPACE_INDEX, opts.namespace)
        : this.cache.list().filter(o => opts.namespace === undefined || o.metadata.namespace === opts.namespace)
    const { selector, filter } = opts
    if (!selector && !filter) return base
    return base.filter(o => (!selector || selector.matches(o.metadata.labels)) && (!filter || filter(o)))
  }

  /** Cached objects whose index `name` holds `value`. */
  byIndex(name: string, value: string): T[] {
    return this.cache.byIndex(name, value)
  }
}
