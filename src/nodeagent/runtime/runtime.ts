/**
 * The ContainerRuntime seam (C12): what the node agent needs from whatever runs containers
 * (simulated now; runc and plain processes later). Shaped after the CRI: pod sandboxes (network
 * namespace + IP) holding containers, typed errors, and container lifecycle events. Types and
 * small error classes only: runtimes import `machinery`, `api` and node built-ins, never `client`.
 */
import type { Duplex, Readable, Writable } from 'node:stream'

/** What a sandbox is created from: the pod identity plus what the runtime needs to set it up. */
export interface PodSandboxConfig {
  /** The pod's metadata.uid: the key the agent finds sandboxes and containers by. */
  uid: string
  namespace: string
  name: string
  /** Defaults to the pod name. */
  hostname?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  /** Share the node's network: the sandbox gets no IP of its own. */
  hostNetwork?: boolean
  /** spec.subdomain: /etc/hosts then names the pod `<hostname>.<subdomain>.<ns>.svc.cluster.local`. */
  subdomain?: string
  /** The pod's directory on the node (`<data-dir>/nodes/<node>/pods/<uid>`); runtimes may keep files there. */
  podDir?: string
  /** spec.hostAliases: extra /etc/hosts lines, after the runtime's own. */
  hostsEntries?: { ip: string; hostnames: string[] }[]
  /** The resolv.conf the pod gets (dnsPolicy/dnsConfig resolved by the agent); absent: the node's. */
  dnsConfig?: DNSConfig
}

/** A pod's resolver configuration (CRI's DNSConfig). */
export interface DNSConfig {
  nameservers?: string[]
  searches?: string[]
  /** resolv.conf options ("ndots:5"). */
  options?: string[]
}

/** A pod sandbox as the runtime reports it. */
export interface PodSandboxStatus {
  id: string
  uid: string
  namespace: string
  name: string
  /** `ready` while the sandbox (and its network) exists; `notready` once stopped. */
  state: 'ready' | 'notready'
  /** The pod IP (absent for host-network sandboxes). */
  ip?: string
  /** Milliseconds since the epoch. */
  createdAt: number
}

/** A bind mount into a container. */
export interface Mount {
  containerPath: string
  hostPath: string
  readOnly?: boolean
}

/** What one container is created from; the agent resolves env and volumes before calling. */
export interface ContainerConfig {
  /** The container's name in the pod spec. */
  name: string
  image: string
  command?: string[]
  args?: string[]
  workingDir?: string
  env?: { name: string; value: string }[]
  mounts?: Mount[]
  /** 0 for the first instance, +1 per restart: the API's restartCount. */
  attempt: number
  labels?: Record<string, string>
  /** The pod's annotations at start time (runtimes may read hints from them). */
  annotations?: Record<string, string>
  tty?: boolean
  stdin?: boolean
  /** Close stdin after the first attach session ends (spec.stdinOnce). */
  stdinOnce?: boolean
  /** Limits from resources.limits (and the CPU request as a weight). */
  resources?: ContainerResources
  /** The user the process runs as (securityContext runAsUser/runAsGroup); absent: the image's. */
  user?: { uid: number; gid: number; supplementalGroups?: number[] }
  /** spec.containers[].ports (informational: runtimes without their own network may check conflicts). */
  ports?: { name?: string; containerPort: number; protocol?: 'TCP' | 'UDP' | 'SCTP'; hostPort?: number }[]
}

/** Container resource limits, already converted from quantities. */
export interface ContainerResources {
  /** limits.memory in bytes. */
  memoryLimitBytes?: number
  /** limits.cpu in millicores (→ CFS quota). */
  cpuQuotaMilli?: number
  /** requests.cpu in millicores (→ CPU shares). */
  cpuRequestMilli?: number
  /** Maximum number of processes (the kubelet's podPidsLimit). */
  pidsLimit?: number
}

/** The life of a container: created → running → exited (CRI's ContainerState). */
export type ContainerState = 'created' | 'running' | 'exited' | 'unknown'

/** One container as the runtime reports it. Times are milliseconds since the epoch. */
export interface RuntimeContainerStatus {
  id: string
  sandboxId: string
  /** The pod uid of its sandbox. */
  podUid: string
  name: string
  attempt: number
  state: ContainerState
  /** The image as the runtime resolved it ("docker.io/library/nginx:1.27"). */
  image: string
  /** The image digest reference ("docker.io/library/nginx@sha256:..."). */
  imageRef: string
  createdAt: number
  startedAt?: number
  finishedAt?: number
  exitCode?: number
  /** For exited containers: "Completed", "Error", "OOMKilled", ... */
  reason?: string
  message?: string
  labels: Record<string, string>
  annotations: Record<string, string>
}

/** Runtime and network readiness, for the node's Ready condition. */
export interface RuntimeHealth {
  runtimeReady: boolean
  networkReady: boolean
  /** Why the network is not ready, as the kubelet reports it. */
  networkMessage?: string
  runtimeMessage?: string
}

/** A container lifecycle change (CRI's ContainerEventResponse). */
export interface RuntimeEvent {
  type: 'ContainerCreated' | 'ContainerStarted' | 'ContainerStopped' | 'ContainerDeleted'
  containerId: string
  sandboxId: string
  podUid: string
}

/** Options of stopContainer. */
export interface StopOptions {
  /** Seconds between the polite stop signal and the kill; 0 kills at once. */
  graceSeconds: number
}

/**
 * A container runtime. Calls may run concurrently for different pods. Unless stated otherwise a
 * missing container rejects with ContainerNotFound and a missing sandbox with SandboxNotFound.
 */
export interface ContainerRuntime {
  /** Short lower-case name: the containerID prefix (`<name>://<id>`) and the node's runtime version. */
  readonly name: string
  /** The runtime's version string ("0.1.0"). */
  readonly version: string
  /** Current readiness of the runtime and its network. */
  health(): RuntimeHealth
  /** Network configuration from the Node (CRI's UpdateRuntimeConfig): the node's podCIDR. */
  updateRuntimeConfig(config: { podCIDR?: string }): Promise<void>
  /** Creates a ready sandbox with its IP. Rejects (not ready network) when it cannot allocate one. */
  runPodSandbox(config: PodSandboxConfig): Promise<PodSandboxStatus>
  /** Stops every container of the sandbox at once and releases its IP; idempotent. */
  stopPodSandbox(sandboxId: string): Promise<void>
  /** Removes a sandbox and its containers; idempotent (a missing sandbox is not an error). */
  removePodSandbox(sandboxId: string): Promise<void>
  /** One sandbox's status. */
  podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus>
  /** Every sandbox, ready or not. */
  listPodSandboxes(): Promise<PodSandboxStatus[]>
  /** Creates and starts a container; resolves once it runs (or has already exited). */
  startContainer(sandboxId: string, config: ContainerConfig): Promise<RuntimeContainerStatus>
  /** Stops a container within the grace period; resolves once it has exited. Already exited: no-op. */
  stopContainer(containerId: string, opts: StopOptions): Promise<void>
  /** Removes an exited container; idempotent (a missing container is not an error). */
  removeContainer(containerId: string): Promise<void>
  /** One container's status. */
  containerStatus(containerId: string): Promise<RuntimeContainerStatus>
  /** Containers, optionally of one sandbox, in creation order. */
  listContainers(filter?: { sandboxId?: string }): Promise<RuntimeContainerStatus[]>
  /** Subscribes to lifecycle events; the listener must be cheap (it only wakes a worker). */
  onEvent(listener: (event: RuntimeEvent) => void): { remove(): void }
  /** Stops background work (timers); containers are left as they are. */
  close(): Promise<void>

  // Streaming (exec, attach, logs, port-forward). Optional: the simulated runtime runs nothing.

  /** Runs command inside the container; resolves with its exit code once its output drained. */
  exec?(containerId: string, command: string[], streams: ExecStreams & { tty: boolean }): Promise<number>
  /** Connects to the container's main process (stdin if it was started with stdin); resolves when the session ends. */
  attach?(containerId: string, streams: ExecStreams & { tty: boolean }): Promise<number | undefined>
  /** Path of the container's log file (CRI format: `<RFC3339Nano> stdout|stderr F|P <line>`). */
  logPath?(containerId: string): string | undefined
  /** Opens a TCP connection to port inside the sandbox's network. */
  dial?(sandboxId: string, port: number): Promise<Duplex>
  /** Checks that an image exists (or can be built) before containers are created; rejects ImagePullError. */
  ensureImage?(image: string): Promise<{ image: string; imageRef: string }>
}

/** The user's side of an exec or attach session (structurally the streaming server's SessionStreams). */
export interface ExecStreams {
  stdin?: Readable
  stdout?: Writable
  stderr?: Writable
  /** Registers the TTY resize listener. */
  onResize(listener: (size: { width: number; height: number }) => void): void
  /** Aborted when the user goes away. */
  signal: AbortSignal
}

/** The image is not present and cannot be pulled (no registry); the message says how to load it. */
export class ImagePullError extends Error {
  readonly code = 'ImagePull'
  constructor(
    readonly image: string,
    message: string,
  ) {
    super(message)
    this.name = 'ImagePullError'
  }
}

/** Error codes of the runtime room (C5): callers branch on `code`, never on message text. */
export type RuntimeErrorCode = 'ContainerNotFound' | 'SandboxNotFound' | 'NetworkNotReady'

/** A typed runtime error. */
export class RuntimeError extends Error {
  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = code
  }
}

/** No container with this id. */
export class ContainerNotFound extends RuntimeError {
  constructor(id: string, options?: { cause?: unknown }) {
    super('ContainerNotFound', `container "${id}" not found`, options)
  }
}

/** No sandbox with this id. */
export class SandboxNotFound extends RuntimeError {
  constructor(id: string, options?: { cause?: unknown }) {
    super('SandboxNotFound', `pod sandbox "${id}" not found`, options)
  }
}

/** The pod network cannot hand out addresses yet (no podCIDR). */
export class NetworkNotReady extends RuntimeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NetworkNotReady', message, options)
  }
}

const codeOf = (e: unknown): unknown => (e && typeof e === 'object' ? (e as { code?: unknown }).code : undefined)

/** Duck-typed: e is a ContainerNotFound (works across module copies). */
export const isContainerNotFound = (e: unknown): boolean => codeOf(e) === 'ContainerNotFound'
/** Duck-typed: e is a SandboxNotFound. */
export const isSandboxNotFound = (e: unknown): boolean => codeOf(e) === 'SandboxNotFound'
/** Duck-typed: e is a NetworkNotReady. */
export const isNetworkNotReady = (e: unknown): boolean => codeOf(e) === 'NetworkNotReady'

/** Labels the agent puts on every container, after the kubelet's io.kubernetes.* labels. */
export const ContainerLabels = {
  podUid: 'io.kubernetes.pod.uid',
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  containerName: 'io.kubernetes.container.name',
  /** `init`, `sidecar` (restartable init) or `regular`. */
  containerType: 'petset.dev/container-type',
} as const

/**
 * Time as runtimes see it: the subset of the agent's Clock they need (structurally the same, so
 * the agent passes its own and tests pass a FakeClock).
 */
export interface RuntimeClock {
  now(): number
  setTimer(fn: () => void, ms: number): { cancel(): void }
}
