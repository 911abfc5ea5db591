/**
 * The internal streaming protocol between the API server and a node agent (see
 * src/nodeagent/streaming/README.md): request shapes, the paths and queries that carry them, and
 * their parsers. Both sides import this module, so the two can never disagree. Pure.
 */
import { ChannelProtocol } from './channel.js'

/** The WebSocket subprotocol of /exec and /attach: always v5, whatever the user's kubectl spoke. */
export const agentExecProtocol = ChannelProtocol.v5
/** The WebSocket subprotocol of /portForward: raw TCP bytes as binary messages. */
export const agentPortForwardProtocol = 'petset.portforward.v1'

/** Which container, and which of the three standard streams (plus a TTY) the session wants. */
export interface AttachRequest {
  namespace: string
  pod: string
  container: string
  stdin: boolean
  stdout: boolean
  stderr: boolean
  tty: boolean
}

/** An exec: an attach-like session running `command` in the container. */
export interface ExecRequest extends AttachRequest {
  command: string[]
}

/** pods/log options (PodLogOptions) minus the container choice, which the path carries. */
export interface LogRequest {
  namespace: string
  pod: string
  container: string
  follow: boolean
  previous: boolean
  timestamps: boolean
  tailLines?: number
  sinceSeconds?: number
  /** RFC 3339. */
  sinceTime?: string
  limitBytes?: number
}

/** One forwarded TCP connection to a pod port. */
export interface PortForwardRequest {
  namespace: string
  pod: string
  port: number
}

/** A parsed agent request: which endpoint, with its request. */
export type AgentRoute =
  | { kind: 'exec'; request: ExecRequest }
  | { kind: 'attach'; request: AttachRequest }
  | { kind: 'logs'; request: LogRequest }
  | { kind: 'portForward'; request: PortForwardRequest }

/** Query booleans as kube-apiserver accepts them. */
export function isTrue(v: string | null): boolean {
  return v !== null && ['true', 'True', 'TRUE', '1', 't', 'T'].includes(v)
}

function optionalInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name)
  if (v === null || v === '') return undefined
  const n = Number(v)
  if (!Number.isInteger(n)) throw new Error(`${name}: invalid value "${v}"`)
  return n
}

const seg = (s: string) => encodeURIComponent(s)

/** The agent path (with query) of an exec or attach request. */
export function streamPath(kind: 'exec' | 'attach', r: AttachRequest | ExecRequest): string {
  const q = new URLSearchParams()
  if (kind === 'exec') for (const c of (r as ExecRequest).command) q.append('command', c)
  for (const flag of ['stdin', 'stdout', 'stderr', 'tty'] as const) if (r[flag]) q.set(flag, 'true')
  return `/${kind}/${seg(r.namespace)}/${seg(r.pod)}/${seg(r.container)}?${q}`
}

/** The agent path (with query) of a logs request. */
export function logsPath(r: LogRequest): string {
  const q = new URLSearchParams()
  for (const flag of ['follow', 'previous', 'timestamps'] as const) if (r[flag]) q.set(flag, 'true')
  for (const n of ['tailLines', 'sinceSeconds', 'limitBytes'] as const) if (r[n] !== undefined) q.set(n, String(r[n]))
  if (r.sinceTime) q.set('sinceTime', r.sinceTime)
  const query = q.toString()
  return `/containerLogs/${seg(r.namespace)}/${seg(r.pod)}/${seg(r.container)}${query ? `?${query}` : ''}`
}

/** The agent path (with query) of one port-forward connection. */
export function portForwardPath(r: PortForwardRequest): string {
  return `/portForward/${seg(r.namespace)}/${seg(r.pod)}?port=${r.port}`
}

/** Reads stdin/stdout/stderr/tty flags from a query (kubectl's or the agent's: same names). */
export function readStreamFlags(q: URLSearchParams): Pick<AttachRequest, 'stdin' | 'stdout' | 'stderr' | 'tty'> {
  return {
    stdin: isTrue(q.get('stdin')),
    stdout: isTrue(q.get('stdout')),
    stderr: isTrue(q.get('stderr')),
    tty: isTrue(q.get('tty')),
  }
}

/** Reads PodLogOptions fields (not container) from a query; throws Error on non-integers. */
export function readLogOptions(q: URLSearchParams): Omit<LogRequest, 'namespace' | 'pod' | 'container'> {
  const opts: Omit<LogRequest, 'namespace' | 'pod' | 'container'> = {
    follow: isTrue(q.get('follow')),
    previous: isTrue(q.get('previous')),
    timestamps: isTrue(q.get('timestamps')),
  }
  const tailLines = optionalInt(q, 'tailLines')
  const sinceSeconds = optionalInt(q, 'sinceSeconds')
  const limitBytes = optionalInt(q, 'limitBytes')
  if (tailLines !== undefined) opts.tailLines = tailLines
  if (sinceSeconds !== undefined) opts.sinceSeconds = sinceSeconds
  if (limitBytes !== undefined) opts.limitBytes = limitBytes
  const sinceTime = q.get('sinceTime')
  if (sinceTime) opts.sinceTime = sinceTime
  return opts
}

/**
 * Parses an agent request path (with query) into a route; undefined when the path is not one of
 * the four. Throws Error (message for a 400) when the path matches but a parameter is invalid.
 */
export function parseAgentPath(pathWithQuery: string): AgentRoute | undefined {
  const url = new URL(pathWithQuery, 'http://agent')
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent)
  const q = url.searchParams
  const [kind, namespace, pod, container] = parts
  if (!namespace || !pod) return undefined
  if ((kind === 'exec' || kind === 'attach') && parts.length === 4) {
    const base = { namespace, pod, container: container!, ...readStreamFlags(q) }
    if (kind === 'attach') return { kind, request: base }
    const command = q.getAll('command')
    if (!command.length) throw new Error('you must specify at least one command for the container')
    return { kind, request: { ...base, command } }
  }
  if (kind === 'containerLogs' && parts.length === 4)
    return { kind: 'logs', request: { namespace, pod, container: container!, ...readLogOptions(q) } }
  if (kind === 'portForward' && parts.length === 3) {
    const port = Number(q.get('port'))
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid port "${q.get('port') ?? ''}"`)
    return { kind: 'portForward', request: { namespace, pod, port } }
  }
  return undefined
}
