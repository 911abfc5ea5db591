/**
 * The VolumePlugin seam (C12): one plugin per volume source (emptyDir, hostPath, configMap,
 * secret, projected, downwardAPI, persistentVolumeClaim, nfs). A plugin turns a pod volume into a
 * directory (or file) on the host that the runtime bind-mounts into containers. Plugins never
 * see the API client: the agent hands them a VolumeHost with the objects and tokens they need.
 * Rooms: `machinery`, `api` and node built-ins only.
 */
import { join } from 'node:path'
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Secret } from '../../api/core.js'
import type { Pod, Volume } from '../../api/pod.js'
import type { Mounter } from './mount.js'

/** Where a set-up volume lives on the host. */
export interface MountedVolume {
  /** The directory (or file, for some hostPath volumes) to bind into containers. */
  hostPath: string
  /** The plugin mounts it read-only whatever the volumeMount says (API-data volumes, read-only claims). */
  readOnly?: boolean
}

/** A service-account token the agent obtained with a TokenRequest. */
export interface ServiceAccountToken {
  token: string
  /** RFC 3339. */
  expirationTimestamp: string
}

/**
 * What plugins get from the agent. Getters resolve undefined when the object does not exist and
 * reject for any other failure (the volume is retried later).
 */
export interface VolumeHost {
  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined>
  getSecret(namespace: string, name: string): Promise<Secret | undefined>
  getPersistentVolumeClaim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined>
  getPersistentVolume(name: string): Promise<PersistentVolume | undefined>
  /** A TokenRequest for the pod's service account, bound to the pod; rejects with a user-fit message. */
  requestServiceAccountToken(req: {
    pod: Pod
    audience?: string
    expirationSeconds: number
  }): Promise<ServiceAccountToken>
  /** The node's allocatable resources: downward-API limits default to them. */
  nodeAllocatable(): Record<string, string>
  mounter: Mounter
  /** ms since the epoch (AtomicWriter directory names, token refresh). */
  now(): number
}

/** One call on one volume of one pod. */
export interface VolumeContext {
  pod: Pod
  volume: Volume
  /** The pod's directory: `<data-dir>/nodes/<node>/pods/<uid>`. */
  podDir: string
  host: VolumeHost
}

/** The API objects a volume's content follows, so the agent can watch them. */
export interface VolumeReferences {
  configMaps: string[]
  secrets: string[]
}

/** A volume source implementation. */
export interface VolumePlugin {
  /** The kubelet's plugin name ("kubernetes.io/configmap"): names the volume's directory. */
  readonly name: string
  /** Whether this plugin serves the volume. */
  canSupport(volume: Volume): boolean
  /**
   * Makes the volume ready on the host; idempotent (called on every pod sync until it succeeds).
   * Rejects with the kubelet's message (`configmap "x" not found`); the agent reports it as
   * `MountVolume.SetUp failed for volume "v" : <message>`.
   */
  setUp(ctx: VolumeContext): Promise<MountedVolume>
  /** Removes what setUp made (unmounts first); idempotent. Never deletes data outside the pod dir. */
  tearDown(ctx: VolumeContext): Promise<void>
  /** Re-writes content that follows API objects (atomically); resolves true when files changed. */
  update?(ctx: VolumeContext): Promise<boolean>
  /** The ConfigMaps and Secrets (in the pod's namespace) the content comes from. */
  references?(volume: Volume): VolumeReferences
}

/** `<podDir>/volumes/<plugin name with / as ~>/<name>`: the kubelet's volume directory. */
export function volumeDir(podDir: string, pluginName: string, name: string): string {
  return join(podDir, 'volumes', pluginName.replace(/\//g, '~'), name)
}

/** The kubelet's FailedMount message for a setUp failure. */
export function setUpFailedMessage(volume: string, message: string): string {
  return `MountVolume.SetUp failed for volume "${volume}" : ${message}`
}
