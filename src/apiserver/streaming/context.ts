/**
 * What the streaming handlers need from the rest of the API server, and the defaults built from
 * it: registry reads through one callback, and the way to a pod's node agent. Keeping this a
 * narrow interface lets the handlers run in front of any registry (and in tests).
 */
import type { Node } from '../../api/core.js'
import type { KObject } from '../../api/meta.js'
import type { Pod } from '../../api/pod.js'
import type { AgentTarget } from './agent-client.js'
import { type AgentDefaults, agentFromNode, nodeNameOf } from './locate.js'

/** A Logger subset (pino's), so the handlers need no logger instance of their own. */
export interface StreamingLog {
  debug(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

/** The core/v1 resources the handlers read. */
export type StreamingResource = 'pods' | 'nodes' | 'services' | 'endpoints'

/** What createStreamingHandler needs from the API server. */
export interface StreamingOptions {
  /**
   * Reads one object from the registry (namespace undefined for nodes). Rejects with the
   * registry's StatusError, e.g. 404 `pods "web-0" not found`, which reaches the client as is.
   */
  get(resource: StreamingResource, namespace: string | undefined, name: string): Promise<KObject>
  /** How to reach node agents: the token they accept, their scheme and CA. */
  agents: AgentDefaults
  /** Overrides the agent lookup (default: the Node's addresses and kubelet endpoint port). */
  resolveAgent?(pod: Pod): Promise<AgentTarget>
  log?: StreamingLog
}

/** The options with every lookup resolved to a function. */
export interface StreamingContext {
  getPod(namespace: string, name: string): Promise<Pod>
  get<T extends KObject>(resource: StreamingResource, namespace: string | undefined, name: string): Promise<T>
  /** The agent of the pod's node; throws 400 for an unscheduled pod, 404 for a missing Node. */
  agentOf(pod: Pod): Promise<AgentTarget>
  /** The agent of a node by name. */
  agentOfNode(name: string): Promise<AgentTarget>
  log?: StreamingLog
}

/** Builds the context from the options. */
export function streamingContext(opts: StreamingOptions): StreamingContext {
  const get = <T extends KObject>(r: StreamingResource, ns: string | undefined, name: string) =>
    opts.get(r, ns, name) as Promise<T>
  const agentOfNode = async (name: string) => agentFromNode(await get<Node>('nodes', undefined, name), opts.agents)
  return {
    get,
    getPod: (ns, name) => get<Pod>('pods', ns, name),
    agentOf: async pod => {
      const node = nodeNameOf(pod)
      return opts.resolveAgent ? opts.resolveAgent(pod) : agentOfNode(node)
    },
    agentOfNode,
    log: opts.log,
  }
}
