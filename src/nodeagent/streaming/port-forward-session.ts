/**
 * One forwarded TCP connection on the agent side (`petset.portforward.v1`): binary messages carry
 * bytes, an empty binary message half-closes its direction, a text message carries an error, and
 * the close frame ends the connection. (The API server's end of the tunnel is
 * src/apiserver/streaming/agent-client.ts.)
 */
import type { Duplex } from 'node:stream'
import type { Logger } from 'pino'
import type { WebSocket } from 'ws'
import type { PortForwardRequest } from '../../machinery/streaming/agent-protocol.js'
import type { StreamingBackend } from './backend.js'

/** WebSocket close reasons are limited to 123 bytes. */
function closeReason(message: string): string {
  const b = Buffer.from(message, 'utf8')
  return b.length <= 123
    ? message
    : b
        .subarray(0, 120)
        .toString('utf8')
        .replace(/\uFFFD$/, '') + '...'
}

/** Reports an error to the API server: a text message, then close 1011 with the message. */
export function failPortForward(ws: WebSocket, message: string): void {
  if (ws.readyState !== ws.OPEN) return
  ws.send(message)
  ws.close(1011, closeReason(message))
}

/** Copies bytes both ways between the WebSocket and conn, honouring half-close and backpressure. */
export function bridgeConnection(ws: WebSocket, conn: Duplex, { log }: { log?: Logger } = {}): Promise<void> {
  return new Promise(resolve => {
    let inflight = 0
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return
      if (!data.length) return void conn.end()
      if (conn.writableEnded) return
      if (!conn.write(data)) {
        ws.pause()
        conn.once('drain', () => ws.resume())
      }
    })
    conn.on('data', (chunk: Buffer) => {
      if (ws.readyState !== ws.OPEN) return
      inflight++
      if (inflight > 16) conn.pause()
      ws.send(chunk, () => {
        if (--inflight <= 16) conn.resume()
      })
    })
    conn.on('end', () => {
      if (ws.readyState === ws.OPEN) ws.send(Buffer.alloc(0))
    })
    conn.on('error', err => {
      log?.debug({ err }, 'Port-forward connection failed')
      failPortForward(ws, err.message)
    })
    conn.on('close', () => {
      if (ws.readyState === ws.OPEN) ws.close(1000)
    })
    ws.on('close', () => {
      conn.destroy()
      resolve()
    })
  })
}

/** Dials the pod through the backend and bridges; errors go back as a text message and 1011. */
export async function servePortForward(
  ws: WebSocket,
  { request, backend, log }: { request: PortForwardRequest; backend: StreamingBackend; log?: Logger },
): Promise<void> {
  // The client may write before the dial completes: hold its messages in the socket until then.
  ws.pause()
  let conn: Duplex
  try {
    conn = await backend.portForward(request)
  } catch (e) {
    ws.resume()
    const reason = (e as { status?: { message?: string } }).status?.message ?? (e as Error).message ?? String(e)
    failPortForward(ws, reason)
    return
  }
  if (ws.readyState !== ws.OPEN) return void conn.destroy()
  const bridged = bridgeConnection(ws, conn, { log })
  ws.resume()
  await bridged
}
