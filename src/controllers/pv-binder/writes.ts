/**
 * The PV controller's only API writes and live reads (C6's narrow interface). Every write sends
 * the copy's resourceVersion, so a stale decision fails with a Conflict instead of overwriting a
 * newer binding; results are remembered in the LatestObjects views the planner reads.
 */
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/core.js'
import { PERSISTENT_VOLUME_CLAIMS, PERSISTENT_VOLUMES } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { isConflict, isNotFound } from '../../machinery/status-error.js'
import type { LatestObjects } from './latest.js'

/** What the PV controller does to the cluster. */
export interface BinderWrites {
  /** PUT the volume (spec, metadata); resolves the stored object. Rejects with Conflict when stale. */
  updateVolume(volume: PersistentVolume): Promise<PersistentVolume>
  /** PUT the volume's /status. */
  updateVolumeStatus(volume: PersistentVolume): Promise<PersistentVolume>
  /** DELETE the volume with a uid precondition; gone or replaced (another uid) counts as done. */
  deleteVolume(volume: PersistentVolume): Promise<void>
  /** PUT the claim (spec, metadata). */
  updateClaim(claim: PersistentVolumeClaim): Promise<PersistentVolumeClaim>
  /** PUT the claim's /status. */
  updateClaimStatus(claim: PersistentVolumeClaim): Promise<PersistentVolumeClaim>
  /** The live volume from the API server, or undefined when it does not exist. */
  getVolume(name: string): Promise<PersistentVolume | undefined>
  /** The live claim from the API server, or undefined when it does not exist. */
  getClaim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined>
}

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p
  } catch (e) {
    if (isNotFound(e)) return undefined
    throw e
  }
}

/** BinderWrites over the REST client. */
export class RestBinderWrites implements BinderWrites {
  constructor(
    private readonly client: RestClient,
    private readonly volumes: LatestObjects<PersistentVolume>,
    private readonly claims: LatestObjects<PersistentVolumeClaim>,
  ) {}

  async updateVolume(volume: PersistentVolume): Promise<PersistentVolume> {
    const stored = await this.client.update(PERSISTENT_VOLUMES, volume)
    this.volumes.remember(stored)
    return stored
  }

  async updateVolumeStatus(volume: PersistentVolume): Promise<PersistentVolume> {
    const stored = await this.client.updateStatus(PERSISTENT_VOLUMES, volume)
    this.volumes.remember(stored)
    return stored
  }

  async deleteVolume(volume: PersistentVolume): Promise<void> {
    try {
      await this.client.delete(PERSISTENT_VOLUMES, volume.metadata.name ?? '', {
        preconditions: { uid: volume.metadata.uid },
      })
    } catch (e) {
      // A failed uid precondition is a Conflict: the name now belongs to another volume.
      if (!isNotFound(e) && !isConflict(e)) throw e
    }
  }

  async updateClaim(claim: PersistentVolumeClaim): Promise<PersistentVolumeClaim> {
    const stored = await this.client.update(PERSISTENT_VOLUME_CLAIMS, claim)
    this.claims.remember(stored)
    return stored
  }

  async updateClaimStatus(claim: PersistentVolumeClaim): Promise<PersistentVolumeClaim> {
    const stored = await this.client.updateStatus(PERSISTENT_VOLUME_CLAIMS, claim)
    this.claims.remember(stored)
    return stored
  }

  getVolume(name: string): Promise<PersistentVolume | undefined> {
    return orUndefined(this.client.get<PersistentVolume>(PERSISTENT_VOLUMES, name))
  }

  getClaim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined> {
    return orUndefined(this.client.get<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS, name, { namespace }))
  }
}
