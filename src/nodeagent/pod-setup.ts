/**
 * PodSetup: what a pod needs around its containers on this node, for its PodWorker: the
 * ConfigMaps/Secrets it references are watched, its volumes are set up before the sandbox
 * (FailedMount events until they are) and re-projected when those objects change, its sandbox
 * config carries the pod dir and resolv.conf, each container is started through
 * startPodContainer, and everything is released when the pod leaves the node.
 */
import { join } from 'node:path'
import type { Service } from '../api/core.js'
import type { Pod } from '../api/pod.js'
import type { Clock } from '../client/clock.js'
import type { Logger } from '../client/log.js'
import { sandboxConfigFor } from './container-config.js'
import { type ContainerStartDeps, type ObjectReader, type StartOutcome, startPodContainer } from './container-start.js'
import { type ClusterDNS, podDnsConfig } from './dns-config.js'
import type { ImagePuller, PodEventSink } from './image-puller.js'
import type { StartAction } from './pod-actions.js'
import { PodVolumes, podReferences } from './pod-volumes.js'
import type { RestartRequest } from './probes/prober.js'
import {
  type ContainerConfig,
  type ContainerRuntime,
  type DNSConfig,
  isContainerNotFound,
  type PodSandboxConfig,
  type PodSandboxStatus,
} from './runtime/runtime.js'
import type { VolumeHost } from './volumes/volume.js'

/** ConfigMaps and Secrets, read and watched on behalf of pods. */
export interface WatchedObjects extends ObjectReader {
  /** Sets what pod uid references (names in namespace); changes to them reach onObjectChange. */
  register(uid: string, namespace: string, refs: { configMaps: string[]; secrets: string[] }): void
  unregister(uid: string): void
}

/** The agent-wide services every pod's setup shares. */
export interface NodeServices {
  images: ImagePuller
  objects: WatchedObjects
  /** Services of a namespace plus `default/kubernetes`, for service-link env vars. */
  services(namespace: string): Service[]
  hostIPs(): string[]
  allocatable(): Record<string, string>
  clock: Clock
  log: Logger
  /** Volumes on disk; without it (simulated nodes by default) volumes are not materialised. */
  volumes?: { podsDir: string; host: VolumeHost }
  dns: ClusterDNS
  /** The node's resolv.conf (search domains and the Default policy). */
  hostResolv?: DNSConfig
  /** Forgets per-pod caches (tokens) when a pod leaves. */
  forgetPod?(uid: string): void
  onConfig?(pod: Pod, config: ContainerConfig): void
}

/** Retry delay after a FailedMount (doubling to 30 s; object changes wake the pod sooner). */
const mountRetryMs = 1_000

/** One pod's setup. */
export class PodSetup {
  private readonly volumes: PodVolumes | undefined
  private volumesReady = false
  private mountFailures = 0
  private stale = false

  constructor(
    private readonly uid: string,
    private readonly node: NodeServices,
    private readonly runtime: ContainerRuntime,
  ) {
    const v = node.volumes
    if (v) this.volumes = new PodVolumes({ podDir: join(v.podsDir, uid), host: v.host, log: node.log })
  }

  /** Marks the API-data volumes for re-projection at the next sync. */
  markStale(): void {
    this.stale = true
  }

  /** Watches what the pod references and sets up its volumes; resolves when to retry if some failed. */
  async prepare(pod: Pod, event: PodEventSink): Promise<{ ready: boolean; retryAt?: number }> {
    const refs = podReferences(pod, { volumes: !!this.volumes })
    this.node.objects.register(this.uid, pod.metadata.namespace ?? 'default', refs)
    if (!this.volumes) return { ready: true }
    if (this.volumesReady) {
      if (this.stale) {
        this.stale = false
        await this.volumes.refresh(pod)
      }
      return { ready: true }
    }
    const failures = await this.volumes.setUp(pod)
    for (const message of failures) event('Warning', 'FailedMount', message)
    if (!failures.length) {
      this.volumesReady = true
      this.mountFailures = 0
      return { ready: true }
    }
    const delay = Math.min(mountRetryMs * 2 ** this.mountFailures++, 30_000)
    return { ready: false, retryAt: this.node.clock.now() + delay }
  }

  /** The sandbox config: identity, pod dir, resolv.conf. */
  sandboxConfig(pod: Pod): PodSandboxConfig {
    return sandboxConfigFor(pod, {
      podDir: this.volumes?.podDir,
      dnsConfig: podDnsConfig(pod, this.node.dns, this.node.hostResolv),
    })
  }

  /** Starts one container (image, env, mounts, runtime). */
  start(pod: Pod, sandbox: PodSandboxStatus, action: StartAction, event: PodEventSink): Promise<StartOutcome> {
    const n = this.node
    const deps: ContainerStartDeps = {
      runtime: this.runtime,
      images: n.images,
      objects: n.objects,
      services: ns => n.services(ns),
      hostIPs: () => n.hostIPs(),
      allocatable: () => n.allocatable(),
      now: () => n.clock.now(),
      onConfig: n.onConfig,
    }
    return startPodContainer(deps, { pod, sandbox, action, volumes: this.volumes?.mounts, event })
  }

  /** Releases everything: watches, caches, volumes and the pod directory. */
  async release(pod: Pod): Promise<void> {
    this.node.objects.unregister(this.uid)
    this.node.images.forget(this.uid)
    this.node.forgetPod?.(this.uid)
    await this.volumes?.tearDown(pod)
  }
}

/** Stops containers that failed their liveness or startup probe (Killing events); restartPolicy then restarts them. */
export async function killUnhealthy(
  runtime: ContainerRuntime,
  pod: Pod,
  restarts: RestartRequest[],
  event: PodEventSink,
): Promise<void> {
  for (const r of restarts) {
    event('Normal', 'Killing', r.message)
    const grace = Math.max(2, r.graceSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30)
    await runtime.stopContainer(r.id, { graceSeconds: grace }).catch(err => {
      if (!isContainerNotFound(err)) throw err
    })
  }
}
