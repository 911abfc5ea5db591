/**
 * SetDefaults_StatefulSet (apps/v1, 1.32) plus the pod template and claim template defaults, as
 * statefulset.md §6.2 lists them. Mutates in place. Pure otherwise: no I/O.
 */
import type { StatefulSet } from '../../../api/apps.js'
import { defaultPodTemplateSpec } from '../pod-spec/defaults.js'

/**
 * Defaults a StatefulSet. QUIRK (kept, see §6.2): `rollingUpdate: {}` is created only when the
 * strategy type was empty, so `{type: RollingUpdate}` alone stays without rollingUpdate.
 * NOTE: `rollingUpdate.maxUnavailable` is kept as given and never defaulted (petset honours it).
 */
export function defaultStatefulSet(sts: StatefulSet): void {
  if (!sts.spec) sts.spec = { template: { spec: { containers: [] } } }
  const spec = sts.spec
  if (!spec.podManagementPolicy) spec.podManagementPolicy = 'OrderedReady'
  if (!spec.updateStrategy) spec.updateStrategy = {}
  const strategy = spec.updateStrategy
  if (!strategy.type) {
    strategy.type = 'RollingUpdate'
    if (!strategy.rollingUpdate) strategy.rollingUpdate = {}
  }
  if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate && strategy.rollingUpdate.partition === undefined)
    strategy.rollingUpdate.partition = 0
  if (!spec.persistentVolumeClaimRetentionPolicy) spec.persistentVolumeClaimRetentionPolicy = {}
  const retention = spec.persistentVolumeClaimRetentionPolicy
  if (!retention.whenDeleted) retention.whenDeleted = 'Retain'
  if (!retention.whenScaled) retention.whenScaled = 'Retain'
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1
  if (spec.revisionHistoryLimit === undefined || spec.revisionHistoryLimit === null) spec.revisionHistoryLimit = 10
  if (!spec.template) spec.template = { spec: { containers: [] } }
  defaultPodTemplateSpec(spec.template)
  for (const claim of spec.volumeClaimTemplates ?? []) {
    // Embedded claims are encoded with their TypeMeta and Go's zero-value artifacts.
    claim.apiVersion ??= 'v1'
    claim.kind ??= 'PersistentVolumeClaim'
    claim.metadata ??= {}
    if (!('creationTimestamp' in claim.metadata))
      (claim.metadata as unknown as Record<string, unknown>).creationTimestamp = null
    claim.spec ??= {}
    claim.spec.resources ??= {}
    if (!claim.spec.volumeMode) claim.spec.volumeMode = 'Filesystem'
    claim.status ??= {}
    if (!claim.status.phase) claim.status.phase = 'Pending'
  }
  // Go always encodes these two status counters (no omitempty).
  if (sts.status) {
    sts.status.replicas ??= 0
    sts.status.availableReplicas ??= 0
  }
}
