/** What the runtime holds for one pod: its current sandbox and every container of its sandboxes. */
import {
  type ContainerRuntime,
  isSandboxNotFound,
  type PodSandboxStatus,
  type RuntimeContainerStatus,
} from './runtime/runtime.js'

/** The runtime's view of a pod. */
export interface PodView {
  /** The ready sandbox, else the newest one. */
  sandbox?: PodSandboxStatus
  containers: RuntimeContainerStatus[]
}

/** Reads the pod's sandboxes; ids of sandboxes that are gone are dropped from sandboxIds (in place). */
export async function readPodView(runtime: ContainerRuntime, sandboxIds: string[]): Promise<PodView> {
  let sandbox: PodSandboxStatus | undefined
  const containers: RuntimeContainerStatus[] = []
  for (const id of [...sandboxIds]) {
    try {
      const s = await runtime.podSandboxStatus(id)
      if (!sandbox || s.state === 'ready' || (sandbox.state !== 'ready' && s.createdAt > sandbox.createdAt)) sandbox = s
      containers.push(...(await runtime.listContainers({ sandboxId: id })))
    } catch (err) {
      if (!isSandboxNotFound(err)) throw err
      sandboxIds.splice(sandboxIds.indexOf(id), 1)
    }
  }
  return { sandbox, containers }
}
