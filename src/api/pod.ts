/**
 * core/v1 Pod and the shapes a pod spec is built from (containers, volumes, probes,
 * scheduling hints, status). Lean: only the fields petset reads or writes, with upstream's JSON
 * names; everything optional that upstream marks optional; timestamps are RFC 3339 strings.
 * Types and constants only: no I/O, no logic.
 * NOTE: a type table, exempt from the 300-line guide (style.md C2).
 */
import type { NodeSelectorRequirement, NodeSelectorTerm, ResourceList } from './core.js'
import type { KObject, LabelSelector, ObjectMeta } from './meta.js'

export type { NodeSelectorRequirement, NodeSelectorTerm, ResourceList }

/** An int-or-string field (ports by number or name, "25%" or 1). */
export type IntOrString = number | string

export interface ResourceRequirements {
  limits?: ResourceList
  requests?: ResourceList
  claims?: { name: string; request?: string }[]
}

export interface ContainerPort {
  name?: string
  containerPort: number
  hostPort?: number
  /** TCP (default), UDP or SCTP. */
  protocol?: 'TCP' | 'UDP' | 'SCTP' | string
  hostIP?: string
}

export interface ObjectFieldSelector {
  /** Defaults to "v1". */
  apiVersion?: string
  fieldPath: string
}

export interface ResourceFieldSelector {
  containerName?: string
  resource: string
  divisor?: string
}

export interface KeySelector {
  name?: string
  key: string
  optional?: boolean
}

export interface EnvVarSource {
  fieldRef?: ObjectFieldSelector
  resourceFieldRef?: ResourceFieldSelector
  configMapKeyRef?: KeySelector
  secretKeyRef?: KeySelector
}

export interface EnvVar {
  name: string
  value?: string
  valueFrom?: EnvVarSource
}

export interface EnvFromSource {
  prefix?: string
  configMapRef?: { name?: string; optional?: boolean }
  secretRef?: { name?: string; optional?: boolean }
}

export interface VolumeMount {
  name: string
  mountPath: string
  readOnly?: boolean
  subPath?: string
  subPathExpr?: string
  mountPropagation?: 'None' | 'HostToContainer' | 'Bidirectional' | string
  recursiveReadOnly?: 'Disabled' | 'IfPossible' | 'Enabled' | string
}

export interface HTTPHeader {
  name: string
  value: string
}

export interface ExecAction {
  command?: string[]
}

export interface HTTPGetAction {
  /** Defaults to "/". */
  path?: string
  port: IntOrString
  host?: string
  /** HTTP (default) or HTTPS. */
  scheme?: 'HTTP' | 'HTTPS' | string
  httpHeaders?: HTTPHeader[]
}

export interface TCPSocketAction {
  port: IntOrString
  host?: string
}

export interface GRPCAction {
  port: number
  service?: string
}

/** One way to check or act on a container; exactly one member may be set. */
export interface ProbeHandler {
  exec?: ExecAction
  httpGet?: HTTPGetAction
  tcpSocket?: TCPSocketAction
  grpc?: GRPCAction
}

export interface Probe extends ProbeHandler {
  initialDelaySeconds?: number
  /** Defaults to 1. */
  timeoutSeconds?: number
  /** Defaults to 10. */
  periodSeconds?: number
  /** Defaults to 1 (and must be 1 for liveness and startup probes). */
  successThreshold?: number
  /** Defaults to 3. */
  failureThreshold?: number
  terminationGracePeriodSeconds?: number
}

export interface LifecycleHandler {
  exec?: ExecAction
  httpGet?: HTTPGetAction
  tcpSocket?: TCPSocketAction
  sleep?: { seconds: number }
}

export interface Lifecycle {
  postStart?: LifecycleHandler
  preStop?: LifecycleHandler
}

export interface Capabilities {
  add?: string[]
  drop?: string[]
}

export interface SeccompProfile {
  type: 'RuntimeDefault' | 'Unconfined' | 'Localhost' | string
  localhostProfile?: string
}

export interface SecurityContext {
  capabilities?: Capabilities
  privileged?: boolean
  runAsUser?: number
  runAsGroup?: number
  runAsNonRoot?: boolean
  readOnlyRootFilesystem?: boolean
  allowPrivilegeEscalation?: boolean
  procMount?: 'Default' | 'Unmasked' | string
  seccompProfile?: SeccompProfile
}

export interface PodSecurityContext {
  runAsUser?: number
  runAsGroup?: number
  runAsNonRoot?: boolean
  fsGroup?: number
  supplementalGroups?: number[]
  fsGroupChangePolicy?: 'OnRootMismatch' | 'Always' | string
  sysctls?: { name: string; value: string }[]
  seccompProfile?: SeccompProfile
}

export interface Container {
  name: string
  image?: string
  command?: string[]
  args?: string[]
  workingDir?: string
  ports?: ContainerPort[]
  envFrom?: EnvFromSource[]
  env?: EnvVar[]
  resources?: ResourceRequirements
  volumeMounts?: VolumeMount[]
  livenessProbe?: Probe
  readinessProbe?: Probe
  startupProbe?: Probe
  lifecycle?: Lifecycle
  /** Defaults to /dev/termination-log. */
  terminationMessagePath?: string
  /** File (default) or FallbackToLogsOnError. */
  terminationMessagePolicy?: 'File' | 'FallbackToLogsOnError' | string
  /** Always for `:latest` or untagged images, else IfNotPresent. */
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never' | string
  securityContext?: SecurityContext
  /** Only on init containers: "Always" makes it a sidecar. */
  restartPolicy?: 'Always' | string
  stdin?: boolean
  stdinOnce?: boolean
  tty?: boolean
}

export interface KeyToPath {
  key: string
  path: string
  mode?: number
}

export interface EmptyDirVolumeSource {
  medium?: '' | 'Memory' | string
  sizeLimit?: string
}

export interface HostPathVolumeSource {
  path: string
  /** "" (default), DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice, BlockDevice. */
  type?: string
}

export interface ConfigMapVolumeSource {
  name?: string
  items?: KeyToPath[]
  /** Defaults to 420 (0644). */
  defaultMode?: number
  optional?: boolean
}

export interface SecretVolumeSource {
  secretName?: string
  items?: KeyToPath[]
  /** Defaults to 420 (0644). */
  defaultMode?: number
  optional?: boolean
}

export interface PersistentVolumeClaimVolumeSource {
  claimName: string
  readOnly?: boolean
}

export interface DownwardAPIVolumeFile {
  path: string
  fieldRef?: ObjectFieldSelector
  resourceFieldRef?: ResourceFieldSelector
  mode?: number
}

export interface DownwardAPIVolumeSource {
  items?: DownwardAPIVolumeFile[]
  /** Defaults to 420 (0644). */
  defaultMode?: number
}

export interface NFSVolumeSource {
  server: string
  path: string
  readOnly?: boolean
}

export interface VolumeProjection {
  secret?: { name?: string; items?: KeyToPath[]; optional?: boolean }
  configMap?: { name?: string; items?: KeyToPath[]; optional?: boolean }
  downwardAPI?: { items?: DownwardAPIVolumeFile[] }
  serviceAccountToken?: { audience?: string; expirationSeconds?: number; path: string }
}

export interface ProjectedVolumeSource {
  sources?: VolumeProjection[]
  /** Defaults to 420 (0644). */
  defaultMode?: number
}

/** The volume sources petset implements; a volume names exactly one. */
export interface VolumeSource {
  emptyDir?: EmptyDirVolumeSource
  hostPath?: HostPathVolumeSource
  configMap?: ConfigMapVolumeSource
  secret?: SecretVolumeSource
  persistentVolumeClaim?: PersistentVolumeClaimVolumeSource
  projected?: ProjectedVolumeSource
  downwardAPI?: DownwardAPIVolumeSource
  nfs?: NFSVolumeSource
}

export interface Volume extends VolumeSource {
  name: string
}

export interface Toleration {
  key?: string
  /** Equal (default) or Exists. */
  operator?: 'Equal' | 'Exists' | string
  value?: string
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' | string
  tolerationSeconds?: number
}

export interface NodeSelector {
  nodeSelectorTerms: NodeSelectorTerm[]
}

export interface NodeAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector
  preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[]
}

export interface PodAffinityTerm {
  labelSelector?: LabelSelector
  namespaces?: string[]
  topologyKey: string
}

export interface PodAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[]
  preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; podAffinityTerm: PodAffinityTerm }[]
}

export interface Affinity {
  nodeAffinity?: NodeAffinity
  /** Accepted and stored; the petset scheduler only honours node affinity. */
  podAffinity?: PodAffinity
  podAntiAffinity?: PodAffinity
}

export interface HostAlias {
  ip: string
  hostnames?: string[]
}

export interface PodDNSConfig {
  nameservers?: string[]
  searches?: string[]
  options?: { name: string; value?: string }[]
}

export interface PodSpec {
  volumes?: Volume[]
  initContainers?: Container[]
  containers: Container[]
  /** Always (default), OnFailure or Never. */
  restartPolicy?: 'Always' | 'OnFailure' | 'Never' | string
  /** Defaults to 30. */
  terminationGracePeriodSeconds?: number
  activeDeadlineSeconds?: number
  /** ClusterFirst (default), ClusterFirstWithHostNet, Default or None. */
  dnsPolicy?: 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None' | string
  dnsConfig?: PodDNSConfig
  nodeSelector?: Record<string, string>
  serviceAccountName?: string
  /** Deprecated alias of serviceAccountName; the server keeps both in step. */
  serviceAccount?: string
  automountServiceAccountToken?: boolean
  nodeName?: string
  hostNetwork?: boolean
  hostPID?: boolean
  hostIPC?: boolean
  shareProcessNamespace?: boolean
  /** Defaults to {}. */
  securityContext?: PodSecurityContext
  imagePullSecrets?: { name?: string }[]
  hostname?: string
  subdomain?: string
  affinity?: Affinity
  /** Defaults to "default-scheduler". */
  schedulerName?: string
  tolerations?: Toleration[]
  hostAliases?: HostAlias[]
  priorityClassName?: string
  priority?: number
  readinessGates?: { conditionType: string }[]
  /** Pods only (not templates): defaults to true. */
  enableServiceLinks?: boolean
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never' | string
  schedulingGates?: { name: string }[]
}

export interface PodTemplateSpec {
  metadata?: ObjectMeta
  spec: PodSpec
}

export interface PodCondition {
  /** PodScheduled, Initialized, ContainersReady, Ready, PodReadyToStartContainers, or a readiness gate. */
  type: string
  status: 'True' | 'False' | 'Unknown'
  lastProbeTime?: string | null
  lastTransitionTime?: string | null
  reason?: string
  message?: string
}

export interface ContainerStateWaiting {
  reason?: string
  message?: string
}

export interface ContainerStateRunning {
  startedAt?: string
}

export interface ContainerStateTerminated {
  exitCode: number
  signal?: number
  reason?: string
  message?: string
  startedAt?: string
  finishedAt?: string
  containerID?: string
}

/** At most one member is set; none means Waiting with no reason. */
export interface ContainerState {
  waiting?: ContainerStateWaiting
  running?: ContainerStateRunning
  terminated?: ContainerStateTerminated
}

export interface ContainerStatus {
  name: string
  state?: ContainerState
  lastState?: ContainerState
  ready: boolean
  restartCount: number
  image: string
  imageID: string
  containerID?: string
  started?: boolean
}

/** Pending, Running, Succeeded, Failed or Unknown. */
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown'

/** Guaranteed, Burstable or BestEffort; fixed when the pod is created. */
export type PodQOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort'

export interface PodStatus {
  phase?: PodPhase | string
  conditions?: PodCondition[]
  message?: string
  reason?: string
  nominatedNodeName?: string
  hostIP?: string
  hostIPs?: { ip: string }[]
  podIP?: string
  podIPs?: { ip: string }[]
  startTime?: string
  initContainerStatuses?: ContainerStatus[]
  containerStatuses?: ContainerStatus[]
  qosClass?: PodQOSClass | string
}

export interface Pod extends KObject {
  spec: PodSpec
  status?: PodStatus
}

/** core/v1 PodTemplate: a named, stored pod template. */
export interface PodTemplate extends KObject {
  template: PodTemplateSpec
}

/** core/v1 Binding: the body of POST pods/{name}/binding (what the scheduler sends). */
export interface Binding extends KObject {
  target: { apiVersion?: string; kind?: string; name?: string; namespace?: string; uid?: string }
}

/** PodScheduled condition reason while scheduling gates hold the pod. */
export const PodReasonSchedulingGated = 'SchedulingGated'
/** status.reason the node-lifecycle controller sets on pods of an unreachable node. */
export const NodeUnreachablePodReason = 'NodeLost'
