/**
 * PodWorkers: one PodWorker per pod uid bound to this node, fed by the agent's pod informer and
 * woken by runtime events. Sandboxes found at start-up are adopted by their pod's worker; those
 * whose pod no longer exists are removed. Workers leave the map once their pod is gone and stopped.
 */
import type { Pod } from '../api/pod.js'
import { PodWorker, type PodWorkerDeps } from './pod-worker.js'
import type { RuntimeEvent } from './runtime/runtime.js'

/** The pod workers of one node. */
export class PodWorkers {
  private readonly workers = new Map<string, PodWorker>()
  /** Sandboxes found at start-up, by pod uid, waiting for their worker. */
  private readonly orphans = new Map<string, string[]>()

  constructor(private readonly deps: PodWorkerDeps) {}

  /** Records sandboxes the runtime already has (agent restart), before the informer starts. */
  async adoptExisting(): Promise<void> {
    for (const s of await this.deps.runtime.listPodSandboxes()) {
      const list = this.orphans.get(s.uid) ?? []
      list.push(s.id)
      this.orphans.set(s.uid, list)
    }
  }

  /** Removes sandboxes no pod claimed once the pod cache has synced. */
  async removeUnclaimed(): Promise<void> {
    for (const ids of this.orphans.values()) for (const id of ids) await this.deps.runtime.removePodSandbox(id)
    this.orphans.clear()
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
      for (const id of this.orphans.get(uid) ?? []) w.adoptSandbox(id)
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
    w.deleted()
  }

  /** Routes a runtime event to the worker of its pod. */
  onRuntimeEvent(e: RuntimeEvent): void {
    this.workers.get(e.podUid)?.wake()
  }

  /** Wakes every worker (the node's network just became ready). */
  wakeAll(): void {
    for (const w of this.workers.values()) w.wake()
  }

  /** Cancels every worker's timers (agent shutdown); containers keep running, as with the kubelet. */
  stopAll(): void {
    for (const w of this.workers.values()) w.stop()
  }

  /** Number of pods with a worker. */
  get size(): number {
    return this.workers.size
  }
}
