/**
 * PodWorkers: one PodWorker per pod uid bound to this node, fed by the agent's pod informer and
 * woken by runtime events, prober results and object changes. Sandboxes found at start-up (in
 * any of the agent's runtimes) are adopted by their pod's worker; those whose pod no longer
 * exists are removed. Workers leave the map once their pod is gone and stopped.
 */
import type { Pod } from '../api/pod.js'
import { PodWorker, type PodWorkerDeps } from './pod-worker.js'
import type { ContainerRuntime, RuntimeEvent } from './runtime/runtime.js'
import type { StreamingPod } from './streaming-backend.js'

/** The pod workers of one node. */
export class PodWorkers {
  private readonly workers = new Map<string, PodWorker>()
  /** Sandboxes found at start-up, by pod uid, waiting for their worker. */
  private readonly orphans = new Map<string, { id: string; runtime: ContainerRuntime }[]>()

  constructor(private readonly deps: PodWorkerDeps) {}

  /** Records sandboxes the runtimes already have (agent restart), before the informer starts. */
  async adoptExisting(): Promise<void> {
    for (const { runtime } of this.deps.runtimes.entries)
      for (const s of await runtime.listPodSandboxes()) {
        const list = this.orphans.get(s.uid) ?? []
        list.push({ id: s.id, runtime })
        this.orphans.set(s.uid, list)
      }
  }

  /** Removes sandboxes no pod claimed once the pod cache has synced. */
  async removeUnclaimed(): Promise<void> {
    for (const list of this.orphans.values()) for (const o of list) await o.runtime.removePodSandbox(o.id)
    this.orphans.clear()
  }

  /** Whether a worker exists for the uid. */
  has(uid: string): boolean {
    return this.workers.has(uid)
  }

  /** A pod was added or changed. */
  upsert(pod: Pod): void {
    const uid = pod.metadata.uid ?? ''
    let w = this.workers.get(uid)
    if (!w) {
      w = new PodWorker(pod, this.deps, done => {
        if (!done.removed) return
        this.workers.delete(done.uid)
        this.deps.statusManager.forget(done.uid)
      })
      for (const o of this.orphans.get(uid) ?? []) if (o.runtime === w.runtime) w.adoptSandbox(o.id)
      this.orphans.delete(uid)
      this.workers.set(uid, w)
    }
    w.update(pod)
  }

  /** A pod left the API: its worker stops what still runs, then leaves. */
  deleted(pod: Pod): void {
    const w = this.workers.get(pod.metadata.uid ?? '')
    if (!w) return
    if (w.finished) {
      this.workers.delete(w.uid)
      this.deps.statusManager.forget(w.uid)
      return
    }
    w.deleted(pod)
  }

  /** Routes a runtime event to the worker of its pod. */
  onRuntimeEvent(e: RuntimeEvent): void {
    this.workers.get(e.podUid)?.wake()
  }

  /** Wakes one pod's worker (a prober result changed). */
  wake(uid: string): void {
    this.workers.get(uid)?.wake()
  }

  /** Re-projects the API-data volumes of the given pods (a ConfigMap or Secret they use changed), or of all. */
  refreshVolumes(uids?: Iterable<string>): void {
    if (!uids) for (const w of this.workers.values()) w.refreshVolumes()
    else for (const uid of uids) this.workers.get(uid)?.refreshVolumes()
  }

  /** Wakes every worker (the node's network just became ready). */
  wakeAll(): void {
    for (const w of this.workers.values()) w.wake()
  }

  /** Cancels every worker's timers (agent shutdown); containers keep running, as with the kubelet. */
  stopAll(): void {
    for (const w of this.workers.values()) w.stop()
  }

  /** The streaming view of a pod (as the informer holds it), if it runs here. */
  async find(pod: Pod | undefined): Promise<StreamingPod | undefined> {
    const w = pod && this.workers.get(pod.metadata.uid ?? '')
    return w && !w.finished ? w.streamingView() : undefined
  }

  /** Number of pods with a worker. */
  get size(): number {
    return this.workers.size
  }
}
