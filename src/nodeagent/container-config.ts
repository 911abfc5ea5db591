/**
 * Builds the runtime's ContainerConfig for one container of a pod: the kubelet's io.kubernetes.*
 * labels, the container type, the pod's annotations, plain env values and the downward-API
 * fields that need no API reads. Pure.
 */
import type { Container, Pod } from '../api/pod.js'
import type { ContainerType } from './pod-actions.js'
import { type ContainerConfig, ContainerLabels, type PodSandboxConfig } from './runtime/runtime.js'

/** The sandbox config for a pod. */
export function sandboxConfigFor(pod: Pod): PodSandboxConfig {
  const config: PodSandboxConfig = {
    uid: pod.metadata.uid ?? '',
    namespace: pod.metadata.namespace ?? 'default',
    name: pod.metadata.name ?? '',
    hostname: pod.spec.hostname ?? pod.metadata.name,
    labels: { ...pod.metadata.labels },
    annotations: { ...pod.metadata.annotations },
  }
  if (pod.spec.hostNetwork) config.hostNetwork = true
  return config
}

/** Downward-API field values the agent knows without reading the API. */
function fieldValue(pod: Pod, path: string, hostIP: string | undefined, podIP: string | undefined): string | undefined {
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name
    case 'metadata.namespace':
      return pod.metadata.namespace
    case 'metadata.uid':
      return pod.metadata.uid
    case 'spec.nodeName':
      return pod.spec.nodeName
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName
    case 'status.hostIP':
      return hostIP
    case 'status.podIP':
      return podIP
    default: {
      const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path)
      return m ? pod.metadata[m[1] as 'labels' | 'annotations']?.[m[2]!] : undefined
    }
  }
}

/** Inputs of containerConfigFor. */
export interface ContainerConfigInput {
  pod: Pod
  container: Container
  type: ContainerType
  attempt: number
  hostIP?: string
  podIP?: string
}

/**
 * The config to start one container with. Env from ConfigMaps, Secrets and resource fields, and
 * volume mounts, are not resolved yet: TODO(#volumes) once the volume plugins land.
 */
export function containerConfigFor(input: ContainerConfigInput): ContainerConfig {
  const { pod, container } = input
  const env: { name: string; value: string }[] = []
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env.push({ name: e.name, value: e.value })
    else if (e.valueFrom?.fieldRef) {
      const v = fieldValue(pod, e.valueFrom.fieldRef.fieldPath, input.hostIP, input.podIP)
      if (v !== undefined) env.push({ name: e.name, value: v })
    }
  }
  const config: ContainerConfig = {
    name: container.name,
    image: container.image ?? '',
    attempt: input.attempt,
    env,
    labels: {
      [ContainerLabels.podUid]: pod.metadata.uid ?? '',
      [ContainerLabels.podName]: pod.metadata.name ?? '',
      [ContainerLabels.podNamespace]: pod.metadata.namespace ?? '',
      [ContainerLabels.containerName]: container.name,
      [ContainerLabels.containerType]: input.type,
    },
    annotations: { ...pod.metadata.annotations },
  }
  if (container.command) config.command = [...container.command]
  if (container.args) config.args = [...container.args]
  if (container.workingDir) config.workingDir = container.workingDir
  if (container.tty) config.tty = true
  if (container.stdin) config.stdin = true
  return config
}
