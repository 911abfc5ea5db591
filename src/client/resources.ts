/**
 * The resources petset knows by name: one ResourceRef per kind, enough to build REST paths and
 * to map an ownerReference (apiVersion + kind) back to a resource. Constants only, no I/O.
 * Resources the server adds later (CRDs) are found through discovery.ts instead.
 */
import { formatApiVersion, parseApiVersion } from '../api/meta.js'

/** How to address one resource over REST. */
export interface ResourceRef {
  /** API group; "" for the core group. */
  group: string
  version: string
  /** Plural, lower case: "statefulsets". */
  resource: string
  namespaced: boolean
  /** The kind the resource serves: "StatefulSet". */
  kind: string
}

const core = (resource: string, kind: string, namespaced = true): ResourceRef => ({
  group: '',
  version: 'v1',
  resource,
  namespaced,
  kind,
})

/** core/v1 Pods. */
export const PODS = core('pods', 'Pod')
/** core/v1 Services. */
export const SERVICES = core('services', 'Service')
/** core/v1 Endpoints. */
export const ENDPOINTS = core('endpoints', 'Endpoints')
/** core/v1 PersistentVolumes (cluster-scoped). */
export const PERSISTENT_VOLUMES = core('persistentvolumes', 'PersistentVolume', false)
/** core/v1 PersistentVolumeClaims. */
export const PERSISTENT_VOLUME_CLAIMS = core('persistentvolumeclaims', 'PersistentVolumeClaim')
/** core/v1 ConfigMaps. */
export const CONFIG_MAPS = core('configmaps', 'ConfigMap')
/** core/v1 Secrets. */
export const SECRETS = core('secrets', 'Secret')
/** core/v1 Namespaces (cluster-scoped). */
export const NAMESPACES = core('namespaces', 'Namespace', false)
/** core/v1 Nodes (cluster-scoped). */
export const NODES = core('nodes', 'Node', false)
/** core/v1 Events. */
export const EVENTS = core('events', 'Event')
/** core/v1 ServiceAccounts. */
export const SERVICE_ACCOUNTS = core('serviceaccounts', 'ServiceAccount')
/** discovery.k8s.io/v1 EndpointSlices. */
export const ENDPOINT_SLICES: ResourceRef = {
  group: 'discovery.k8s.io',
  version: 'v1',
  resource: 'endpointslices',
  namespaced: true,
  kind: 'EndpointSlice',
}
/** storage.k8s.io/v1 StorageClasses (cluster-scoped). */
export const STORAGE_CLASSES: ResourceRef = {
  group: 'storage.k8s.io',
  version: 'v1',
  resource: 'storageclasses',
  namespaced: false,
  kind: 'StorageClass',
}
/** coordination.k8s.io/v1 Leases. */
export const LEASES: ResourceRef = {
  group: 'coordination.k8s.io',
  version: 'v1',
  resource: 'leases',
  namespaced: true,
  kind: 'Lease',
}
const apps = (resource: string, kind: string): ResourceRef => ({
  group: 'apps',
  version: 'v1',
  resource,
  namespaced: true,
  kind,
})
/** apps/v1 StatefulSets. */
export const STATEFUL_SETS = apps('statefulsets', 'StatefulSet')
/** apps/v1 Deployments. */
export const DEPLOYMENTS = apps('deployments', 'Deployment')
/** apps/v1 ReplicaSets. */
export const REPLICA_SETS = apps('replicasets', 'ReplicaSet')
/** apps/v1 ControllerRevisions. */
export const CONTROLLER_REVISIONS = apps('controllerrevisions', 'ControllerRevision')

/** Every resource in this table. */
export const KNOWN_RESOURCES: readonly ResourceRef[] = [
  PODS,
  SERVICES,
  ENDPOINTS,
  ENDPOINT_SLICES,
  PERSISTENT_VOLUMES,
  PERSISTENT_VOLUME_CLAIMS,
  STORAGE_CLASSES,
  CONFIG_MAPS,
  SECRETS,
  NAMESPACES,
  NODES,
  EVENTS,
  LEASES,
  SERVICE_ACCOUNTS,
  STATEFUL_SETS,
  DEPLOYMENTS,
  REPLICA_SETS,
  CONTROLLER_REVISIONS,
]

/** "apps/v1" or "v1": the apiVersion objects of this resource carry. */
export function apiVersionOf(ref: ResourceRef): string {
  return formatApiVersion(ref.group, ref.version)
}

/** "statefulsets.apps" or "pods": a stable name for maps and logs. */
export function resourceId(ref: ResourceRef): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource
}

/**
 * The known resource serving kind in apiVersion's group (any version), or undefined.
 * @example refForKind('apps/v1', 'StatefulSet') === STATEFUL_SETS
 */
export function refForKind(
  apiVersion: string,
  kind: string,
  table: readonly ResourceRef[] = KNOWN_RESOURCES,
): ResourceRef | undefined {
  const { group, version } = parseApiVersion(apiVersion)
  const sameGroup = table.filter(r => r.group === group && r.kind === kind)
  return sameGroup.find(r => r.version === version) ?? sameGroup[0]
}
