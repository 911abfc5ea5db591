/**
 * EventRecorder: writes core/v1 Events the way client-go's record package does, for users
 * (`kubectl describe`), not operators (C10). Calls never block or throw: events are queued and
 * written in the background; failures are logged and dropped. Identical events (same object,
 * type, reason, message, source) are aggregated like client-go's EventCorrelator/EventLogger:
 * the existing Event gets count+1 and a new lastTimestamp through a PATCH.
 */
import type { Event, ObjectReference } from '../api/core.js'
import type { KObject } from '../api/meta.js'
import { isNotFound } from '../machinery/status-error.js'
import { type Clock, realClock } from './clock.js'
import { type Logger, silentLogger } from './log.js'
import { EVENTS } from './resources.js'
import type { RestClient } from './rest-client.js'

/** Options of an EventRecorder. */
export interface EventRecorderOptions {
  /** source.component and reportingComponent, e.g. "statefulset-controller". */
  component: string
  /** source.host, when the component runs on a node. */
  host?: string
  clock?: Clock
  log?: Logger
  /** Events waiting to be written beyond this are dropped. Default 1000 (client-go's queue). */
  queueSize?: number
  /** Writes in flight at once. Default 8. */
  concurrency?: number
  /** Remembered events for aggregation (LRU). Default 4096 (client-go's maxLruCacheEntries). */
  cacheSize?: number
}

/** One event to record. */
export interface EventInput {
  type: 'Normal' | 'Warning'
  /** UpperCamelCase reason, e.g. "SuccessfulCreate". */
  reason: string
  message: string
}

interface Seen {
  name: string
  namespace: string
  count: number
  firstTimestamp: string
}

/** Records Events about objects. */
export class EventRecorder {
  private readonly clock: Clock
  private readonly log: Logger
  private readonly seen = new Map<string, Seen>()
  private readonly chains = new Map<string, Promise<void>>()
  private pending = 0
  private active = 0
  private slots: (() => void)[] = []
  private seq = 0

  constructor(
    private readonly client: RestClient,
    private readonly opts: EventRecorderOptions,
  ) {
    this.clock = opts.clock ?? realClock
    this.log = (opts.log ?? silentLogger).child({ eventRecorder: opts.component })
  }

  /** Queues an event about obj (which needs kind and apiVersion). Never throws, never waits. */
  event(obj: KObject, input: EventInput): void {
    if (this.pending >= (this.opts.queueSize ?? 1000)) {
      this.log.warn({ reason: input.reason, object: obj.metadata.name }, 'Event queue full; dropping event')
      return
    }
    const involved = referenceTo(obj)
    // client-go's getEventKey: the object's identity without its resourceVersion, plus what was said.
    const { kind, namespace, name, uid, apiVersion } = involved
    const id = [kind, namespace, name, uid, apiVersion, input.type, input.reason, input.message]
    const key = JSON.stringify([...id, this.opts.component, this.opts.host])
    const at = this.clock.now()
    this.pending++
    // Writes for one aggregation key are chained, so count increments never race.
    const next = (this.chains.get(key) ?? Promise.resolve())
      .then(() => this.withSlot(() => this.write(key, involved, input, at)))
      .catch(err => this.log.error({ err, reason: input.reason, object: involved.name }, 'Failed to write event'))
      .finally(() => {
        this.pending--
        if (this.chains.get(key) === next) this.chains.delete(key)
      })
    this.chains.set(key, next)
  }

  /** Resolves once every event queued so far has been written (or has failed). */
  async flush(): Promise<void> {
    while (this.chains.size) await Promise.all([...this.chains.values()])
  }

  private async write(key: string, involved: ObjectReference, input: EventInput, at: number): Promise<void> {
    const timestamp = formatTime(at)
    const prior = this.seen.get(key)
    if (prior) {
      try {
        await this.client.patch(EVENTS, prior.name, {
          namespace: prior.namespace,
          type: 'merge',
          body: { count: prior.count + 1, lastTimestamp: timestamp, message: input.message },
        })
        this.remember(key, { ...prior, count: prior.count + 1 })
        return
      } catch (err) {
        if (!isNotFound(err)) throw err
        // The aggregated event expired or was deleted: start a new one below.
      }
    }
    const namespace = involved.namespace || 'default'
    const name = `${involved.name}.${this.nanos(at).toString(16)}`
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: involved,
      reason: input.reason,
      message: input.message,
      type: input.type,
      source: this.opts.host
        ? { component: this.opts.component, host: this.opts.host }
        : { component: this.opts.component },
      firstTimestamp: timestamp,
      lastTimestamp: timestamp,
      count: 1,
      reportingComponent: this.opts.component,
      reportingInstance: this.opts.host ?? '',
    }
    await this.client.create(EVENTS, event, { namespace })
    this.remember(key, { name, namespace, count: 1, firstTimestamp: timestamp })
  }

  /** Unix nanoseconds, made unique per recorder since the clock has millisecond resolution. */
  private nanos(ms: number): bigint {
    return BigInt(Math.floor(ms)) * 1_000_000n + BigInt(this.seq++ % 1_000_000)
  }

  private remember(key: string, seen: Seen): void {
    this.seen.delete(key)
    this.seen.set(key, seen)
    const max = this.opts.cacheSize ?? 4096
    if (this.seen.size > max) this.seen.delete(this.seen.keys().next().value!)
  }

  private async withSlot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= (this.opts.concurrency ?? 8)) await new Promise<void>(r => this.slots.push(r))
    this.active++
    try {
      return await fn()
    } finally {
      this.active--
      this.slots.shift()?.()
    }
  }
}

/** The involvedObject for obj (client-go's reference.GetReference). */
export function referenceTo(obj: KObject): ObjectReference {
  const ref: ObjectReference = {
    kind: obj.kind,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name,
    uid: obj.metadata.uid,
    apiVersion: obj.apiVersion,
    resourceVersion: obj.metadata.resourceVersion,
  }
  if (!ref.namespace) delete ref.namespace
  return ref
}

/** metav1.Time: RFC 3339 with second precision. */
function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
