/**
 * The agent's StreamingBackend: exec, attach, logs and port-forward over the runtime that runs
 * the pod. Containers are found by name among the pod's runtime containers (the newest
 * instance); logs pick the container instance the way the kubelet does (validateContainerLogStatus
 * on the pod status: running, terminated, or the previous attempt) and read its CRI log file.
 * Errors carry the kubelet's messages; log errors are 400s, as kubectl shows them.
 */
import { access } from 'node:fs/promises'
import type { Duplex, Readable } from 'node:stream'
import { PassThrough } from 'node:stream'
import type { ContainerStatus, Pod } from '../api/pod.js'
import type { Clock } from '../client/clock.js'
import { badRequest, notFound } from '../machinery/status-error.js'
import { openLog } from './logs.js'
import type { ContainerRuntime, RuntimeContainerStatus } from './runtime/runtime.js'
import { isContainerNotFound } from './runtime/runtime.js'
import type {
  AttachRequest,
  ExecRequest,
  LogRequest,
  PortForwardRequest,
  SessionStreams,
  StreamingBackend,
} from './streaming/backend.js'

/** A pod on this node as the backend needs it. */
export interface StreamingPod {
  pod: Pod
  runtime: ContainerRuntime
  /** The ready sandbox, if any. */
  sandboxId?: string
  /** Every runtime container of the pod, any attempt. */
  containers: RuntimeContainerStatus[]
}

/** Finds pods on this node. */
export type StreamingPodLookup = (namespace: string, name: string) => Promise<StreamingPod | undefined>

/** The running instance of a container by name; rejects with the message kubectl shows. */
function runningContainer(p: StreamingPod, name: string): RuntimeContainerStatus {
  const c = p.containers.filter(c => c.name === name && c.state === 'running').sort((a, b) => b.attempt - a.attempt)[0]
  if (!c) throw new Error(`container "${name}" not found in pod "${p.pod.metadata.name}"`)
  return c
}

const idOf = (containerID: string | undefined) => containerID?.replace(/^[a-z0-9-]+:\/\//, '') ?? ''

/** The container id whose log to read (the kubelet's validateContainerLogStatus); throws a 400. */
export function logContainerId(pod: Pod, container: string, previous: boolean): string {
  const podName = pod.metadata.name ?? ''
  const all: ContainerStatus[] = [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
  ]
  const s = all.find(c => c.name === container)
  const fail = (m: string) => badRequest(m)
  if (!s) throw fail(`container "${container}" in pod "${podName}" is not available`)
  const last = s.lastState?.terminated
  const { waiting, running, terminated } = s.state ?? {}
  if (previous) {
    if (!last?.containerID) throw fail(`previous terminated container "${container}" in pod "${podName}" not found`)
    return idOf(last.containerID)
  }
  if (running) return idOf(s.containerID)
  if (terminated) {
    const id = terminated.containerID || last?.containerID
    if (!id) throw fail(`container "${container}" in pod "${podName}" is terminated`)
    return idOf(id)
  }
  if (last) {
    if (!last.containerID) throw fail(`container "${container}" in pod "${podName}" is terminated`)
    return idOf(last.containerID)
  }
  if (waiting) {
    const why =
      waiting.reason === 'ErrImagePull'
        ? "image can't be pulled"
        : waiting.reason === 'ImagePullBackOff'
          ? 'trying and failing to pull image'
          : waiting.reason
    throw fail(`container "${container}" in pod "${podName}" is waiting to start: ${why}`)
  }
  throw fail(`container "${container}" in pod "${podName}" is waiting to start - no logs yet`)
}

/** The StreamingBackend over the agent's runtimes. */
export class AgentStreamingBackend implements StreamingBackend {
  constructor(
    private readonly lookup: StreamingPodLookup,
    private readonly clock: Clock,
  ) {}

  async exec(req: ExecRequest, streams: SessionStreams): Promise<number> {
    const p = await this.find(req.namespace, req.pod)
    if (!p.runtime.exec) throw new Error(`the ${p.runtime.name} runtime cannot exec into containers`)
    const c = runningContainer(p, req.container)
    return p.runtime.exec(c.id, req.command, { ...streams, tty: req.tty })
  }

  async attach(req: AttachRequest, streams: SessionStreams): Promise<number | undefined> {
    const p = await this.find(req.namespace, req.pod)
    if (!p.runtime.attach) throw new Error(`the ${p.runtime.name} runtime cannot attach to containers`)
    const c = runningContainer(p, req.container)
    return p.runtime.attach(c.id, { ...streams, tty: req.tty })
  }

  async logs(req: LogRequest): Promise<Readable> {
    const p = await this.find(req.namespace, req.pod)
    const id = logContainerId(p.pod, req.container, req.previous)
    const path = p.runtime.logPath?.(id)
    if (!path) {
      // The simulated runtime runs nothing and so logs nothing.
      const empty = new PassThrough()
      empty.end()
      return empty
    }
    let sinceMs: number | undefined
    if (req.sinceSeconds !== undefined) sinceMs = this.clock.now() - req.sinceSeconds * 1000
    else if (req.sinceTime) sinceMs = Date.parse(req.sinceTime)
    const isRunning = async () => {
      try {
        return (await p.runtime.containerStatus(id)).state !== 'exited'
      } catch (err) {
        if (isContainerNotFound(err)) return false
        throw err
      }
    }
    // A missing file is an error before the 200 goes out.
    await access(path).catch(() => {
      throw new Error(`log file of container "${req.container}" not found: ${path}`)
    })
    return openLog(
      path,
      {
        follow: req.follow,
        timestamps: req.timestamps,
        tailLines: req.tailLines,
        sinceMs,
        limitBytes: req.limitBytes,
      },
      { clock: this.clock, isRunning },
    )
  }

  async portForward(req: PortForwardRequest): Promise<Duplex> {
    const p = await this.find(req.namespace, req.pod)
    if (!p.runtime.dial) throw new Error(`the ${p.runtime.name} runtime cannot forward ports`)
    if (!p.sandboxId) throw new Error(`pod "${req.pod}" has no running sandbox`)
    return p.runtime.dial(p.sandboxId, req.port)
  }

  private async find(namespace: string, name: string): Promise<StreamingPod> {
    const p = await this.lookup(namespace, name)
    if (!p) throw notFound({ group: '', resource: 'pods' }, name)
    return p
  }
}
