/**
 * The node agent's streaming server: authenticates the API server's bearer token, routes
 * /exec, /attach, /portForward (WebSocket upgrades) and /containerLogs (plain GET) to a
 * StreamingBackend. Mount it on the agent's own HTTP(S) server, or start a standalone one.
 */
import { timingSafeEqual } from 'node:crypto'
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import type { Logger } from 'pino'
import { WebSocketServer } from 'ws'
import {
  agentExecProtocol,
  agentPortForwardProtocol,
  parseAgentPath,
} from '../../machinery/streaming/agent-protocol.js'
import { parseProtocolList } from '../../machinery/streaming/channel.js'
import { rawJsonResponse } from '../../machinery/streaming/raw-response.js'
import type { StreamingBackend } from './backend.js'
import { serveExecSession } from './exec-session.js'
import { servePortForward } from './port-forward-session.js'

/** The backend, and the token the API server must present. */
export interface AgentStreamingOptions {
  backend: StreamingBackend
  /** The bearer token the API server presents (its nodeAgentToken). */
  token: string
  log?: Logger
}

/** The two entry points an HTTP server needs; each returns false for paths it does not own. */
export interface AgentStreamingHandler {
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean
  /** Closes every open session. */
  close(): void
}

interface ErrorLike {
  status?: { code?: number; reason?: string; message?: string }
  message?: string
}

/** A Status body for an error: a StatusError's own, else a 500 carrying the message. */
function statusOf(e: unknown, fallbackCode = 500): { code: number; body: object } {
  const err = e as ErrorLike
  if (err?.status?.code) return { code: err.status.code, body: { kind: 'Status', apiVersion: 'v1', ...err.status } }
  const reason = fallbackCode === 400 ? 'BadRequest' : 'InternalError'
  const body = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure' }
  return { code: fallbackCode, body: { ...body, message: err?.message ?? String(e), reason, code: fallbackCode } }
}

function isAuthorized(req: IncomingMessage, token: string): boolean {
  const auth = req.headers.authorization ?? ''
  const given = Buffer.from(auth.startsWith('Bearer ') ? auth.slice(7).trim() : '')
  const want = Buffer.from(token)
  return given.length === want.length && timingSafeEqual(given, want)
}

/** Builds the handler pair for the agent's server. */
export function createAgentStreamingHandler(opts: AgentStreamingOptions): AgentStreamingHandler {
  const { backend, log } = opts
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false })
  const unauthorized = statusOf({ status: { code: 401, reason: 'Unauthorized', message: 'Unauthorized' } })

  function route(url: string) {
    try {
      return { route: parseAgentPath(url) }
    } catch (e) {
      return { error: statusOf(e, 400) }
    }
  }

  return {
    handleRequest(req, res) {
      const r = route(req.url ?? '/')
      if (!r.error && r.route?.kind !== 'logs') return false
      const send = (s: { code: number; body: object }) => {
        res.writeHead(s.code, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify(s.body))
      }
      const refusal = !isAuthorized(req, opts.token)
        ? unauthorized
        : (r.error ??
          (req.method !== 'GET'
            ? statusOf({ status: { code: 405, reason: 'MethodNotAllowed', message: 'only GET is allowed' } })
            : undefined))
      if (refusal) {
        send(refusal)
        return true
      }
      const request = r.route!.request as Parameters<StreamingBackend['logs']>[0]
      backend.logs(request).then(
        stream => {
          res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' })
          res.flushHeaders()
          stream.pipe(res)
          stream.on('error', err => {
            log?.debug({ err }, 'Log stream failed')
            res.destroy()
          })
          res.on('close', () => stream.destroy())
        },
        e => send(statusOf(e)),
      )
      return true
    },

    handleUpgrade(req, socket, head) {
      const r = route(req.url ?? '/')
      const kind = r.route?.kind
      if (!r.error && (!kind || kind === 'logs')) return false
      const protocol = kind === 'portForward' ? agentPortForwardProtocol : agentExecProtocol
      const refusal = !isAuthorized(req, opts.token)
        ? unauthorized
        : (r.error ??
          (parseProtocolList(req.headers['sec-websocket-protocol']).includes(protocol)
            ? undefined
            : statusOf(new Error(`the WebSocket subprotocol ${protocol} is required`), 400)))
      if (refusal) {
        socket.end(rawJsonResponse(refusal.code, refusal.body))
        return true
      }
      wss.handleUpgrade(req, socket, head, ws => {
        // A protocol error from the peer surfaces as a close; without a listener it would crash.
        ws.on('error', err => log?.debug({ err }, 'Streaming WebSocket failed'))
        const route = r.route!
        const done =
          route.kind === 'portForward'
            ? servePortForward(ws, { request: route.request, backend, log })
            : route.kind === 'exec' || route.kind === 'attach'
              ? serveExecSession(ws, { route, backend, log })
              : Promise.resolve()
        done.catch(err => log?.error({ err }, 'Streaming session crashed'))
      })
      return true
    },

    close() {
      for (const ws of wss.clients) ws.terminate()
      wss.close()
    },
  }
}

/** A standalone server: where to listen, and TLS material if any. */
export interface StandaloneOptions extends AgentStreamingOptions {
  listen: { host: string; port: number }
  /** PEM cert and key; without them the server speaks plain HTTP. */
  tls?: { cert: string; key: string }
}

/** A running standalone streaming server. */
export interface StandaloneStreamingServer {
  url: string
  port: number
  close(): Promise<void>
}

/** Starts a server that serves only the streaming endpoints (404 for anything else). */
export async function startAgentStreamingServer(opts: StandaloneOptions): Promise<StandaloneStreamingServer> {
  const handler = createAgentStreamingHandler(opts)
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (handler.handleRequest(req, res)) return
    res.writeHead(404, { 'Content-Type': 'text/plain' })
    res.end('404 page not found\n')
  }
  const server: Server = opts.tls
    ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, onRequest)
    : createHttpServer(onRequest)
  server.on('upgrade', (req, socket, head) => {
    if (!handler.handleUpgrade(req, socket, head)) socket.end(rawJsonResponse(404, { message: 'not found' }))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.listen.port, opts.listen.host, resolve)
  })
  const port = (server.address() as AddressInfo).port
  const host = opts.listen.host.includes(':') ? `[${opts.listen.host}]` : opts.listen.host
  return {
    url: `${opts.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    async close() {
      handler.close()
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
    },
  }
}
