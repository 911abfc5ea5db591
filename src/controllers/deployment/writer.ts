/**
 * DeploymentWriter: the only code in the Deployment controller that writes (upstream reaches the
 * clientset directly; petset narrows it to this seam so the sync logic can run against a fake).
 * ReplicaSet spec and metadata, the Deployment's /status (which also carries its annotations),
 * owner-reference patches, and events for users.
 */
import type { Deployment, ReplicaSet } from '../../api/apps.js'
import type { EventInput, EventRecorder } from '../../client/events.js'
import { DEPLOYMENTS, REPLICA_SETS } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { ignoreNotFound } from '../../client/retry.js'

/** Writes on behalf of one Deployment sync. */
export interface DeploymentWriter {
  /** Creates the ReplicaSet; rejects with the API error (AlreadyExists included). */
  createReplicaSet(rs: ReplicaSet): Promise<ReplicaSet>
  /** Replaces the ReplicaSet (optimistic concurrency); resolves the stored object. */
  updateReplicaSet(rs: ReplicaSet): Promise<ReplicaSet>
  /** Deletes the ReplicaSet; NotFound counts as done. */
  deleteReplicaSet(rs: ReplicaSet): Promise<void>
  /** Applies a strategic-merge patch to the ReplicaSet (adoption, release). */
  patchReplicaSet(rs: ReplicaSet, patch: object): Promise<void>
  /** Writes status and annotations through /status; resolves the stored Deployment. */
  updateDeploymentStatus(d: Deployment): Promise<Deployment>
  /** Records an event about the Deployment; never throws. */
  event(d: Deployment, input: EventInput): void
}

/** DeploymentWriter over the REST client. */
export class RestDeploymentWriter implements DeploymentWriter {
  constructor(
    private readonly client: RestClient,
    private readonly recorder: EventRecorder,
  ) {}

  createReplicaSet(rs: ReplicaSet): Promise<ReplicaSet> {
    return this.client.create(REPLICA_SETS, rs)
  }

  updateReplicaSet(rs: ReplicaSet): Promise<ReplicaSet> {
    return this.client.update(REPLICA_SETS, rs)
  }

  async deleteReplicaSet(rs: ReplicaSet): Promise<void> {
    await ignoreNotFound(this.client.delete(REPLICA_SETS, rs.metadata.name!, { namespace: rs.metadata.namespace }))
  }

  async patchReplicaSet(rs: ReplicaSet, patch: object): Promise<void> {
    await this.client.patch(REPLICA_SETS, rs.metadata.name!, {
      namespace: rs.metadata.namespace,
      type: 'strategic',
      body: patch,
    })
  }

  updateDeploymentStatus(d: Deployment): Promise<Deployment> {
    return this.client.updateStatus(DEPLOYMENTS, d)
  }

  event(d: Deployment, input: EventInput): void {
    this.recorder.event(d, input)
  }
}
