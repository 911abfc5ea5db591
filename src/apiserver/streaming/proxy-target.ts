/**
 * Where a pods/proxy, services/proxy or nodes/proxy request goes: the `[scheme:]name[:port]`
 * syntax, kube-apiserver's port and endpoint choice, and the connection that reaches it (a
 * port-forward tunnel through the pod's agent, a direct TCP connection, or the agent itself).
 */
import { connect as netConnect } from 'node:net'
import type { Duplex } from 'node:stream'
import { connect as tlsConnect } from 'node:tls'
import type { Endpoints, Service } from '../../api/core.js'
import type { Pod } from '../../api/pod.js'
import { badRequest, isStatusError, serviceUnavailable } from '../../machinery/status-error.js'
import { type AgentTarget, openAgentTunnel } from './agent-client.js'
import type { StreamingContext } from './context.js'

/** A proxied request's destination. */
export type ProxyTarget =
  | { kind: 'pod'; scheme: 'http' | 'https'; pod: Pod; port: number }
  | { kind: 'address'; scheme: 'http' | 'https'; ip: string; port: number }
  | { kind: 'agent'; agent: AgentTarget }

/** The proxy id (`[scheme:]name[:port]`) and the namespace it lives in. */
export interface TargetId {
  namespace: string
  id: string
}

/** utilnet.SplitSchemeNamePort: `name`, `name:port`, `scheme:name:port`; undefined when invalid. */
export function splitSchemeNamePort(id: string): { scheme: string; name: string; port: string } | undefined {
  const parts = id.split(':')
  let scheme = ''
  let name = ''
  let port = ''
  if (parts.length === 1) name = parts[0]!
  else if (parts.length === 2) [name, port] = parts as [string, string]
  else if (parts.length === 3) [scheme, name, port] = parts as [string, string, string]
  else return undefined
  if (!name || !['', 'http', 'https'].includes(scheme)) return undefined
  return { scheme, name, port }
}

const schemeOf = (s: string): 'http' | 'https' => (s === 'https' ? 'https' : 'http')

/** pods/proxy: the named (or numbered) port, else the first declared container port. */
export async function podTarget(ctx: StreamingContext, { namespace, id }: TargetId): Promise<ProxyTarget> {
  const parsed = splitSchemeNamePort(id)
  if (!parsed) throw badRequest(`invalid pod request "${id}"`)
  const pod = await ctx.getPod(namespace, parsed.name)
  const ports = pod.spec.containers.flatMap(c => c.ports ?? [])
  let port = Number(parsed.port)
  // NOTE: upstream passes a port name through literally (and fails to dial); petset resolves it.
  if (parsed.port && !/^\d+$/.test(parsed.port)) port = ports.find(p => p.name === parsed.port)?.containerPort ?? NaN
  if (!parsed.port) port = ports[0]?.containerPort ?? (parsed.scheme === 'https' ? 443 : 80)
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw badRequest(`invalid port "${parsed.port}"`)
  return { kind: 'pod', scheme: schemeOf(parsed.scheme), pod, port }
}

/** services/proxy: the service port's endpoint port on a random ready address. */
export async function serviceTarget(ctx: StreamingContext, { namespace, id }: TargetId): Promise<ProxyTarget> {
  const parsed = splitSchemeNamePort(id)
  if (!parsed) throw badRequest(`invalid service request "${id}"`)
  const { name } = parsed
  let portName = parsed.port
  if (/^\d+$/.test(portName)) {
    const svc = await ctx.get<Service>('services', namespace, name)
    const sp = (svc.spec?.ports ?? []).find(p => p.port === Number(portName))
    if (!sp) throw serviceUnavailable(`no service port ${portName} found for service "${name}"`)
    portName = sp.name ?? ''
  }
  const eps = await ctx.get<Endpoints>('endpoints', namespace, name)
  const subsets = eps.subsets ?? []
  if (!subsets.length) throw serviceUnavailable(`no endpoints available for service "${name}"`)
  const start = Math.floor(Math.random() * subsets.length)
  for (let i = 0; i < subsets.length; i++) {
    const ss = subsets[(start + i) % subsets.length]!
    const ep = (ss.ports ?? []).find(p => (p.name ?? '') === portName)
    const addresses = ss.addresses ?? []
    if (!ep || !addresses.length) continue
    const addr = addresses[Math.floor(Math.random() * addresses.length)]!
    const scheme = schemeOf(parsed.scheme)
    if (addr.targetRef?.kind === 'Pod' && addr.targetRef.name) {
      const pod = await ctx.getPod(addr.targetRef.namespace ?? namespace, addr.targetRef.name)
      return { kind: 'pod', scheme, pod, port: ep.port }
    }
    return { kind: 'address', scheme, ip: addr.ip, port: ep.port }
  }
  throw serviceUnavailable(`no endpoints available for service "${id}"`)
}

/** nodes/proxy: the node's agent (name only; a port in the id is ignored). */
export async function nodeTarget(ctx: StreamingContext, id: string): Promise<ProxyTarget> {
  const parsed = splitSchemeNamePort(id)
  if (!parsed) throw badRequest(`invalid node request "${id}"`)
  return { kind: 'agent', agent: await ctx.agentOfNode(parsed.name) }
}

/** 503 `error trying to reach service: <why>`, kube-apiserver's proxy dial error. */
export function unreachable(e: unknown): Error {
  return serviceUnavailable(`error trying to reach service: ${(e as Error)?.message ?? String(e)}`)
}

function whenConnected(conn: Duplex, event: string): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    conn.once(event, () => resolve(conn))
    conn.once('error', reject)
  })
}

/** Opens the byte stream to a pod or address target (TLS on top for https). */
export async function dialTarget(ctx: StreamingContext, t: Exclude<ProxyTarget, { kind: 'agent' }>): Promise<Duplex> {
  let conn: Duplex
  try {
    if (t.kind === 'pod') {
      const agent = await ctx.agentOf(t.pod)
      const namespace = t.pod.metadata.namespace ?? 'default'
      conn = await openAgentTunnel(agent, { namespace, pod: t.pod.metadata.name ?? '', port: t.port })
    } else conn = await whenConnected(netConnect({ host: t.ip, port: t.port }), 'connect')
    // Pods' certificates are not verified, as upstream's proxy transport does not.
    if (t.scheme === 'https')
      conn = await whenConnected(tlsConnect({ socket: conn, rejectUnauthorized: false }), 'secureConnect')
  } catch (e) {
    if (isStatusError(e) && e.code !== 500) throw e
    throw unreachable(e)
  }
  // The HTTP client or the byte pipe adds its own listener; this one keeps a late error from crashing.
  conn.on('error', () => {})
  return conn
}
