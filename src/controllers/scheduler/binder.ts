/**
 * Everything the scheduler writes (C6: it decides elsewhere, acts only here): the pods/binding
 * POST, the PodScheduled=False condition through pods/status, the selected-node annotation on
 * WaitForFirstConsumer claims, and the Scheduled / FailedScheduling events.
 */
import type { PersistentVolumeClaim } from '../../api/core.js'
import type { Binding, Pod, PodCondition } from '../../api/pod.js'
import type { Clock } from '../../client/clock.js'
import type { EventRecorder } from '../../client/events.js'
import { PERSISTENT_VOLUME_CLAIMS, PODS } from '../../client/resources.js'
import type { RestClient } from '../../client/rest-client.js'
import { AnnSelectedNode } from './volumes.js'

/** Options of a Binder. */
export interface BinderOptions {
  client: RestClient
  recorder: EventRecorder
  clock: Clock
  /** Bindings in flight at once. Default 64. */
  concurrency?: number
}

/** metav1.Time. */
const formatTime = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')

/** Writes the scheduler's decisions. */
export class Binder {
  private active = 0
  private readonly waiting: (() => void)[] = []

  constructor(private readonly opts: BinderOptions) {}

  /** POSTs the binding (at most `concurrency` at once), then records Scheduled. Rejects with the API error. */
  async bind(pod: Pod, node: string): Promise<void> {
    if (this.active >= (this.opts.concurrency ?? 64)) await new Promise<void>(r => this.waiting.push(r))
    this.active++
    try {
      const binding: Binding = {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
        target: { apiVersion: 'v1', kind: 'Node', name: node },
      }
      await this.opts.client.create(PODS, binding, { subresource: 'binding' })
    } finally {
      this.active--
      this.waiting.shift()?.()
    }
    this.opts.recorder.event(pod, {
      type: 'Normal',
      reason: 'Scheduled',
      message: `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`,
    })
  }

  /** Records FailedScheduling and sets PodScheduled=False (skipped when the pod already says so). */
  async unschedulable(pod: Pod, reason: 'Unschedulable' | 'SchedulerError', message: string): Promise<void> {
    this.opts.recorder.event(pod, { type: 'Warning', reason: 'FailedScheduling', message })
    const prev = pod.status?.conditions?.find(c => c.type === 'PodScheduled')
    if (prev?.status === 'False' && prev.reason === reason && prev.message === message) return
    const condition: PodCondition = {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime:
        prev?.status === 'False' && prev.lastTransitionTime
          ? prev.lastTransitionTime
          : formatTime(this.opts.clock.now()),
      reason,
      message,
    }
    await this.opts.client.patch(PODS, pod.metadata.name!, {
      namespace: pod.metadata.namespace,
      subresource: 'status',
      type: 'strategic',
      body: { status: { conditions: [condition] } },
    })
  }

  /** Names the node a WaitForFirstConsumer claim's volume is to be provisioned for. */
  async selectNode(claim: PersistentVolumeClaim, node: string): Promise<void> {
    if (claim.metadata.annotations?.[AnnSelectedNode] === node) return
    await this.opts.client.patch(PERSISTENT_VOLUME_CLAIMS, claim.metadata.name!, {
      namespace: claim.metadata.namespace,
      type: 'merge',
      body: { metadata: { annotations: { [AnnSelectedNode]: node } } },
    })
  }
}
