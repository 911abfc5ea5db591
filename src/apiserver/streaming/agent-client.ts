/**
 * The API server's client for the node agent's streaming server (the internal protocol in
 * src/nodeagent/streaming/README.md): WebSocket sessions for exec/attach, a Duplex per
 * port-forward connection, and plain GETs for logs. Agent failures become StatusErrors.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { Duplex } from 'node:stream'
import { WebSocket } from 'ws'
import type { Status } from '../../api/meta.js'
import { StatusError } from '../../machinery/status-error.js'
import {
  agentPortForwardProtocol,
  type PortForwardRequest,
  portForwardPath,
} from '../../machinery/streaming/agent-protocol.js'

/** Where a node agent listens and how the API server authenticates to it. */
export interface AgentTarget {
  /** Base URL, e.g. `https://10.0.0.5:10250`. */
  url: string
  /** Bearer token the agent accepts (the API server's nodeAgentToken). */
  token: string
  /** PEM CA for an https agent; without it the agent's certificate is not verified (as upstream without --kubelet-certificate-authority). */
  ca?: string
}

function tlsOptions(target: AgentTarget) {
  return target.ca ? { ca: target.ca } : { rejectUnauthorized: false }
}

/** 500 `error dialing backend: <why>`, kube-apiserver's text when the kubelet is unreachable. */
export function dialError(e: unknown): StatusError {
  const message = `error dialing backend: ${(e as Error)?.message ?? String(e)}`
  return new StatusError(
    { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 },
    { cause: e },
  )
}

/** A non-2xx agent reply as a StatusError: its own Status when it sent one, else one built from the text. */
export function agentError(code: number, body: string): StatusError {
  try {
    const s = JSON.parse(body) as Status
    if (s && s.status === 'Failure')
      return new StatusError({ ...s, kind: 'Status', apiVersion: 'v1', code: s.code ?? code })
  } catch {}
  const reason =
    code === 400 ? 'BadRequest' : code === 404 ? 'NotFound' : code === 401 ? 'Unauthorized' : 'InternalError'
  const message = body.trim() || `the node agent replied ${code}`
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code })
}

function readBody(res: IncomingMessage, limit = 64 * 1024): Promise<string> {
  return new Promise(resolve => {
    const chunks: Buffer[] = []
    let size = 0
    res.on('data', (c: Buffer) => {
      if ((size += c.length) <= limit) chunks.push(c)
    })
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    res.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')))
  })
}

/** An open agent session: the socket, and the installer of its message and close handlers. */
export interface AgentSession {
  ws: WebSocket
  /** Installs the handlers; whatever arrived before is replayed first (see holdMessages). */
  attach: (handlers: AgentHandlers) => void
}

/**
 * Opens a WebSocket to an agent path; rejects with the agent's Status, or a dial error.
 * Messages are held from the first byte on, so none is lost before the relay is ready.
 */
export function dialAgentWebSocket(
  target: AgentTarget,
  { path, protocol }: { path: string; protocol: string },
): Promise<AgentSession> {
  const url = target.url.replace(/^http/, 'ws') + path
  const ws = new WebSocket(url, [protocol], {
    headers: { Authorization: `Bearer ${target.token}` },
    perMessageDeflate: false,
    ...tlsOptions(target),
  })
  const attach = holdMessages(ws)
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(dialError(e))
    const quiet = () => {
      ws.off('error', onError)
      // Later errors surface as a close; an 'error' with no listener would crash the process.
      ws.on('error', () => {})
    }
    ws.once('open', () => {
      quiet()
      resolve({ ws, attach })
    })
    ws.once('unexpected-response', (_req, res) => {
      quiet()
      readBody(res).then(body => {
        reject(agentError(res.statusCode ?? 500, body))
        ws.terminate()
      })
    })
    ws.once('error', onError)
  })
}

/** GETs an agent path; resolves with the 200 response to stream, rejects with a StatusError. */
export function getFromAgent(
  target: AgentTarget,
  { path, signal }: { path: string; signal: AbortSignal },
): Promise<IncomingMessage> {
  const url = new URL(path, target.url)
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: { Authorization: `Bearer ${target.token}` },
      signal,
      ...(url.protocol === 'https:' ? tlsOptions(target) : {}),
    })
    req.on('response', res => {
      if (res.statusCode === 200) return resolve(res)
      readBody(res).then(body => reject(agentError(res.statusCode ?? 500, body)))
    })
    req.on('error', e => reject(dialError(e)))
    req.end()
  })
}

/**
 * One port-forward connection as a Duplex: writes become binary messages, end() half-closes
 * (empty message), an empty message from the agent ends the readable side, and an agent error
 * (text message) destroys the stream with that message.
 */
class TunnelStream extends Duplex {
  private error: string | undefined
  private readonly ws: WebSocket

  constructor({ ws, attach }: AgentSession) {
    super({ allowHalfOpen: true })
    this.ws = ws
    attach({
      message: (data, isBinary) => {
        if (!isBinary) this.error ??= data.toString('utf8')
        else if (!data.length) this.push(null)
        else if (!this.push(data)) ws.pause()
      },
      close: (code, reason) => {
        if (code !== 1000 && code !== 1005) this.destroy(new Error(this.error ?? (reason || `closed (${code})`)))
        else {
          // Not destroy(): data not yet read must still reach the consumer.
          this.push(null)
          if (!this.writableEnded) this.end()
        }
      },
    })
  }

  override _read(): void {
    this.ws.resume()
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    // An empty message is the half-close: an empty write (Node's HTTP client ends a request body
    // with one) must not end the pod's side before the reply.
    if (!chunk.length) {
      done()
      return
    }
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(chunk, err => done(err))
    else done(new Error('port-forward tunnel closed'))
  }

  override _final(done: (e?: Error | null) => void): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(Buffer.alloc(0), err => done(err))
    else done()
  }

  override _destroy(err: Error | null, done: (e: Error | null) => void): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(1000)
    done(err)
  }
}

/** Opens one forwarded connection to a pod port through its agent. */
export async function openAgentTunnel(target: AgentTarget, req: PortForwardRequest): Promise<Duplex> {
  return new TunnelStream(
    await dialAgentWebSocket(target, { path: portForwardPath(req), protocol: agentPortForwardProtocol }),
  )
}

/** What a relay does with the agent's side of a session. */
export interface AgentHandlers {
  message(data: Buffer, isBinary: boolean): void
  close(code: number, reason: string): void
}

/**
 * Holds a WebSocket's messages and its close until the relay is ready (the user's side of the
 * session may still be upgrading); returns the function that installs the handlers and replays
 * what was held, in order.
 */
export function holdMessages(ws: WebSocket): (handlers: AgentHandlers) => void {
  const held: [Buffer, boolean][] = []
  let closed: [number, string] | undefined
  let h: AgentHandlers | undefined
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (h) h.message(data, isBinary)
    else held.push([data, isBinary])
  })
  ws.on('close', (code: number, reason: Buffer) => {
    if (h) h.close(code, String(reason))
    else closed = [code, String(reason)]
  })
  return handlers => {
    for (const [data, isBinary] of held.splice(0)) handlers.message(data, isBinary)
    h = handlers
    if (closed) handlers.close(...closed)
  }
}
