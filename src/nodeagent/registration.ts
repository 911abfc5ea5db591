/**
 * Node registration (the kubelet's registerWithAPIServer): create the Node with its status; if it
 * already exists, take it over and bring the default labels up to date. Retries with back-off
 * (100 ms doubling to 7 s, as the kubelet) until it succeeds or the signal aborts.
 */
import type { Node } from '../api/core.js'
import type { Clock } from '../client/clock.js'
import type { Logger } from '../client/log.js'
import { NODES } from '../client/resources.js'
import type { RestClient } from '../client/rest-client.js'
import { isAlreadyExists } from '../machinery/status-error.js'
import { computeNodeStatus, initialNode, type NodeFacts } from './node-status.js'
import type { RuntimeHealth } from './runtime/runtime.js'

/** Options of registerNode. */
export interface RegisterOptions {
  client: RestClient
  facts: NodeFacts
  labels?: Record<string, string>
  health: RuntimeHealth
  /** Receives the condition events of the registered status (NodeReady, ...). */
  onEvents?: (node: Node, events: string[]) => void
  clock: Clock
  log: Logger
  signal: AbortSignal
}

/** Registers the node; resolves the Node as the API holds it, or undefined if aborted first. */
export async function registerNode(opts: RegisterOptions): Promise<Node | undefined> {
  let delay = 100
  while (!opts.signal.aborted) {
    try {
      return await registerOnce(opts)
    } catch (err) {
      opts.log.warn({ err, delayMs: delay }, 'Unable to register node with API server; retrying')
      await opts.clock.sleep(delay, opts.signal)
      delay = Math.min(delay * 2, 7_000)
    }
  }
  return undefined
}

async function registerOnce(opts: RegisterOptions): Promise<Node> {
  const { client, facts } = opts
  const node = initialNode(facts, opts.labels)
  // The kubelet registers with a full status (conditions included), so the node shows up whole.
  const { status, events } = computeNodeStatus({ node, facts, health: opts.health, now: opts.clock.now() })
  node.status = status
  try {
    const created = await client.create<Node>(NODES, node)
    opts.log.info('Successfully registered node')
    opts.onEvents?.(created, events)
    return created
  } catch (err) {
    if (!isAlreadyExists(err)) throw err
  }
  // The node exists (agent restart, or re-registration): reconcile the default labels.
  const labels = node.metadata.labels ?? {}
  const existing = await client.get<Node>(NODES, facts.name)
  const stale = Object.entries(labels).some(([k, v]) => existing.metadata.labels?.[k] !== v)
  if (!stale) return existing
  return client.patch<Node>(NODES, facts.name, { type: 'merge', body: { metadata: { labels } } })
}
