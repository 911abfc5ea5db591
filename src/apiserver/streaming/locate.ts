/**
 * Where a streaming request goes: which container (kube-apiserver's rules and messages), which
 * node, and how to reach that node's agent (Node status.addresses + daemonEndpoints). Pure given
 * the objects; the registry reads happen in the caller.
 */
import type { Node } from '../../api/core.js'
import type { Container, Pod } from '../../api/pod.js'
import { badRequest, internalError } from '../../machinery/status-error.js'
import type { AgentTarget } from './agent-client.js'

/** How the API server reaches node agents when no resolver is given. */
export interface AgentDefaults {
  /** The bearer token every agent accepts (nodeAgentToken). */
  token: string
  /** Default https, like the kubelet's port 10250. */
  scheme?: 'http' | 'https'
  /** PEM CA for the agents' serving certificates; unverified without it. */
  ca?: string
}

/** The kubelet's default port, used when a Node reports no daemon endpoint. */
export const defaultAgentPort = 10250

const names = (cs: Container[] | undefined) => (cs ?? []).map(c => c.name)
const ephemeralOf = (pod: Pod) => (pod.spec as { ephemeralContainers?: Container[] }).ephemeralContainers

/**
 * The container a request addresses: the one named, which must exist (as a container, init or
 * ephemeral container), or the only container. Throws kube-apiserver's 400s otherwise.
 */
export function containerFor(pod: Pod, requested: string | null | undefined): string {
  const name = pod.metadata.name ?? ''
  if (requested) {
    const all = [...names(pod.spec.containers), ...names(pod.spec.initContainers), ...names(ephemeralOf(pod))]
    if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`)
    return requested
  }
  const containers = names(pod.spec.containers)
  if (containers.length === 1) return containers[0]!
  if (!containers.length) throw badRequest(`a container name must be specified for pod ${name}`)
  let message = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`
  const init = names(pod.spec.initContainers)
  if (init.length) message += ` or one of the init containers: [${init.join(' ')}]`
  const ephemeral = names(ephemeralOf(pod))
  if (ephemeral.length) message += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`
  throw badRequest(message)
}

/** The pod's node name; a pod not yet scheduled cannot be streamed to. */
export function nodeNameOf(pod: Pod): string {
  const node = pod.spec.nodeName
  if (!node) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`)
  return node
}

const addressPreference = ['InternalIP', 'ExternalIP', 'Hostname', 'InternalDNS', 'ExternalDNS']

/** The agent behind a Node: its preferred address and kubelet endpoint port. */
export function agentFromNode(node: Node, defaults: AgentDefaults): AgentTarget {
  const addresses = node.status?.addresses ?? []
  let host: string | undefined
  for (const type of addressPreference) {
    host = addresses.find(a => a.type === type && a.address)?.address
    if (host) break
  }
  if (!host) {
    const known = addresses.map(a => `{${a.type} ${a.address}}`).join(' ')
    throw internalError(`no preferred addresses found; known addresses: [${known}]`)
  }
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port || defaultAgentPort
  const bracketed = host.includes(':') ? `[${host}]` : host
  const target: AgentTarget = { url: `${defaults.scheme ?? 'https'}://${bracketed}:${port}`, token: defaults.token }
  if (defaults.ca) target.ca = defaults.ca
  return target
}
