/**
 * How each list field of the served API types merges: list type and list-map keys (server-side
 * apply) and patch strategy and merge key (strategic merge patch), as upstream's Go types declare
 * them. A facts table, kept longer than the usual file size on purpose. Pure data: no logic.
 *
 * Keys are `<group>.<version>.<Type>.<field>` with the upstream package prefix dropped
 * (`core.v1.PodSpec.containers` for io.k8s.api.core.v1.PodSpec). A list field missing here is
 * treated as atomic; list-types.test.ts checks that every list field of the structure has an entry.
 */

/** Merge facts for one list field (or, for `retainKeys` objects, one object field). */
export interface ListFacts {
  listType?: 'atomic' | 'set' | 'map'
  listMapKeys?: string[]
  mergeKey?: string
  patchStrategy?: string
}

const atomic: ListFacts = { listType: 'atomic' }
const set: ListFacts = { listType: 'set' }
/** A set of scalars that strategic merge patch unions instead of replacing. */
const mergeSet: ListFacts = { listType: 'set', patchStrategy: 'merge' }
/** A list of objects merged by `key`, keyed for apply by `key` plus `more`. */
const mergeBy = (key: string, ...more: string[]): ListFacts => ({
  listType: 'map',
  listMapKeys: [key, ...more],
  mergeKey: key,
  patchStrategy: 'merge',
})
/** Like mergeBy, but patches also honour `$retainKeys` inside each item. */
const mergeRetainBy = (key: string): ListFacts => ({ ...mergeBy(key), patchStrategy: 'merge,retainKeys' })
/** Keyed for apply only; strategic merge patch replaces it whole. */
const mapBy = (...keys: string[]): ListFacts => ({ listType: 'map', listMapKeys: keys })

/** The container fields shared by Container and EphemeralContainer. */
function containerLists(type: string): Record<string, ListFacts> {
  return {
    [`${type}.args`]: atomic,
    [`${type}.command`]: atomic,
    [`${type}.env`]: mergeBy('name'),
    [`${type}.envFrom`]: atomic,
    [`${type}.ports`]: mergeBy('containerPort', 'protocol'),
    [`${type}.resizePolicy`]: atomic,
    [`${type}.restartPolicyRules`]: atomic,
    [`${type}.volumeDevices`]: mergeBy('devicePath'),
    [`${type}.volumeMounts`]: mergeBy('mountPath'),
  }
}

/** List facts by `<group>.<version>.<Type>.<field>`. */
export const listFacts: Readonly<Record<string, ListFacts>> = {
  // meta/v1
  'meta.v1.ObjectMeta.finalizers': mergeSet,
  'meta.v1.ObjectMeta.ownerReferences': mergeBy('uid'),
  'meta.v1.ObjectMeta.managedFields': atomic,
  'meta.v1.LabelSelector.matchExpressions': atomic,
  'meta.v1.LabelSelectorRequirement.values': atomic,
  'meta.v1.DeleteOptions.dryRun': atomic,
  'meta.v1.StatusDetails.causes': atomic,
  'meta.v1.Table.columnDefinitions': atomic,
  'meta.v1.Table.rows': atomic,
  'meta.v1.TableRow.cells': atomic,
  'meta.v1.TableRow.conditions': atomic,

  // core/v1: pods and containers
  ...containerLists('core.v1.Container'),
  ...containerLists('core.v1.EphemeralContainer'),
  'core.v1.PodSpec.containers': mergeBy('name'),
  'core.v1.PodSpec.initContainers': mergeBy('name'),
  'core.v1.PodSpec.ephemeralContainers': mergeBy('name'),
  'core.v1.PodSpec.volumes': mergeRetainBy('name'),
  'core.v1.PodSpec.imagePullSecrets': mergeBy('name'),
  'core.v1.PodSpec.hostAliases': mergeBy('ip'),
  'core.v1.PodSpec.tolerations': atomic,
  'core.v1.PodSpec.topologySpreadConstraints': mergeBy('topologyKey', 'whenUnsatisfiable'),
  'core.v1.PodSpec.resourceClaims': mergeRetainBy('name'),
  'core.v1.PodSpec.schedulingGates': mergeBy('name'),
  'core.v1.PodSpec.readinessGates': atomic,
  'core.v1.PodStatus.conditions': mergeBy('type'),
  'core.v1.PodStatus.podIPs': mergeBy('ip'),
  'core.v1.PodStatus.hostIPs': { listType: 'atomic', mergeKey: 'ip', patchStrategy: 'merge' },
  'core.v1.PodStatus.containerStatuses': atomic,
  'core.v1.PodStatus.initContainerStatuses': atomic,
  'core.v1.PodStatus.ephemeralContainerStatuses': atomic,
  'core.v1.PodStatus.resourceClaimStatuses': mergeRetainBy('name'),
  'core.v1.PodStatus.nodeAllocatableResourceClaimStatuses': atomic,
  'core.v1.PodExtendedResourceClaimStatus.requestMappings': atomic,
  'core.v1.ContainerStatus.allocatedResourcesStatus': mergeBy('name'),
  'core.v1.ContainerStatus.volumeMounts': mergeBy('mountPath'),
  'core.v1.ContainerRestartRuleOnExitCodes.values': set,
  'core.v1.ResourceRequirements.claims': mapBy('name'),
  'core.v1.ResourceStatus.resources': mapBy('resourceID'),
  'core.v1.Capabilities.add': atomic,
  'core.v1.Capabilities.drop': atomic,
  'core.v1.ExecAction.command': atomic,
  'core.v1.HTTPGetAction.httpHeaders': atomic,
  'core.v1.HostAlias.hostnames': atomic,
  'core.v1.LinuxContainerUser.supplementalGroups': atomic,
  'core.v1.PodSecurityContext.supplementalGroups': atomic,
  'core.v1.PodSecurityContext.sysctls': atomic,
  'core.v1.PodDNSConfig.nameservers': atomic,
  'core.v1.PodDNSConfig.options': atomic,
  'core.v1.PodDNSConfig.searches': atomic,

  // core/v1: scheduling
  'core.v1.NodeAffinity.preferredDuringSchedulingIgnoredDuringExecution': atomic,
  'core.v1.NodeSelector.nodeSelectorTerms': atomic,
  'core.v1.NodeSelectorTerm.matchExpressions': atomic,
  'core.v1.NodeSelectorTerm.matchFields': atomic,
  'core.v1.NodeSelectorRequirement.values': atomic,
  'core.v1.PodAffinity.preferredDuringSchedulingIgnoredDuringExecution': atomic,
  'core.v1.PodAffinity.requiredDuringSchedulingIgnoredDuringExecution': atomic,
  'core.v1.PodAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution': atomic,
  'core.v1.PodAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution': atomic,
  'core.v1.PodAffinityTerm.matchLabelKeys': atomic,
  'core.v1.PodAffinityTerm.mismatchLabelKeys': atomic,
  'core.v1.PodAffinityTerm.namespaces': atomic,
  'core.v1.TopologySpreadConstraint.matchLabelKeys': atomic,
  'core.v1.TopologySelectorTerm.matchLabelExpressions': atomic,
  'core.v1.TopologySelectorLabelRequirement.values': atomic,

  // core/v1: volumes
  'core.v1.ConfigMapProjection.items': atomic,
  'core.v1.ConfigMapVolumeSource.items': atomic,
  'core.v1.SecretProjection.items': atomic,
  'core.v1.SecretVolumeSource.items': atomic,
  'core.v1.DownwardAPIProjection.items': atomic,
  'core.v1.DownwardAPIVolumeSource.items': atomic,
  'core.v1.ProjectedVolumeSource.sources': atomic,
  'core.v1.CephFSPersistentVolumeSource.monitors': atomic,
  'core.v1.CephFSVolumeSource.monitors': atomic,
  'core.v1.RBDPersistentVolumeSource.monitors': atomic,
  'core.v1.RBDVolumeSource.monitors': atomic,
  'core.v1.FCVolumeSource.targetWWNs': atomic,
  'core.v1.FCVolumeSource.wwids': atomic,
  'core.v1.ISCSIPersistentVolumeSource.portals': atomic,
  'core.v1.ISCSIVolumeSource.portals': atomic,
  'core.v1.PersistentVolumeSpec.accessModes': atomic,
  'core.v1.PersistentVolumeSpec.mountOptions': atomic,
  'core.v1.PersistentVolumeClaimSpec.accessModes': atomic,
  'core.v1.PersistentVolumeClaimStatus.accessModes': atomic,
  'core.v1.PersistentVolumeClaimStatus.conditions': mergeBy('type'),

  // core/v1: nodes and namespaces
  'core.v1.NodeSpec.podCIDRs': mergeSet,
  'core.v1.NodeSpec.taints': atomic,
  'core.v1.NodeStatus.addresses': mergeBy('type'),
  'core.v1.NodeStatus.conditions': mergeBy('type'),
  'core.v1.NodeStatus.images': atomic,
  'core.v1.NodeStatus.volumesAttached': atomic,
  'core.v1.NodeStatus.volumesInUse': atomic,
  'core.v1.NodeStatus.runtimeHandlers': atomic,
  'core.v1.NodeStatus.declaredFeatures': atomic,
  'core.v1.NodeAllocatableResourceClaimStatus.containers': atomic,
  'core.v1.ContainerImage.names': atomic,
  'core.v1.NamespaceSpec.finalizers': atomic,
  'core.v1.NamespaceStatus.conditions': mergeBy('type'),

  // core/v1: services, endpoints, service accounts
  'core.v1.ServiceSpec.ports': mergeBy('port', 'protocol'),
  'core.v1.ServiceSpec.clusterIPs': atomic,
  'core.v1.ServiceSpec.ipFamilies': atomic,
  'core.v1.ServiceSpec.externalIPs': atomic,
  'core.v1.ServiceSpec.loadBalancerSourceRanges': atomic,
  'core.v1.ServiceStatus.conditions': mergeBy('type'),
  'core.v1.LoadBalancerStatus.ingress': atomic,
  'core.v1.LoadBalancerIngress.ports': atomic,
  'core.v1.Endpoints.subsets': atomic,
  'core.v1.EndpointSubset.addresses': atomic,
  'core.v1.EndpointSubset.notReadyAddresses': atomic,
  'core.v1.EndpointSubset.ports': atomic,
  'core.v1.ServiceAccount.secrets': mergeBy('name'),
  'core.v1.ServiceAccount.imagePullSecrets': atomic,

  // apps/v1
  'apps.v1.StatefulSetSpec.volumeClaimTemplates': atomic,
  'apps.v1.StatefulSetStatus.conditions': mergeBy('type'),
  'apps.v1.DeploymentStatus.conditions': mergeBy('type'),
  'apps.v1.ReplicaSetStatus.conditions': mergeBy('type'),

  // storage.k8s.io/v1
  'storage.v1.StorageClass.allowedTopologies': atomic,
  'storage.v1.StorageClass.mountOptions': atomic,

  // discovery.k8s.io/v1
  'discovery.v1.EndpointSlice.endpoints': atomic,
  'discovery.v1.EndpointSlice.ports': atomic,
  'discovery.v1.Endpoint.addresses': set,
  'discovery.v1.EndpointHints.forNodes': atomic,
  'discovery.v1.EndpointHints.forZones': atomic,
}

/** Patch strategies on object (non-list) fields, by the same key form. */
export const objectPatchStrategies: Readonly<Record<string, string>> = {
  // A Deployment's strategy drops rollingUpdate when a patch switches the type to Recreate.
  'apps.v1.DeploymentSpec.strategy': 'retainKeys',
}

/** The key of a field in the tables above: `io.k8s.api.core.v1.PodSpec` + `containers` → `core.v1.PodSpec.containers`. */
export function factKey(typeName: string, field: string): string {
  const short = typeName.replace(/^io\.k8s\.api\./, '').replace(/^io\.k8s\.apimachinery\.pkg\.apis\./, '')
  return `${short}.${field}`
}
