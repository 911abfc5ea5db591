/**
 * The API server's streaming subresources in one handler pair: pods/exec, pods/attach and
 * pods/portforward (WebSocket v5/v4, SPDY/3.1, and the SPDY-in-WebSocket port-forward tunnel),
 * pods/log, and pods/services/nodes proxy. Everything goes to the pod's node agent over the
 * internal protocol (src/nodeagent/streaming/README.md). The caller authenticates first.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { badRequest } from '../../machinery/status-error.js'
import {
  type AttachRequest,
  agentExecProtocol,
  readStreamFlags,
  streamPath,
} from '../../machinery/streaming/agent-protocol.js'
import { parseRequestPath, type ResourceRequest } from '../http/request-info.js'
import { sendError } from '../http/respond.js'
import { dialAgentWebSocket } from './agent-client.js'
import { type StreamingContext, type StreamingOptions, streamingContext } from './context.js'
import { relaySpdyExec } from './exec-spdy.js'
import { relayWebSocketExec } from './exec-ws.js'
import { containerFor } from './locate.js'
import { logRequestFor, streamLogs } from './logs.js'
import { servePortForwardSession } from './portforward.js'
import { proxyHttp, proxyRest, proxyUpgrade, resolveTarget } from './proxy.js'
import type { SpdySession } from './spdy-session.js'
import {
  acceptSpdy,
  execProtocols,
  negotiate,
  offeredProtocols,
  portForwardProtocol,
  portForwardTunnelProtocol,
  refuseUpgrade,
  tunnelSpdy,
  UserSockets,
  upgradeKind,
} from './upgrade.js'

/** Types a caller of createStreamingHandler may need. */
export type { AgentTarget } from './agent-client.js'
export type { StreamingLog, StreamingOptions, StreamingResource } from './context.js'
export type { AgentDefaults } from './locate.js'

/** The entry points the API server calls; each returns false for requests it does not serve. */
export interface StreamingHandler {
  /** From the server's 'upgrade' event, after authentication. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, info?: ResourceRequest): boolean
  /** From the resource handler (pods/log and the proxy subresources), after authentication; resolves once answered. */
  handleRequest(req: IncomingMessage, res: ServerResponse, info?: ResourceRequest): Promise<boolean>
  /** Ends every open session (server shutdown). */
  close(): void
}

const proxyResources = new Set(['pods', 'services', 'nodes'])

function resourceInfo(req: IncomingMessage, info?: ResourceRequest): ResourceRequest | undefined {
  const parsed = info ?? parseRequestPath(new URL(req.url ?? '/', 'http://x').pathname)
  if (parsed.type !== 'resource' || parsed.group !== '' || parsed.version !== 'v1' || !parsed.name) return undefined
  return parsed
}

/** Builds the handler pair. */
export function createStreamingHandler(opts: StreamingOptions): StreamingHandler {
  const ctx = streamingContext(opts)
  const sockets = new UserSockets()
  const sessions = new Set<SpdySession>()
  const track = (s: SpdySession) => {
    sessions.add(s)
    s.on('close', () => sessions.delete(s))
    return s
  }

  async function upgradeStream(req: IncomingMessage, socket: Duplex, head: Buffer, info: ResourceRequest) {
    const kind = upgradeKind(req)
    if (!kind) throw badRequest('Upgrade request required')
    const query = new URL(req.url ?? '/', 'http://x').searchParams
    const pod = await ctx.getPod(info.namespace ?? 'default', info.name!)
    if (info.subresource === 'portforward') {
      const protocol = negotiate(
        offeredProtocols(req, kind),
        kind === 'websocket' ? [portForwardTunnelProtocol] : [portForwardProtocol],
      )
      const target = await ctx.agentOf(pod)
      const serve = (session: SpdySession) => servePortForwardSession(track(session), { pod, target, log: ctx.log })
      if (kind === 'spdy') serve(acceptSpdy(socket, { head, protocol, log: ctx.log }))
      else sockets.accept(req, { socket, head, protocol, onOpen: ws => serve(tunnelSpdy(ws, ctx.log)) })
      return
    }
    const protocol = negotiate(offeredProtocols(req, kind), execProtocols)
    const flags = readStreamFlags(query)
    const request: AttachRequest = {
      namespace: pod.metadata.namespace ?? 'default',
      pod: pod.metadata.name ?? '',
      container: containerFor(pod, query.get('container')),
      ...flags,
    }
    const command = query.getAll('command')
    if (info.subresource === 'exec' && !command.length)
      throw badRequest('you must specify at least one command for the container')
    if (!flags.stdin && !flags.stdout && !flags.stderr)
      throw badRequest('you must specify at least 1 of stdin, stdout, stderr')
    const target = await ctx.agentOf(pod)
    const path =
      info.subresource === 'exec' ? streamPath('exec', { ...request, command }) : streamPath('attach', request)
    const agent = await dialAgentWebSocket(target, { path, protocol: agentExecProtocol })
    if (socket.destroyed) return void agent.ws.close(1000)
    if (kind === 'websocket')
      sockets.accept(req, { socket, head, protocol, onOpen: ws => relayWebSocketExec(ws, agent) })
    else
      relaySpdyExec(track(acceptSpdy(socket, { head, protocol, log: ctx.log })), {
        flags,
        agent: agent.ws,
        attachAgent: agent.attach,
        log: ctx.log,
      })
  }

  async function upgradeProxy(req: IncomingMessage, socket: Duplex, head: Buffer, info: ResourceRequest) {
    const rest = proxyRest(req.url ?? '/') ?? '/'
    const target = await resolveTarget(ctx, { resource: info.resource, namespace: info.namespace, id: info.name! })
    await proxyUpgrade(ctx, { req, socket, head, target, rest })
  }

  async function serve(req: IncomingMessage, res: ServerResponse, info: ResourceRequest, ctx: StreamingContext) {
    const url = new URL(req.url ?? '/', 'http://x')
    if (info.subresource === 'log') {
      if (req.method !== 'GET') throw badRequest(`the server does not allow this method on the requested resource`)
      const pod = await ctx.getPod(info.namespace ?? 'default', info.name!)
      const request = logRequestFor(pod, url.searchParams)
      return streamLogs(res, { request, target: pod.spec.nodeName ? await ctx.agentOf(pod) : undefined })
    }
    if (info.subresource !== 'proxy') throw badRequest('Upgrade request required')
    const rest = proxyRest(req.url ?? '/') ?? ''
    if (!rest && (req.method === 'GET' || req.method === 'HEAD')) {
      // kube-apiserver redirects `…/proxy` to `…/proxy/` so relative links resolve.
      res.writeHead(301, { Location: `${url.pathname}/${url.search}` })
      return void res.end()
    }
    const target = await resolveTarget(ctx, { resource: info.resource, namespace: info.namespace, id: info.name! })
    await proxyHttp(ctx, { req, res, target, rest: rest || '/' })
  }

  return {
    handleUpgrade(req, socket, head, given) {
      const info = resourceInfo(req, given)
      if (!info) return false
      const sub = info.subresource
      const isStream = info.resource === 'pods' && (sub === 'exec' || sub === 'attach' || sub === 'portforward')
      const isProxy = sub === 'proxy' && proxyResources.has(info.resource)
      if (!isStream && !isProxy) return false
      socket.on('error', () => {})
      const run = isStream ? upgradeStream : upgradeProxy
      run(req, socket, head, info).catch(e => refuseUpgrade(socket, e, { log: ctx.log }))
      return true
    },

    async handleRequest(req, res, given) {
      const info = resourceInfo(req, given)
      if (!info) return false
      const sub = info.subresource
      const isPodStream = info.resource === 'pods' && ['log', 'exec', 'attach', 'portforward'].includes(sub ?? '')
      if (!isPodStream && !(sub === 'proxy' && proxyResources.has(info.resource))) return false
      try {
        await serve(req, res, info, ctx)
      } catch (e) {
        if (res.headersSent) res.destroy()
        else sendError(res, e, err => ctx.log?.error({ err }, 'Streaming request failed'))
      }
      return true
    },

    close() {
      sockets.close()
      for (const s of sessions) s.destroy()
    },
  }
}
