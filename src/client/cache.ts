/**
 * The informer's indexed cache (client-go's thread-safe store + indexer): objects by
 * "namespace/name" key plus secondary indices computed by index functions. Objects are stored as
 * given (the informer freezes them first); nothing here copies or mutates them.
 */
import type { KObject } from '../api/meta.js'

/** Index values for one object, e.g. its namespace or its controller's uid. */
export type IndexFunc<T> = (obj: T) => string[]

/** Named index functions. */
export type Indexers<T> = Record<string, IndexFunc<T>>

/** "namespace/name" for namespaced objects, "name" for cluster-scoped ones (cache.MetaNamespaceKeyFunc). */
export function keyOf(obj: Pick<KObject, 'metadata'>): string {
  const { namespace, name } = obj.metadata
  return namespace ? `${namespace}/${name}` : `${name}`
}

/** Splits a key from keyOf back into namespace and name. */
export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/')
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) }
}

/** A key → object map with secondary indices. */
export class Cache<T extends KObject = KObject> {
  private readonly items = new Map<string, T>()
  private readonly indexers: Indexers<T> = {}
  /** index name → index value → keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>()

  constructor(indexers: Indexers<T> = {}) {
    this.addIndexers(indexers)
  }

  /** Adds index functions; existing objects are indexed at once. Re-adding a name throws. */
  addIndexers(indexers: Indexers<T>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.indexers[name]) {
        if (this.indexers[name] === fn) continue
        throw new Error(`indexer "${name}" already exists`)
      }
      this.indexers[name] = fn
      this.indices.set(name, new Map())
      for (const [key, obj] of this.items) this.indexOne(name, key, obj)
    }
  }

  /** Whether an index with this name exists. */
  hasIndex(name: string): boolean {
    return name in this.indexers
  }

  /** The object under key, if cached. */
  get(key: string): T | undefined {
    return this.items.get(key)
  }

  /** All cached objects, in insertion order. */
  list(): T[] {
    return [...this.items.values()]
  }

  /** All cached keys. */
  keys(): string[] {
    return [...this.items.keys()]
  }

  /** Number of cached objects. */
  get size(): number {
    return this.items.size
  }

  /** Objects whose index `name` contains `value`. Throws for an unknown index. */
  byIndex(name: string, value: string): T[] {
    return this.indexKeys(name, value).map(k => this.items.get(k)!)
  }

  /** Keys whose index `name` contains `value`. Throws for an unknown index. */
  indexKeys(name: string, value: string): string[] {
    const index = this.indices.get(name)
    if (!index) throw new Error(`index "${name}" does not exist`)
    return [...(index.get(value) ?? [])]
  }

  /** Stores obj under its key; returns the object it replaced. */
  upsert(obj: T): T | undefined {
    const key = keyOf(obj)
    const old = this.items.get(key)
    if (old) this.unindex(key, old)
    this.items.set(key, obj)
    for (const name of Object.keys(this.indexers)) this.indexOne(name, key, obj)
    return old
  }

  /** Removes key; returns the object removed. */
  remove(key: string): T | undefined {
    const old = this.items.get(key)
    if (!old) return undefined
    this.unindex(key, old)
    this.items.delete(key)
    return old
  }

  private indexOne(name: string, key: string, obj: T): void {
    const index = this.indices.get(name)!
    for (const value of this.indexers[name]!(obj)) {
      let keys = index.get(value)
      if (!keys) index.set(value, (keys = new Set()))
      keys.add(key)
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of Object.entries(this.indexers)) {
      const index = this.indices.get(name)!
      for (const value of fn(obj)) {
        const keys = index.get(value)
        if (!keys) continue
        keys.delete(key)
        if (!keys.size) index.delete(value)
      }
    }
  }
}
