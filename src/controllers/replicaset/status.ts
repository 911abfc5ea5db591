/**
 * Writes a ReplicaSet's status through /status (upstream updateReplicaSetStatus): skipped when the
 * counts and conditions already match and this generation was observed; otherwise records the
 * generation acted on, with one GET-and-retry after a failed write.
 */
import type { ReplicaSet, ReplicaSetStatus } from '../../api/apps.js'
import { REPLICA_SETS } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { compactStatus, isStatusCurrent } from './plan.js'

/** Retries after a failed status write (upstream statusUpdateRetries). */
const statusUpdateRetries = 1

/** Resolves the ReplicaSet as stored after the write (or the given one when nothing changed). */
export async function updateReplicaSetStatus(
  client: RestClient,
  rs: ReplicaSet,
  status: ReplicaSetStatus,
  signal?: AbortSignal,
): Promise<ReplicaSet> {
  if (isStatusCurrent(rs, status)) return rs
  // Record the generation we acted on, not whatever a retry's GET returns.
  const next = compactStatus({ ...status, observedGeneration: rs.metadata.generation })
  let current = rs
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.updateStatus(REPLICA_SETS, { ...structuredClone(current), status: next }, { signal })
    } catch (e) {
      if (attempt >= statusUpdateRetries) throw e
    }
    current = await client.get<ReplicaSet>(REPLICA_SETS, rs.metadata.name!, {
      namespace: rs.metadata.namespace,
      signal,
    })
  }
}
