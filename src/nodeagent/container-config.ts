/**
 * Builds the runtime's sandbox and container configs: the kubelet's io.kubernetes.* labels, the
 * container type, the pod's annotations, hostname/subdomain/hostAliases and resolv.conf, the
 * resolved env and mounts, `$(VAR)`-expanded command and args, resource limits and the user from
 * the security contexts. Pure: env, mounts and DNS are resolved by the caller.
 */
import type { Container, Pod } from '../api/pod.js'
import { quantityToBytes, quantityToMilli } from '../machinery/quantity.js'
import { expandCommand } from './env.js'
import type { ContainerType } from './pod-actions.js'
import {
  type ContainerConfig,
  ContainerLabels,
  type ContainerResources,
  type DNSConfig,
  type Mount,
  type PodSandboxConfig,
} from './runtime/runtime.js'

/** The sandbox config for a pod. */
export function sandboxConfigFor(pod: Pod, extra: { podDir?: string; dnsConfig?: DNSConfig } = {}): PodSandboxConfig {
  const config: PodSandboxConfig = {
    uid: pod.metadata.uid ?? '',
    namespace: pod.metadata.namespace ?? 'default',
    name: pod.metadata.name ?? '',
    hostname: pod.spec.hostname ?? pod.metadata.name,
    labels: { ...pod.metadata.labels },
    annotations: { ...pod.metadata.annotations },
  }
  if (pod.spec.hostNetwork) config.hostNetwork = true
  if (pod.spec.subdomain) config.subdomain = pod.spec.subdomain
  if (pod.spec.hostAliases?.length)
    config.hostsEntries = pod.spec.hostAliases.map(a => ({ ip: a.ip, hostnames: [...(a.hostnames ?? [])] }))
  if (extra.podDir) config.podDir = extra.podDir
  if (extra.dnsConfig) config.dnsConfig = extra.dnsConfig
  return config
}

/** Inputs of containerConfigFor. */
export interface ContainerConfigInput {
  pod: Pod
  container: Container
  type: ContainerType
  attempt: number
  /** The resolved environment (resolveEnv). */
  env: { name: string; value: string }[]
  mounts?: Mount[]
}

/** Limits and the CPU request as the runtime takes them. */
function resourcesOf(c: Container): ContainerResources | undefined {
  const r: ContainerResources = {}
  const limits = c.resources?.limits ?? {}
  if (limits.memory) r.memoryLimitBytes = quantityToBytes(limits.memory)
  if (limits.cpu) r.cpuQuotaMilli = quantityToMilli(limits.cpu)
  const request = c.resources?.requests?.cpu
  if (request) r.cpuRequestMilli = quantityToMilli(request)
  return Object.keys(r).length ? r : undefined
}

/** runAsUser/runAsGroup (container over pod) and the pod's supplemental groups plus fsGroup; absent: the image's user. */
function userOf(pod: Pod, c: Container): ContainerConfig['user'] {
  const podCtx = pod.spec.securityContext ?? {}
  const uid = c.securityContext?.runAsUser ?? podCtx.runAsUser
  if (uid === undefined) return undefined
  // NOTE: without runAsGroup the primary group is 0, as docker does for a numeric user.
  const gid = c.securityContext?.runAsGroup ?? podCtx.runAsGroup ?? 0
  const groups = [...(podCtx.supplementalGroups ?? []), ...(podCtx.fsGroup !== undefined ? [podCtx.fsGroup] : [])]
  return groups.length ? { uid, gid, supplementalGroups: [...new Set(groups)] } : { uid, gid }
}

/** The config to start one container with. */
export function containerConfigFor(input: ContainerConfigInput): ContainerConfig {
  const { pod, container } = input
  const { command, args } = expandCommand(container, input.env)
  const config: ContainerConfig = {
    name: container.name,
    image: container.image ?? '',
    attempt: input.attempt,
    env: input.env,
    labels: {
      [ContainerLabels.podUid]: pod.metadata.uid ?? '',
      [ContainerLabels.podName]: pod.metadata.name ?? '',
      [ContainerLabels.podNamespace]: pod.metadata.namespace ?? '',
      [ContainerLabels.containerName]: container.name,
      [ContainerLabels.containerType]: input.type,
    },
    annotations: { ...pod.metadata.annotations },
  }
  if (command) config.command = command
  if (args) config.args = args
  if (input.mounts?.length) config.mounts = input.mounts
  if (container.workingDir) config.workingDir = container.workingDir
  if (container.tty) config.tty = true
  if (container.stdin) config.stdin = true
  if (container.stdinOnce) config.stdinOnce = true
  const resources = resourcesOf(container)
  if (resources) config.resources = resources
  const user = userOf(pod, container)
  if (user) config.user = user
  if (container.ports?.length)
    config.ports = container.ports.map(p => {
      const port: NonNullable<ContainerConfig['ports']>[number] = { containerPort: p.containerPort }
      if (p.name) port.name = p.name
      if (p.protocol) port.protocol = p.protocol as 'TCP'
      if (p.hostPort) port.hostPort = p.hostPort
      return port
    })
  return config
}
