/**
 * The user-facing side of the streaming upgrades: deciding WebSocket vs SPDY, negotiating the
 * subprotocol, answering 101 (or a Status error) on the raw socket, and setting up the session.
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { createWebSocketStream, type WebSocket, WebSocketServer } from 'ws'
import { internalError, isStatusError, StatusError } from '../../machinery/status-error.js'
import { ChannelProtocol, negotiateProtocol, parseProtocolList } from '../../machinery/streaming/channel.js'
import { rawJsonResponse } from '../../machinery/streaming/raw-response.js'
import type { StreamingLog } from './context.js'
import { SpdySession } from './spdy-session.js'

/** remotecommand protocols we serve, preferred first (v1–v3 predate the Status error stream). */
export const execProtocols = [ChannelProtocol.v5, ChannelProtocol.v4] as const
/** The port-forward protocol over SPDY, and its WebSocket tunnel form (kubectl ≥1.31). */
export const portForwardProtocol = 'portforward.k8s.io'
/** The WebSocket subprotocol of kubectl's port-forward tunnel (SPDY frames inside). */
export const portForwardTunnelProtocol = 'SPDY/3.1+portforward.k8s.io'

/** Which transport the client asked for. */
export function upgradeKind(req: IncomingMessage): 'websocket' | 'spdy' | undefined {
  const u = (req.headers.upgrade ?? '').toLowerCase()
  if (u === 'websocket') return 'websocket'
  if (u.startsWith('spdy/3.1')) return 'spdy'
  return undefined
}

/** Offered subprotocols: Sec-WebSocket-Protocol, or the repeated X-Stream-Protocol-Version. */
export function offeredProtocols(req: IncomingMessage, kind: 'websocket' | 'spdy'): string[] {
  return parseProtocolList(
    kind === 'websocket' ? req.headers['sec-websocket-protocol'] : req.headers['x-stream-protocol-version'],
  )
}

/** 403 when no protocol matches, in the words of httpstream.Handshake. */
export function negotiationFailed(offered: string[], supported: readonly string[]): StatusError {
  const message = `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${supported.join(' ')}]`
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'Forbidden',
    code: 403,
  })
}

/** Picks the SPDY protocol or throws the 403. */
export function negotiate(offered: string[], supported: readonly string[]): string {
  const chosen = negotiateProtocol(offered, supported)
  if (!chosen) throw negotiationFailed(offered, supported)
  return chosen
}

/** Answers an upgrade with a Status error (any non-101 makes kubectl try its fallback). */
export function refuseUpgrade(socket: Duplex, err: unknown, opts: { log?: StreamingLog } = {}): void {
  let status = isStatusError(err) ? err.status : undefined
  if (!status) {
    opts.log?.error({ err }, 'Streaming upgrade failed')
    status = internalError().status
  }
  if (!socket.destroyed) socket.end(rawJsonResponse(status.code ?? 500, status))
}

/** Writes the SPDY 101 and returns the session running on the socket. */
export function acceptSpdy(
  socket: Duplex,
  { head, protocol, log }: { head: Buffer; protocol: string; log?: StreamingLog },
): SpdySession {
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: SPDY/3.1']
  socket.write(`${[...lines, `X-Stream-Protocol-Version: ${protocol}`].join('\r\n')}\r\n\r\n`)
  const session = new SpdySession(socket, log)
  if (head.length) session.receive(head)
  return session
}

type ChosenRequest = IncomingMessage & { chosenProtocol?: string }

/** A WebSocket upgrade to complete: the raw socket, early bytes, the chosen subprotocol. */
export interface WebSocketAccept {
  socket: Duplex
  head: Buffer
  protocol: string
  /** Runs inside the upgrade, before any message can be emitted. */
  onOpen: (ws: WebSocket) => void
}

/** The user-facing WebSocket endpoint (no server of its own: upgrades come from the API server). */
export class UserSockets {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    // The protocol was chosen before the upgrade; it travels on the request.
    handleProtocols: (_offered, req) => (req as ChosenRequest).chosenProtocol ?? false,
  })

  /**
   * Completes a WebSocket upgrade with the chosen subprotocol. `onOpen` runs synchronously in
   * the upgrade, before any message can be emitted: attach listeners there.
   */
  accept(req: IncomingMessage, { socket, head, protocol, onOpen }: WebSocketAccept): void {
    ;(req as ChosenRequest).chosenProtocol = protocol
    // NOTE: `SPDY/3.1+portforward.k8s.io` is not an RFC 7230 token ('/'), so ws would refuse the
    // handshake with 400; it never validates what handleProtocols returns, so swap in a token.
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(protocol)) req.headers['sec-websocket-protocol'] = 'petset-subprotocol'
    this.wss.handleUpgrade(req, socket, head, ws => {
      ws.on('error', () => {})
      onOpen(ws)
    })
  }

  /** Drops every open user WebSocket. */
  close(): void {
    for (const ws of this.wss.clients) ws.terminate()
    this.wss.close()
  }
}

/** The SPDY session of the port-forward WebSocket tunnel: SPDY bytes inside binary messages. */
export function tunnelSpdy(ws: WebSocket, log?: StreamingLog): SpdySession {
  return new SpdySession(createWebSocketStream(ws), log)
}
