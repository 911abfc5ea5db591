/**
 * The Endpoints controller's only writes (C6's narrow interface), and the memory of what it
 * wrote until the informer cache catches up (upstream staleEndpointsTracker). No decisions here.
 */
import type { Endpoints } from '../../api/core.js'
import { ENDPOINTS } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { isNotFound } from '../../machinery/status-error.js'

/** Writes Endpoints. */
export interface EndpointsControl {
  /** Creates; resolves the stored object. Rejects with the server's StatusError (AlreadyExists, Forbidden…). */
  create(endpoints: Endpoints): Promise<Endpoints>
  /** Replaces (resourceVersion precondition); rejects with Conflict when the copy was stale. */
  update(endpoints: Endpoints): Promise<Endpoints>
  /** Deletes; NotFound counts as done. */
  delete(namespace: string, name: string): Promise<void>
}

/** EndpointsControl over the REST client. */
export class RestEndpointsControl implements EndpointsControl {
  constructor(private readonly client: RestClient) {}

  create(endpoints: Endpoints): Promise<Endpoints> {
    return this.client.create(ENDPOINTS, endpoints, { namespace: endpoints.metadata.namespace })
  }

  update(endpoints: Endpoints): Promise<Endpoints> {
    return this.client.update(ENDPOINTS, endpoints, { namespace: endpoints.metadata.namespace })
  }

  async delete(namespace: string, name: string): Promise<void> {
    try {
      await this.client.delete(ENDPOINTS, name, { namespace })
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
  }
}

/**
 * Endpoints written but perhaps not yet in the cache. Where upstream fails the sync and retries
 * until the cache catches up, this hands back the written copy instead, so a burst of pod
 * changes is followed without waiting for the watch. Keys are "namespace/name".
 */
export class WrittenEndpoints {
  private readonly byKey = new Map<string, { replaced: Set<string>; latest: Endpoints }>()

  /** The freshest known state: `cached`, or our write when the cache still shows what it replaced. */
  current(key: string, cached: Endpoints | undefined): Endpoints | undefined {
    const w = this.byKey.get(key)
    if (!w) return cached
    if (w.replaced.has(cached?.metadata.resourceVersion ?? '')) return w.latest
    // The cache shows something newer than anything we replaced: it has caught up.
    this.byKey.delete(key)
    return cached
  }

  /** Records that `result` replaced `basedOn` (undefined for a create). */
  wrote(key: string, basedOn: Endpoints | undefined, result: Endpoints): void {
    const w = this.byKey.get(key) ?? { replaced: new Set<string>(), latest: result }
    w.replaced.add(basedOn?.metadata.resourceVersion ?? '')
    w.latest = result
    this.byKey.set(key, w)
  }

  /** Forgets a key (deleted, or our memory proved wrong). */
  forget(key: string): void {
    this.byKey.delete(key)
  }
}
