/**
 * The proxy subresources (pods/proxy, services/proxy, nodes/proxy): strips the API prefix, passes
 * method, headers (minus hop-by-hop and the user's credentials) and body to the target, and
 * streams the reply back. Upgrade requests (WebSocket) are passed through as raw bytes.
 * NOTE: unlike kube-apiserver, HTML bodies and Location headers are not rewritten.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { Duplex } from 'node:stream'
import { isStatusError } from '../../machinery/status-error.js'
import type { StreamingContext } from './context.js'
import { dialTarget, nodeTarget, type ProxyTarget, podTarget, serviceTarget, unreachable } from './proxy-target.js'

const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
])

/** The part of a proxy URL after `<resource>/<name>/proxy`, with its query; '' when nothing follows. */
export function proxyRest(rawUrl: string): string | undefined {
  const q = rawUrl.indexOf('?')
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q)
  const m = /\/(?:pods|services|nodes)\/[^/]+\/proxy(\/.*)?$/.exec(path)
  if (!m) return undefined
  return (m[1] ?? '') + (q < 0 ? '' : rawUrl.slice(q))
}

/** Headers for the target: no hop-by-hop headers, no Authorization (the API server consumed it). */
export function forwardHeaders(
  h: IncomingHttpHeaders,
  { host, clientIp, keepUpgrade = false }: { host: string; clientIp: string; keepUpgrade?: boolean },
) {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || k === 'authorization' || k === 'host') continue
    if (hopByHop.has(k) && !(keepUpgrade && (k === 'connection' || k === 'upgrade'))) continue
    out[k] = v
  }
  out.host = host
  const prior = h['x-forwarded-for']
  out['x-forwarded-for'] = prior ? `${prior}, ${clientIp}` : clientIp
  return out
}

/** Resolves the target of a proxy request. */
export function resolveTarget(
  ctx: StreamingContext,
  { resource, namespace = 'default', id }: { resource: string; namespace?: string; id: string },
): Promise<ProxyTarget> {
  if (resource === 'pods') return podTarget(ctx, { namespace, id })
  if (resource === 'services') return serviceTarget(ctx, { namespace, id })
  return nodeTarget(ctx, id)
}

function hostOf(t: ProxyTarget): string {
  if (t.kind === 'agent') return new URL(t.agent.url).host
  const ip = t.kind === 'pod' ? (t.pod.status?.podIP ?? t.pod.metadata.name ?? 'pod') : t.ip
  return `${ip.includes(':') ? `[${ip}]` : ip}:${t.port}`
}

/** Proxies one plain HTTP request; errors before the reply starts reject (the caller sends a Status). */
export async function proxyHttp(
  ctx: StreamingContext,
  { req, res, target, rest }: { req: IncomingMessage; res: ServerResponse; target: ProxyTarget; rest: string },
): Promise<void> {
  const path = rest.startsWith('/') ? rest : `/${rest}`
  const headers = forwardHeaders(req.headers, { host: hostOf(target), clientIp: req.socket.remoteAddress ?? '' })
  let upstream: ReturnType<typeof httpRequest>
  if (target.kind === 'agent') {
    const url = new URL(path, target.agent.url)
    headers.authorization = `Bearer ${target.agent.token}`
    const tls = target.agent.ca ? { ca: target.agent.ca } : { rejectUnauthorized: false }
    upstream = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: req.method,
      headers,
      ...(url.protocol === 'https:' ? tls : {}),
    })
  } else {
    const conn = await dialTarget(ctx, target)
    // NOTE: no `agent: false` here: Node then builds a fresh Agent and ignores createConnection.
    upstream = httpRequest({ method: req.method, path, headers, createConnection: () => conn as never })
  }
  await new Promise<void>((resolve, reject) => {
    upstream.on('response', (r: IncomingMessage) => {
      const out: Record<string, string | string[]> = {}
      for (const [k, v] of Object.entries(r.headers)) if (v !== undefined && !hopByHop.has(k)) out[k] = v
      res.writeHead(r.statusCode ?? 502, out)
      r.pipe(res)
      r.on('end', resolve)
      r.on('error', () => res.destroy())
    })
    upstream.on('error', e => {
      if (res.headersSent) {
        res.destroy()
        resolve()
      } else reject(isStatusError(e) ? e : unreachable(e))
    })
    res.on('close', () => {
      upstream.destroy()
      resolve()
    })
    req.pipe(upstream)
  })
}

function requestHead(req: IncomingMessage, path: string, headers: Record<string, string | string[]>): Buffer {
  const lines = [`${req.method ?? 'GET'} ${path} HTTP/1.1`]
  for (const [k, v] of Object.entries(headers)) for (const one of Array.isArray(v) ? v : [v]) lines.push(`${k}: ${one}`)
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')
}

/** A proxied upgrade: the request, its raw socket and early bytes, and where it goes. */
export interface ProxiedUpgrade {
  req: IncomingMessage
  socket: Duplex
  head: Buffer
  target: ProxyTarget
  rest: string
}

/** Passes an upgrade request (WebSocket through the proxy) to a pod or address, as raw bytes. */
export async function proxyUpgrade(
  ctx: StreamingContext,
  { req, socket, head, target, rest }: ProxiedUpgrade,
): Promise<void> {
  if (target.kind === 'agent') throw unreachable(new Error('upgrades through nodes/proxy are not supported'))
  const conn = await dialTarget(ctx, target)
  const path = rest.startsWith('/') ? rest : `/${rest}`
  const clientIp = req.socket.remoteAddress ?? ''
  const headers = forwardHeaders(req.headers, { host: hostOf(target), clientIp, keepUpgrade: true })
  conn.write(requestHead(req, path, headers))
  if (head.length) conn.write(head)
  conn.pipe(socket)
  socket.pipe(conn)
  const end = () => {
    conn.destroy()
    socket.destroy()
  }
  conn.on('error', end)
  socket.on('error', end)
  conn.on('close', end)
  socket.on('close', end)
}
