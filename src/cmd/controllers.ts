/**
 * Which controllers the all-in-one runs, in one list. Each reaches the API through the client.
 */
import type { Logger } from 'pino'
import type { RestClient } from '../client/rest-client.js'

export interface ControllerOptions {
  logger: Logger
  signal: AbortSignal
}

/** Starts every controller; resolves when they have all stopped (after the signal aborts). */
export async function startControllers(_client: RestClient, _opts: ControllerOptions): Promise<void> {
  // TODO(#2): garbage collector, namespace and service-account controllers join here.
}
