/**
 * The EndpointSlice writes of the slice controllers (C6's narrow interface). No decisions here;
 * shared in shape by the EndpointSlice and mirroring controllers.
 */
import type { EndpointSlice } from '../../../api/discovery.js'
import { ENDPOINT_SLICES } from '../../../client/resources.js'
import type { RestClient } from '../../../client/rest-client.js'
import { isNotFound } from '../../../machinery/status-error.js'

/** Writes EndpointSlices. */
export interface SliceControl {
  /** Creates (generateName allowed); resolves the stored slice. Rejects with the server's StatusError. */
  create(slice: EndpointSlice): Promise<EndpointSlice>
  /** Replaces; rejects with Conflict when the copy was stale. */
  update(slice: EndpointSlice): Promise<EndpointSlice>
  /** Deletes; NotFound counts as done. */
  delete(slice: EndpointSlice): Promise<void>
}

/** SliceControl over the REST client. */
export class RestSliceControl implements SliceControl {
  constructor(private readonly client: RestClient) {}

  create(slice: EndpointSlice): Promise<EndpointSlice> {
    return this.client.create(ENDPOINT_SLICES, slice, { namespace: slice.metadata.namespace })
  }

  update(slice: EndpointSlice): Promise<EndpointSlice> {
    return this.client.update(ENDPOINT_SLICES, slice, { namespace: slice.metadata.namespace })
  }

  async delete(slice: EndpointSlice): Promise<void> {
    try {
      await this.client.delete(ENDPOINT_SLICES, slice.metadata.name ?? '', { namespace: slice.metadata.namespace })
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
  }
}

/** Whether a failed create was refused because the namespace is terminating (creates will keep failing). */
export function isNamespaceTerminating(err: unknown): boolean {
  const causes = (err as { status?: { details?: { causes?: { reason?: string }[] } } } | undefined)?.status?.details
    ?.causes
  return (causes ?? []).some(c => c.reason === 'NamespaceTerminating')
}
