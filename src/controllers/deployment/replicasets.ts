/**
 * A Deployment's ReplicaSets as a collection (upstream deploymentutil and controller helpers):
 * which one is new, which are old, orderings, replica sums. Pure: no I/O, no clock.
 */
import type { ReplicaSet } from '../../api/apps.js'
import { DefaultDeploymentUniqueLabelKey } from '../../api/apps.js'
import type { LabelSelector } from '../../api/meta.js'
import type { PodTemplateSpec } from '../../api/pod.js'
import { semanticEqual } from './semantic.js'

/** spec.replicas with the API default of 1. */
export const specReplicas = (o: { spec: { replicas?: number } }): number => o.spec.replicas ?? 1

/** EqualIgnoreHash: the templates are semantically equal once their pod-template-hash labels are dropped. */
export function equalIgnoreHash(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  const strip = (t: PodTemplateSpec) => {
    const labels = { ...t.metadata?.labels }
    delete labels[DefaultDeploymentUniqueLabelKey]
    return { ...t, metadata: { ...t.metadata, labels } }
  }
  return semanticEqual(strip(a), strip(b))
}

const created = (rs: ReplicaSet) => Date.parse(rs.metadata.creationTimestamp ?? '') || 0

/** ReplicaSetsByCreationTimestamp: oldest first, ties by name. */
export function byCreationTimestamp(a: ReplicaSet, b: ReplicaSet): number {
  const d = created(a) - created(b)
  if (d !== 0) return d
  const [x, y] = [a.metadata.name ?? '', b.metadata.name ?? '']
  return x < y ? -1 : x > y ? 1 : 0
}

/** ReplicaSetsBySizeNewer: largest first, then newest first (scale up newer ReplicaSets first). */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  const d = specReplicas(b) - specReplicas(a)
  return d !== 0 ? d : -byCreationTimestamp(a, b)
}

/** ReplicaSetsBySizeOlder: largest first, then oldest first (scale down older ReplicaSets first). */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  const d = specReplicas(b) - specReplicas(a)
  return d !== 0 ? d : byCreationTimestamp(a, b)
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template matches the Deployment's, if any. */
export function findNewReplicaSet(template: PodTemplateSpec, rsList: ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreationTimestamp).find(rs => equalIgnoreHash(rs.spec.template, template))
}

/** FindOldReplicaSets' second result: every ReplicaSet but the new one. */
export function findOldReplicaSets(rsList: ReplicaSet[], newRS: ReplicaSet | undefined): ReplicaSet[] {
  return rsList.filter(rs => !newRS || rs.metadata.uid !== newRS.metadata.uid)
}

/** FilterActiveReplicaSets: those with spec.replicas > 0. */
export function filterActive(rss: (ReplicaSet | undefined)[]): ReplicaSet[] {
  return rss.filter((rs): rs is ReplicaSet => !!rs && specReplicas(rs) > 0)
}

/** GetReplicaCountForReplicaSets: the sum of spec.replicas. */
export function sumSpecReplicas(rss: (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs ? specReplicas(rs) : 0), 0)
}

/** Sums one status counter over the ReplicaSets (GetActual/Ready/AvailableReplicaCountForReplicaSets). */
export function sumStatus(
  rss: (ReplicaSet | undefined)[],
  field: 'replicas' | 'readyReplicas' | 'availableReplicas',
): number {
  return rss.reduce((n, rs) => n + (rs?.status?.[field] ?? 0), 0)
}

/** CloneSelectorAndAddLabel: the selector with matchLabels[key] = value added. */
export function selectorWithLabel(selector: LabelSelector | undefined, key: string, value: string): LabelSelector {
  const out: LabelSelector = { matchLabels: { ...selector?.matchLabels, [key]: value } }
  if (selector?.matchExpressions?.length) out.matchExpressions = structuredClone(selector.matchExpressions)
  return out
}
