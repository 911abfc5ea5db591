/**
 * Starting one container the kubelet's way (startContainer): image check (ErrImagePull,
 * ImagePullBackOff), environment (ConfigMap/Secret references; CreateContainerConfigError with
 * upstream's message), mounts (subPath checks), then the runtime's startContainer with the
 * Created/Started events. The outcome says whether it started or why it waits.
 */
import type { ConfigMap, Secret, Service } from '../api/core.js'
import type { Pod } from '../api/pod.js'
import { containerConfigFor } from './container-config.js'
import { containerMounts } from './container-mounts.js'
import { envReferences, resolveEnv } from './env.js'
import type { ImagePuller, PodEventSink } from './image-puller.js'
import type { StartAction } from './pod-actions.js'
import type { WaitingReason } from './pod-status.js'
import {
  type ContainerConfig,
  type ContainerRuntime,
  isSandboxNotFound,
  type PodSandboxStatus,
} from './runtime/runtime.js'
import type { MountedVolume } from './volumes/volume.js'

/** ConfigMaps and Secrets of the pod's namespace, as the agent reads them (undefined: not found). */
export interface ObjectReader {
  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined>
  getSecret(namespace: string, name: string): Promise<Secret | undefined>
}

/** What starting a container needs. */
export interface ContainerStartDeps {
  runtime: ContainerRuntime
  images: ImagePuller
  objects: ObjectReader
  /** Services for the service-link env vars. */
  services(namespace: string): Service[]
  hostIPs(): string[]
  allocatable(): Record<string, string>
  now(): number
  /** Receives every config handed to the runtime (tests, debugging). */
  onConfig?(pod: Pod, config: ContainerConfig): void
}

/** Started, or waiting (with a reason for the status) until retryAt or the next wake-up. */
export type StartOutcome = { started: true } | { started: false; waiting: WaitingReason; retryAt?: number }

/** How long a container with a config error waits before the next attempt (the objects' watches wake it sooner). */
const configRetryMs = 10_000

/** Prepares and starts one container; sandbox-gone errors propagate (the pod re-syncs). */
export async function startPodContainer(
  deps: ContainerStartDeps,
  input: {
    pod: Pod
    sandbox: PodSandboxStatus
    action: StartAction
    /** The pod's set-up volumes; undefined when the node does not materialise volumes (no mounts at all). */
    volumes?: ReadonlyMap<string, MountedVolume>
    event: PodEventSink
  },
): Promise<StartOutcome> {
  const { pod, sandbox, action, event } = input
  const { container } = action
  const image = await deps.images.ensure(pod, container, deps.runtime, event)
  if (!image.ok) return { started: false, waiting: image.waiting, retryAt: image.retryAt }
  let config: ContainerConfig
  try {
    const ns = pod.metadata.namespace ?? 'default'
    const refs = envReferences(container)
    const configMaps = new Map<string, ConfigMap>()
    const secrets = new Map<string, Secret>()
    for (const name of refs.configMaps) {
      const cm = await deps.objects.getConfigMap(ns, name)
      if (cm) configMaps.set(name, cm)
    }
    for (const name of refs.secrets) {
      const s = await deps.objects.getSecret(ns, name)
      if (s) secrets.set(name, s)
    }
    const podIP = pod.spec.hostNetwork ? deps.hostIPs()[0] : sandbox.ip
    const { env, warnings } = resolveEnv({
      pod,
      container,
      configMaps,
      secrets,
      services: deps.services(ns),
      podIPs: podIP ? [podIP] : [],
      hostIPs: deps.hostIPs(),
      allocatable: deps.allocatable(),
    })
    for (const w of warnings) event('Warning', w.reason, w.message)
    const mounts = input.volumes ? await containerMounts({ container, volumes: input.volumes, env }) : []
    config = containerConfigFor({ pod, container, type: action.type, attempt: action.attempt, env, mounts })
  } catch (err) {
    if ((err as { code?: string }).code !== 'CreateContainerConfigError') throw err
    const message = (err as Error).message
    event('Warning', 'Failed', `Error: ${message}`)
    return {
      started: false,
      waiting: { reason: 'CreateContainerConfigError', message },
      retryAt: deps.now() + configRetryMs,
    }
  }
  deps.onConfig?.(pod, config)
  try {
    await deps.runtime.startContainer(sandbox.id, config)
  } catch (err) {
    if (isSandboxNotFound(err)) throw err
    const message = (err as Error).message
    event('Warning', 'Failed', `Error: ${message}`)
    return { started: false, waiting: { reason: 'RunContainerError', message } }
  }
  event('Normal', 'Created', `Created container ${container.name}`)
  event('Normal', 'Started', `Started container ${container.name}`)
  return { started: true }
}
