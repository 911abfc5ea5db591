/**
 * The image check before a container is created (the kubelet's EnsureImageExists): asks the
 * runtime's ensureImage (runtimes without one have every image), honours imagePullPolicy
 * Never, and backs failed pulls off per pod and image (10 s doubling to 5 min). Failures become
 * the waiting reasons a kubelet shows (`ErrImagePull` with the runtime's message, then
 * `ImagePullBackOff` `Back-off pulling image "x": ErrImagePull: <that message>` as since 1.32,
 * `ErrImageNeverPull`) and its events (the BackOff event without the previous error).
 */
import type { Container, Pod } from '../api/pod.js'
import type { Clock } from '../client/clock.js'
import type { WaitingReason } from './pod-status.js'
import type { ContainerRuntime } from './runtime/runtime.js'

/** An event to record on the pod. */
export type PodEventSink = (type: 'Normal' | 'Warning', reason: string, message: string) => void

/** The outcome: ready, or a waiting reason and when to try again. */
export type ImageCheck = { ok: true } | { ok: false; waiting: WaitingReason; retryAt?: number }

const initialMs = 10_000
const maxMs = 300_000
/** How long ErrImagePull shows before the next sync turns it into ImagePullBackOff (the kubelet's resync). */
const errShowMs = 2_000

interface Backoff {
  durationMs: number
  lastUpdate: number
  /** The last pull's error as the back-off message carries it (`ErrImagePull: <message>`). */
  prevPullErrMsg: string
}

/** Image checks with the kubelet's pull back-off. */
export class ImagePuller {
  private readonly backoff = new Map<string, Backoff>()

  constructor(private readonly clock: Clock) {}

  /** Checks container's image on runtime; records the kubelet's events through event. */
  async ensure(pod: Pod, container: Container, runtime: ContainerRuntime, event: PodEventSink): Promise<ImageCheck> {
    const image = container.image ?? ''
    const present = `Container image "${image}" already present on machine`
    if (!runtime.ensureImage) {
      event('Normal', 'Pulled', present)
      return { ok: true }
    }
    const key = `${pod.metadata.uid}_${image}`
    const now = this.clock.now()
    if (container.imagePullPolicy === 'Never') {
      try {
        await runtime.ensureImage(image)
        event('Normal', 'Pulled', present)
        return { ok: true }
      } catch {
        const message = `Container image "${image}" is not present with pull policy of Never`
        event('Warning', 'ErrImageNeverPull', message)
        event('Warning', 'Failed', 'Error: ErrImageNeverPull')
        return { ok: false, waiting: { reason: 'ErrImageNeverPull', message } }
      }
    }
    const b = this.backoff.get(key)
    if (b && now - b.lastUpdate < b.durationMs) {
      const message = `Back-off pulling image "${image}"`
      event('Normal', 'BackOff', message)
      event('Warning', 'Failed', 'Error: ImagePullBackOff')
      return {
        ok: false,
        waiting: { reason: 'ImagePullBackOff', message: `${message}: ${b.prevPullErrMsg}` },
        retryAt: b.lastUpdate + b.durationMs,
      }
    }
    try {
      await runtime.ensureImage(image)
      this.backoff.delete(key)
      event('Normal', 'Pulled', present)
      return { ok: true }
    } catch (err) {
      const message = (err as Error).message
      const next = {
        durationMs: b ? Math.min(b.durationMs * 2, maxMs) : initialMs,
        lastUpdate: now,
        prevPullErrMsg: `ErrImagePull: ${message}`,
      }
      this.backoff.set(key, next)
      event('Warning', 'Failed', `Failed to pull image "${image}": ${message}`)
      event('Warning', 'Failed', 'Error: ErrImagePull')
      return { ok: false, waiting: { reason: 'ErrImagePull', message }, retryAt: now + errShowMs }
    }
  }

  /** Forgets the pod's back-offs (it left the node). */
  forget(uid: string): void {
    for (const key of this.backoff.keys()) if (key.startsWith(`${uid}_`)) this.backoff.delete(key)
  }
}
