/**
 * port-forward over SPDY/3.1, for both transports kubectl uses (direct SPDY, and SPDY inside the
 * `SPDY/3.1+portforward.k8s.io` WebSocket): each local connection arrives as an `error` and a
 * `data` stream sharing a `requestid`; once both are there, the data stream is bridged to one
 * agent tunnel. Failures are written on the error stream in the kubelet's words.
 */
import type { Duplex } from 'node:stream'
import type { Pod } from '../../api/pod.js'
import { type AgentTarget, openAgentTunnel } from './agent-client.js'
import type { StreamingLog } from './context.js'
import type { SpdySession, SpdyStream } from './spdy-session.js'

/** The pod being forwarded to and its agent. */
export interface PortForwardContext {
  pod: Pod
  target: AgentTarget
  log?: StreamingLog
  /** How long the second stream of a pair may take (kubelet: 30s). */
  pairTimeoutMs?: number
}

interface Pair {
  data?: SpdyStream
  error?: SpdyStream
  timer?: NodeJS.Timeout
}

/** The pair key: the requestid header, or (clients before 1.6) derived from the stream ids. */
function requestIdOf(s: SpdyStream): string {
  const id = s.headers.requestid
  if (id !== undefined) return id
  return String(s.streamType === 'data' ? s.id - 2 : s.id)
}

/** Serves every stream pair of one port-forward connection. */
export function servePortForwardSession(session: SpdySession, ctx: PortForwardContext): void {
  const pairs = new Map<string, Pair>()
  session.on('stream', (s: SpdyStream) => {
    s.on('error', () => {})
    const type = s.streamType
    if (type !== 'data' && type !== 'error') return void s.destroy()
    const key = requestIdOf(s)
    const pair = pairs.get(key) ?? {}
    if (pair[type]) return void s.destroy()
    pair[type] = s
    pairs.set(key, pair)
    if (type === 'error') s.resume()
    if (pair.data && pair.error) {
      clearTimeout(pair.timer)
      pairs.delete(key)
      forward(pair.data, pair.error, ctx).catch(err => ctx.log?.error({ err }, 'Port-forward connection failed'))
    } else {
      pair.timer = setTimeout(() => {
        pairs.delete(key)
        ctx.log?.debug({ requestId: key }, 'Port-forward stream pair never completed')
        s.destroy()
      }, ctx.pairTimeoutMs ?? 30_000)
      pair.timer.unref()
    }
  })
  session.on('close', () => {
    for (const p of pairs.values()) clearTimeout(p.timer)
  })
}

/** Bridges one connection; resolves when both directions are done or it failed. */
async function forward(data: SpdyStream, error: SpdyStream, ctx: PortForwardContext): Promise<void> {
  const portText = data.headers.port ?? ''
  const port = Number(portText)
  const fail = (why: string) => {
    // NOTE: the kubelet's wording; kubectl prints it after "an error occurred forwarding …".
    const name = ctx.pod.metadata.name
    const uid = ctx.pod.metadata.uid ?? ''
    if (!error.writableEnded) error.end(`error forwarding port ${portText} to pod ${name}, uid ${uid}: ${why}`)
    if (!data.writableEnded) data.end()
  }
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) return fail(`invalid port "${portText}"`)
  let tunnel: Duplex
  try {
    tunnel = await openAgentTunnel(ctx.target, {
      namespace: ctx.pod.metadata.namespace ?? 'default',
      pod: ctx.pod.metadata.name ?? '',
      port,
    })
  } catch (e) {
    return fail((e as { status?: { message?: string } }).status?.message ?? (e as Error).message)
  }
  if (data.destroyed) return void tunnel.destroy()
  // pipe() ends the destination when the source ends: exactly TCP half-close.
  data.pipe(tunnel)
  tunnel.pipe(data)
  tunnel.on('error', e => fail(e.message))
  data.on('close', () => tunnel.destroy())
  await new Promise<void>(resolve => tunnel.once('close', resolve))
  if (!error.writableEnded) error.end()
}
