/**
 * Manager: starts a set of controllers (or any Runnable) with one shared InformerFactory and one
 * AbortSignal, and resolves once all of them and their informers have stopped.
 */
import type { Clock } from '../../client/clock.js'
import { InformerFactory, type InformerFactoryOptions } from '../../client/informer-factory.js'
import { type Logger, silentLogger } from '../../client/log.js'
import type { RestClient } from '../../client/rest-client.js'

/** Anything the manager can run: a Controller, the garbage collector, ... */
export interface Runnable {
  readonly name: string
  /** Runs until signal aborts; resolves after it has stopped. */
  run(signal: AbortSignal): Promise<void>
}

/** Options of a Manager. */
export interface ManagerOptions {
  client: RestClient
  log?: Logger
  clock?: Clock
  /** Options for the shared informer factory (ignored if `informers` is given). */
  informerOptions?: InformerFactoryOptions
  /** Use this factory instead of creating one. */
  informers?: InformerFactory
}

/** Runs controllers over shared informers. */
export class Manager {
  readonly client: RestClient
  readonly informers: InformerFactory
  readonly log: Logger
  readonly clock: Clock | undefined
  private readonly runnables: Runnable[] = []

  constructor(opts: ManagerOptions) {
    this.client = opts.client
    this.log = opts.log ?? silentLogger
    this.clock = opts.clock
    this.informers =
      opts.informers ?? new InformerFactory(opts.client, { log: this.log, clock: opts.clock, ...opts.informerOptions })
  }

  /** Adds a runnable; add everything before start(). */
  add(r: Runnable): this {
    this.runnables.push(r)
    return this
  }

  /** Starts informers and runnables; resolves when signal has aborted and everything stopped. */
  async start(signal: AbortSignal): Promise<void> {
    this.log.info({ controllers: this.runnables.map(r => r.name) }, 'Starting manager')
    this.informers.start(signal)
    await Promise.all(
      this.runnables.map(r =>
        r.run(signal).catch(err => this.log.error({ err, controller: r.name }, 'Controller exited with an error')),
      ),
    )
    await this.informers.stopped()
    this.log.info('Manager stopped')
  }
}
