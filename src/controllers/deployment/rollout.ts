/**
 * The strategies (upstream rolling.go, recreate.go and sync.go's sync/syncStatusOnly), each one
 * pass over a Deployment: grow the new ReplicaSet or shrink old ones as far as the strategy allows
 * right now, then report status. A pass returns how long to wait before a progress-deadline check,
 * or undefined when informer events will bring the Deployment back.
 */
import type { ReplicaSet } from '../../api/apps.js'
import type { Pod } from '../../api/pod.js'
import { oldPodsRunning } from './plan.js'
import { filterActive, specReplicas } from './replicasets.js'
import { newRSNewReplicas, planOldScaleDown } from './rolling.js'
import { deploymentComplete } from './status.js'
import type { DeploymentSync } from './sync.js'

/** sync: a scaling event or a paused Deployment; resize proportionally, clean up when paused. */
export async function syncScaling(s: DeploymentSync): Promise<undefined> {
  const split = await s.split(false)
  await s.scale(split)
  // NOTE: upstream also skips this while a (deprecated, extensions/v1beta1) rollbackTo is pending.
  if (s.d.spec.paused) await s.cleanup(split.oldRSs)
  await s.syncDeploymentStatus(split)
  return undefined
}

/** syncStatusOnly: a Deployment being deleted only reports status. */
export async function syncStatusOnly(s: DeploymentSync): Promise<undefined> {
  await s.syncDeploymentStatus(await s.split(false))
  return undefined
}

/** rolloutRolling: scale the new ReplicaSet up if possible, else old ones down, then report. */
export async function rolloutRolling(s: DeploymentSync): Promise<number | undefined> {
  const split = await s.split(true)
  const newRS = split.newRS!
  const allRSs = [...split.oldRSs, newRS]
  const d = s.d
  // reconcileNewReplicaSet
  if (specReplicas(newRS) !== specReplicas(d)) {
    const to = specReplicas(newRS) > specReplicas(d) ? specReplicas(d) : newRSNewReplicas(d, allRSs, newRS)
    if (await s.scaleAndRecord(newRS, to)) return s.syncRolloutStatus(split)
  }
  // reconcileOldReplicaSets: upstream swallows errors here; the next event brings the Deployment back.
  let scaledDown = false
  try {
    for (const { rs, to } of planOldScaleDown(d, allRSs, filterActive(split.oldRSs), newRS)) {
      if (await s.scaleAndRecord(rs, to)) scaledDown = true
    }
  } catch (err) {
    s.log.debug({ err }, 'Scaling down old replica sets failed')
  }
  if (scaledDown) return s.syncRolloutStatus(split)
  if (deploymentComplete(d, d.status ?? {})) await s.cleanup(split.oldRSs)
  return s.syncRolloutStatus(split)
}

/**
 * rolloutRecreate: scale every old ReplicaSet to 0, wait until none of their pods runs, then
 * create (if needed) and scale up the new ReplicaSet. `podsByRS` maps ReplicaSet UIDs to pods.
 */
export async function rolloutRecreate(s: DeploymentSync, podsByRS: Map<string, Pod[]>): Promise<number | undefined> {
  // Don't create the new ReplicaSet yet: it must not scale up before the old ones are down.
  let split = await s.split(false)
  let scaledDown = false
  for (const rs of filterActive(split.oldRSs)) {
    if (await s.scaleAndRecord(rs, 0)) scaledDown = true
  }
  if (scaledDown) return s.syncRolloutStatus(split)
  const fresh = (rss: ReplicaSet[]) => rss.map(rs => s.latest(rs))
  if (oldPodsRunning(split.newRS, fresh(split.oldRSs), podsByRS)) return s.syncRolloutStatus(split)
  if (!split.newRS) split = await s.split(true)
  await s.scaleAndRecord(split.newRS!, specReplicas(s.d))
  if (deploymentComplete(s.d, s.d.status ?? {})) await s.cleanup(split.oldRSs)
  return s.syncRolloutStatus(split)
}
