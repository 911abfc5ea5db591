/**
 * InformerFactory: hands out one shared Informer per (resource, namespace, selectors), so every
 * controller in a process reads the same cache over one watch (client-go's SharedInformerFactory).
 * Informers requested after start() are started at once.
 */
import type { KObject } from '../api/meta.js'
import type { Clock } from './clock.js'
import { Informer, type InformerOptions } from './informer.js'
import type { Logger } from './log.js'
import { type ResourceRef, resourceId } from './resources.js'
import type { RestClient } from './rest-client.js'

/** Options shared by every informer of a factory. */
export interface InformerFactoryOptions {
  clock?: Clock
  log?: Logger
  freeze?: boolean
  /** Default namespace for every informer (all namespaces when omitted). */
  namespace?: string
  /** Overrides per-informer behaviour (tests use short backoffs). */
  informerDefaults?: Omit<InformerOptions<KObject>, 'namespace' | 'labelSelector' | 'fieldSelector' | 'indexers'>
}

/** Which slice of a resource an informer covers. */
export interface InformerScope {
  namespace?: string
  labelSelector?: string
  fieldSelector?: string
}

/** Creates and shares informers. */
export class InformerFactory {
  private readonly informers = new Map<string, Informer<any>>()
  private readonly running: Promise<void>[] = []
  private signal: AbortSignal | undefined

  constructor(
    private readonly client: RestClient,
    private readonly opts: InformerFactoryOptions = {},
  ) {}

  /** The shared informer for ref within scope; created on first request. */
  forResource<T extends KObject = KObject>(ref: ResourceRef, scope: InformerScope = {}): Informer<T> {
    const namespace = scope.namespace ?? this.opts.namespace
    const id = [resourceId(ref), ref.version, namespace ?? '', scope.labelSelector ?? '', scope.fieldSelector ?? '']
    const key = id.join('|')
    let informer = this.informers.get(key) as Informer<T> | undefined
    if (!informer) {
      informer = new Informer<T>(this.client, ref, {
        ...(this.opts.informerDefaults as InformerOptions<T>),
        clock: this.opts.clock,
        log: this.opts.log,
        freeze: this.opts.freeze,
        namespace: ref.namespaced ? namespace : undefined,
        labelSelector: scope.labelSelector,
        fieldSelector: scope.fieldSelector,
      })
      this.informers.set(key, informer)
      if (this.signal) this.startOne(informer, this.signal)
    }
    return informer
  }

  /** Starts every informer (now and later requested ones) until signal aborts. */
  start(signal: AbortSignal): void {
    if (this.signal) return
    this.signal = signal
    for (const informer of this.informers.values()) this.startOne(informer, signal)
  }

  /** Resolves true when every informer so far has synced, false if signal aborts first. */
  async waitForSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map(i => i.waitForSync(signal)))
    return results.every(Boolean)
  }

  /** Every informer created so far. */
  all(): Informer<KObject>[] {
    return [...this.informers.values()]
  }

  /** Resolves once every started informer loop has returned (after the start signal aborts). */
  async stopped(): Promise<void> {
    await Promise.all(this.running)
  }

  private startOne(informer: Informer<any>, signal: AbortSignal): void {
    this.running.push(informer.run(signal))
  }
}
