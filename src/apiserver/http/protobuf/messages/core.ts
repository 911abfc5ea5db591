/**
 * Message table: core/v1 (k8s.io/api/core/v1/generated.proto), everything outside the pod template: ConfigMap, Secret,
 * Namespace, ServiceAccount, Service, PersistentVolumeClaim, ResourceQuota and their parts.
 * Fact table. Field numbers, JSON names,
 * pointer-ness and omitempty are upstream facts (Kubernetes 1.33); see ../README.md for how they were checked.
 */
import type { MessageTable } from '../schema.js'

/** core/v1 messages outside the pod template. */
export const coreV1Messages: MessageTable = {
  ConfigMap: {
    1: 'metadata ObjectMeta',
    4: 'immutable bool!',
    2: 'data map<string,string>',
    3: 'binaryData map<string,bytes>',
  },
  Secret: {
    1: 'metadata ObjectMeta',
    5: 'immutable bool!',
    2: 'data map<string,bytes>',
    4: 'stringData map<string,string>',
    3: 'type string',
  },
  Namespace: {
    1: 'metadata ObjectMeta',
    2: 'spec NamespaceSpec',
    3: 'status NamespaceStatus',
  },
  ServiceAccount: {
    1: 'metadata ObjectMeta',
    2: 'secrets []ObjectReference',
    3: 'imagePullSecrets []LocalObjectReference',
    4: 'automountServiceAccountToken bool!',
  },
  Service: {
    1: 'metadata ObjectMeta',
    2: 'spec ServiceSpec',
    3: 'status ServiceStatus',
  },
  PersistentVolumeClaim: {
    1: 'metadata ObjectMeta',
    2: 'spec PersistentVolumeClaimSpec',
    3: 'status PersistentVolumeClaimStatus',
  },
  ResourceQuota: {
    1: 'metadata ObjectMeta',
    2: 'spec ResourceQuotaSpec',
    3: 'status ResourceQuotaStatus',
  },
  NamespaceSpec: {
    1: 'finalizers []string',
  },
  NamespaceStatus: {
    1: 'phase string',
    2: 'conditions []NamespaceCondition',
  },
  ObjectReference: {
    1: 'kind string',
    2: 'namespace string',
    3: 'name string',
    4: 'uid string',
    5: 'apiVersion string',
    6: 'resourceVersion string',
    7: 'fieldPath string',
  },
  LocalObjectReference: {
    1: 'name string',
  },
  ServiceSpec: {
    1: 'ports []ServicePort',
    2: 'selector map<string,string>',
    3: 'clusterIP string',
    18: 'clusterIPs []string',
    4: 'type string',
    5: 'externalIPs []string',
    7: 'sessionAffinity string',
    8: 'loadBalancerIP string',
    9: 'loadBalancerSourceRanges []string',
    10: 'externalName string',
    11: 'externalTrafficPolicy string',
    12: 'healthCheckNodePort int32',
    13: 'publishNotReadyAddresses bool',
    14: 'sessionAffinityConfig SessionAffinityConfig',
    19: 'ipFamilies []string',
    17: 'ipFamilyPolicy string!',
    20: 'allocateLoadBalancerNodePorts bool!',
    21: 'loadBalancerClass string!',
    22: 'internalTrafficPolicy string!',
    23: 'trafficDistribution string!',
  },
  ServiceStatus: {
    1: 'loadBalancer LoadBalancerStatus',
    2: 'conditions []Condition',
  },
  PersistentVolumeClaimSpec: {
    1: 'accessModes []string',
    4: 'selector LabelSelector',
    2: 'resources VolumeResourceRequirements',
    3: 'volumeName string',
    5: 'storageClassName string!',
    6: 'volumeMode string!',
    7: 'dataSource TypedLocalObjectReference',
    8: 'dataSourceRef TypedObjectReference',
    9: 'volumeAttributesClassName string!',
  },
  PersistentVolumeClaimStatus: {
    1: 'phase string',
    2: 'accessModes []string',
    3: 'capacity map<string,Quantity>',
    4: 'conditions []PersistentVolumeClaimCondition',
    5: 'allocatedResources map<string,Quantity>',
    7: 'allocatedResourceStatuses map<string,string>',
    8: 'currentVolumeAttributesClassName string!',
    9: 'modifyVolumeStatus ModifyVolumeStatus',
  },
  ResourceQuotaSpec: {
    1: 'hard map<string,Quantity>',
    2: 'scopes []string',
    3: 'scopeSelector ScopeSelector',
  },
  ResourceQuotaStatus: {
    1: 'hard map<string,Quantity>',
    2: 'used map<string,Quantity>',
  },
  NamespaceCondition: {
    1: 'type string!',
    2: 'status string!',
    4: 'lastTransitionTime Time',
    5: 'reason string',
    6: 'message string',
  },
  ServicePort: {
    1: 'name string',
    2: 'protocol string',
    6: 'appProtocol string!',
    3: 'port int32!',
    4: 'targetPort IntOrString',
    5: 'nodePort int32',
  },
  SessionAffinityConfig: {
    1: 'clientIP ClientIPConfig',
  },
  LoadBalancerStatus: {
    1: 'ingress []LoadBalancerIngress',
  },
  VolumeResourceRequirements: {
    1: 'limits map<string,Quantity>',
    2: 'requests map<string,Quantity>',
  },
  TypedLocalObjectReference: {
    1: 'apiGroup string!',
    2: 'kind string!',
    3: 'name string!',
  },
  TypedObjectReference: {
    1: 'apiGroup string!',
    2: 'kind string!',
    3: 'name string!',
    4: 'namespace string!',
  },
  PersistentVolumeClaimCondition: {
    1: 'type string!',
    2: 'status string!',
    3: 'lastProbeTime Time',
    4: 'lastTransitionTime Time',
    5: 'reason string',
    6: 'message string',
  },
  ModifyVolumeStatus: {
    1: 'targetVolumeAttributesClassName string',
    2: 'status string!',
  },
  ScopeSelector: {
    1: 'matchExpressions []ScopedResourceSelectorRequirement',
  },
  ClientIPConfig: {
    1: 'timeoutSeconds int32!',
  },
  LoadBalancerIngress: {
    1: 'ip string',
    2: 'hostname string',
    3: 'ipMode string!',
    4: 'ports []PortStatus',
  },
  ScopedResourceSelectorRequirement: {
    1: 'scopeName string!',
    2: 'operator string!',
    3: 'values []string',
  },
  PortStatus: {
    1: 'port int32!',
    2: 'protocol string!',
    3: 'error string!',
  },
}
