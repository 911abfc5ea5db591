/**
 * core/v1 kinds other than Pod: Namespace, Node, Service, Endpoints, ConfigMap, Secret,
 * ServiceAccount, PersistentVolume, PersistentVolumeClaim and Event. JSON field names as the
 * wire carries them; timestamps are RFC 3339 strings, quantities are strings.
 * Types and constants only: no I/O, no logic. (A type table: exempt from the size rule.)
 */
import type { KObject, LabelSelector, ObjectMeta } from './meta.js'

/** A map of resource name ("storage", "cpu") to quantity string ("5Gi"). */
export type ResourceList = Record<string, string>

/** A reference to another object (events' involvedObject, PVs' claimRef, endpoints' targetRef). */
export interface ObjectReference {
  kind?: string
  namespace?: string
  name?: string
  uid?: string
  apiVersion?: string
  resourceVersion?: string
  fieldPath?: string
}

/** A reference to an object in the same namespace by name only. */
export interface LocalObjectReference {
  name?: string
}

// ---------------------------------------------------------------- Namespace

export interface NamespaceSpec {
  finalizers?: string[]
}

export interface NamespaceCondition {
  type: string
  status: string
  lastTransitionTime?: string
  reason?: string
  message?: string
}

export interface NamespaceStatus {
  phase?: 'Active' | 'Terminating' | string
  conditions?: NamespaceCondition[]
}

export interface Namespace extends KObject {
  spec?: NamespaceSpec
  status?: NamespaceStatus
}

/** The finalizer every namespace gets on create; the namespace controller removes it. */
export const FinalizerKubernetes = 'kubernetes'
/** The label the API server sets on every namespace: its own name. */
export const LabelMetadataName = 'kubernetes.io/metadata.name'

// ---------------------------------------------------------------- Node

export interface Taint {
  key: string
  value?: string
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' | string
  timeAdded?: string
}

export interface NodeSpec {
  podCIDR?: string
  podCIDRs?: string[]
  providerID?: string
  unschedulable?: boolean
  taints?: Taint[]
  externalID?: string
}

export interface NodeCondition {
  type: string
  status: 'True' | 'False' | 'Unknown' | string
  lastHeartbeatTime?: string
  lastTransitionTime?: string
  reason?: string
  message?: string
}

export interface NodeAddress {
  type: 'Hostname' | 'InternalIP' | 'ExternalIP' | 'InternalDNS' | 'ExternalDNS' | string
  address: string
}

export interface NodeSystemInfo {
  machineID?: string
  systemUUID?: string
  bootID?: string
  kernelVersion?: string
  osImage?: string
  containerRuntimeVersion?: string
  kubeletVersion?: string
  kubeProxyVersion?: string
  operatingSystem?: string
  architecture?: string
}

export interface NodeStatus {
  capacity?: ResourceList
  allocatable?: ResourceList
  phase?: string
  conditions?: NodeCondition[]
  addresses?: NodeAddress[]
  daemonEndpoints?: { kubeletEndpoint?: { Port: number } }
  nodeInfo?: NodeSystemInfo
  images?: { names?: string[]; sizeBytes?: number }[]
  volumesInUse?: string[]
  volumesAttached?: { name: string; devicePath: string }[]
}

export interface Node extends KObject {
  spec?: NodeSpec
  status?: NodeStatus
}

// ---------------------------------------------------------------- Service

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName'
export type IPFamily = 'IPv4' | 'IPv6'
export type IPFamilyPolicy = 'SingleStack' | 'PreferDualStack' | 'RequireDualStack'

export interface ServicePort {
  name?: string
  protocol?: 'TCP' | 'UDP' | 'SCTP' | string
  appProtocol?: string
  port: number
  /** An int or a named container port. */
  targetPort?: number | string
  nodePort?: number
}

export interface SessionAffinityConfig {
  clientIP?: { timeoutSeconds?: number }
}

export interface ServiceSpec {
  type?: ServiceType | string
  ports?: ServicePort[]
  selector?: Record<string, string>
  clusterIP?: string
  clusterIPs?: string[]
  ipFamilies?: (IPFamily | string)[]
  ipFamilyPolicy?: IPFamilyPolicy | string
  externalIPs?: string[]
  externalName?: string
  externalTrafficPolicy?: 'Cluster' | 'Local' | string
  internalTrafficPolicy?: 'Cluster' | 'Local' | string
  healthCheckNodePort?: number
  sessionAffinity?: 'None' | 'ClientIP' | string
  sessionAffinityConfig?: SessionAffinityConfig
  loadBalancerIP?: string
  loadBalancerSourceRanges?: string[]
  loadBalancerClass?: string
  allocateLoadBalancerNodePorts?: boolean
  publishNotReadyAddresses?: boolean
  trafficDistribution?: string
}

export interface LoadBalancerIngress {
  ip?: string
  hostname?: string
  ipMode?: 'VIP' | 'Proxy' | string
  ports?: { port: number; protocol: string; error?: string }[]
}

export interface ServiceStatus {
  loadBalancer?: { ingress?: LoadBalancerIngress[] }
  conditions?: NamespaceCondition[]
}

export interface Service extends KObject {
  spec?: ServiceSpec
  status?: ServiceStatus
}

/** spec.clusterIP of a headless service. */
export const ClusterIPNone = 'None'

// ---------------------------------------------------------------- Endpoints

export interface EndpointAddress {
  ip: string
  hostname?: string
  nodeName?: string
  targetRef?: ObjectReference
}

export interface EndpointPort {
  name?: string
  port: number
  protocol?: 'TCP' | 'UDP' | 'SCTP' | string
  appProtocol?: string
}

export interface EndpointSubset {
  addresses?: EndpointAddress[]
  notReadyAddresses?: EndpointAddress[]
  ports?: EndpointPort[]
}

export interface Endpoints extends KObject {
  subsets?: EndpointSubset[]
}

// ---------------------------------------------------------------- ConfigMap, Secret, ServiceAccount

export interface ConfigMap extends KObject {
  data?: Record<string, string>
  /** Values are base64 in JSON. */
  binaryData?: Record<string, string>
  immutable?: boolean
}

export interface Secret extends KObject {
  type?: string
  /** Values are base64 in JSON. */
  data?: Record<string, string>
  /** Write-only convenience: merged into data (encoded) and dropped on write. */
  stringData?: Record<string, string>
  immutable?: boolean
}

/** Secret types and their required keys, as core/v1 names them. */
export const SecretTypeOpaque = 'Opaque'
export const SecretTypeServiceAccountToken = 'kubernetes.io/service-account-token'
export const SecretTypeDockercfg = 'kubernetes.io/dockercfg'
export const SecretTypeDockerConfigJson = 'kubernetes.io/dockerconfigjson'
export const SecretTypeBasicAuth = 'kubernetes.io/basic-auth'
export const SecretTypeSSHAuth = 'kubernetes.io/ssh-auth'
export const SecretTypeTLS = 'kubernetes.io/tls'
export const SecretTypeBootstrapToken = 'bootstrap.kubernetes.io/token'
export const ServiceAccountNameKey = 'kubernetes.io/service-account.name'
export const ServiceAccountUIDKey = 'kubernetes.io/service-account.uid'
export const DockerConfigKey = '.dockercfg'
export const DockerConfigJsonKey = '.dockerconfigjson'
export const BasicAuthUsernameKey = 'username'
export const BasicAuthPasswordKey = 'password'
export const SSHAuthPrivateKey = 'ssh-privatekey'
export const TLSCertKey = 'tls.crt'
export const TLSPrivateKeyKey = 'tls.key'
/** Upper bound on the data of one Secret or ConfigMap (bytes). */
export const MaxSecretSize = 1024 * 1024

export interface ServiceAccount extends KObject {
  secrets?: ObjectReference[]
  imagePullSecrets?: LocalObjectReference[]
  automountServiceAccountToken?: boolean
}

// ---------------------------------------------------------------- PersistentVolume(Claim)

export type PersistentVolumeAccessMode = 'ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod'
export type PersistentVolumeMode = 'Filesystem' | 'Block'
export type PersistentVolumeReclaimPolicy = 'Retain' | 'Delete' | 'Recycle'

export interface HostPathVolumeSource {
  path: string
  type?: string
}

export interface NFSVolumeSource {
  server: string
  path: string
  readOnly?: boolean
}

export interface LocalVolumeSource {
  path: string
  fsType?: string
}

export interface SecretReference {
  name?: string
  namespace?: string
}

export interface CSIPersistentVolumeSource {
  driver: string
  volumeHandle: string
  readOnly?: boolean
  fsType?: string
  volumeAttributes?: Record<string, string>
  controllerPublishSecretRef?: SecretReference
  nodeStageSecretRef?: SecretReference
  nodePublishSecretRef?: SecretReference
  controllerExpandSecretRef?: SecretReference
  nodeExpandSecretRef?: SecretReference
}

export interface NodeSelectorRequirement {
  key: string
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt' | string
  values?: string[]
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[]
  matchFields?: NodeSelectorRequirement[]
}

export interface VolumeNodeAffinity {
  required?: { nodeSelectorTerms: NodeSelectorTerm[] }
}

export interface PersistentVolumeSpec {
  capacity?: ResourceList
  accessModes?: (PersistentVolumeAccessMode | string)[]
  claimRef?: ObjectReference
  persistentVolumeReclaimPolicy?: PersistentVolumeReclaimPolicy | string
  storageClassName?: string
  mountOptions?: string[]
  volumeMode?: PersistentVolumeMode | string
  nodeAffinity?: VolumeNodeAffinity
  volumeAttributesClassName?: string
  // Volume sources: exactly one. Only the ones petset can serve are typed; the rest pass through.
  hostPath?: HostPathVolumeSource
  nfs?: NFSVolumeSource
  local?: LocalVolumeSource
  csi?: CSIPersistentVolumeSource
  [source: string]: unknown
}

export interface PersistentVolumeStatus {
  phase?: 'Pending' | 'Available' | 'Bound' | 'Released' | 'Failed' | string
  message?: string
  reason?: string
  lastPhaseTransitionTime?: string
}

export interface PersistentVolume extends KObject {
  spec?: PersistentVolumeSpec
  status?: PersistentVolumeStatus
}

export interface TypedLocalObjectReference {
  apiGroup?: string
  kind: string
  name: string
}

export interface PersistentVolumeClaimSpec {
  accessModes?: (PersistentVolumeAccessMode | string)[]
  selector?: LabelSelector
  resources?: { requests?: ResourceList; limits?: ResourceList }
  volumeName?: string
  storageClassName?: string
  volumeMode?: PersistentVolumeMode | string
  dataSource?: TypedLocalObjectReference
  dataSourceRef?: TypedLocalObjectReference & { namespace?: string }
  volumeAttributesClassName?: string
}

export interface PersistentVolumeClaimCondition {
  type: string
  status: string
  lastProbeTime?: string
  lastTransitionTime?: string
  reason?: string
  message?: string
}

export interface PersistentVolumeClaimStatus {
  phase?: 'Pending' | 'Bound' | 'Lost' | string
  accessModes?: (PersistentVolumeAccessMode | string)[]
  capacity?: ResourceList
  conditions?: PersistentVolumeClaimCondition[]
  allocatedResources?: ResourceList
  allocatedResourceStatuses?: Record<string, string>
  currentVolumeAttributesClassName?: string
}

export interface PersistentVolumeClaim extends KObject {
  spec?: PersistentVolumeClaimSpec
  status?: PersistentVolumeClaimStatus
}

/** The legacy annotation naming a PV's or PVC's class; wins over spec.storageClassName. */
export const BetaStorageClassAnnotation = 'volume.beta.kubernetes.io/storage-class'

// ---------------------------------------------------------------- Event (core/v1)

export interface EventSource {
  component?: string
  host?: string
}

export interface EventSeries {
  count?: number
  /** MicroTime. */
  lastObservedTime?: string
}

export interface Event extends KObject {
  involvedObject: ObjectReference
  reason?: string
  message?: string
  source?: EventSource
  /** Serialized as null when unset, as upstream does. */
  firstTimestamp?: string | null
  lastTimestamp?: string | null
  count?: number
  type?: 'Normal' | 'Warning' | string
  /** MicroTime; null when unset. */
  eventTime?: string | null
  series?: EventSeries
  action?: string
  related?: ObjectReference
  reportingComponent?: string
  reportingInstance?: string
}

/** ObjectMeta re-exported for convenience of strategy code that builds objects. */
export type { ObjectMeta }
