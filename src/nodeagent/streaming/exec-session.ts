/**
 * One exec or attach session on the agent side: a `v5.channel.k8s.io` WebSocket turned into the
 * SessionStreams a backend uses, ending with the Status on channel 3 and a normal close. Knows
 * nothing about containers; the backend does.
 */
import { PassThrough, Writable } from 'node:stream'
import type { Logger } from 'pino'
import type { WebSocket } from 'ws'
import type { AttachRequest, ExecRequest } from '../../machinery/streaming/agent-protocol.js'
import { Channel, decodeChannelMessage, encodeChannelMessage } from '../../machinery/streaming/channel.js'
import {
  type ExecStatus,
  exitCodeStatus,
  internalErrorStatus,
  successStatus,
} from '../../machinery/streaming/exec-status.js'
import { parseTerminalSize, type TerminalSize } from '../../machinery/streaming/terminal-size.js'
import type { SessionStreams, StreamingBackend } from './backend.js'

/** A Writable that sends each chunk as one message on `channel`, with WebSocket backpressure. */
function channelWriter(ws: WebSocket, channel: number): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      if (ws.readyState !== ws.OPEN) return done()
      ws.send(encodeChannelMessage(channel, chunk), err => done(err && ws.readyState === ws.OPEN ? err : null))
    },
  })
}

function finished(w: Writable | undefined): Promise<void> {
  if (!w || w.writableFinished || w.destroyed) return Promise.resolve()
  return new Promise(resolve => {
    w.once('finish', resolve)
    w.once('close', resolve)
    w.once('error', () => resolve())
    if (!w.writableEnded) w.end()
  })
}

/** Wires the WebSocket to SessionStreams; returns them plus what the session end needs. */
function openStreams(ws: WebSocket, req: AttachRequest, abort: AbortController): SessionStreams {
  const stdin = req.stdin ? new PassThrough() : undefined
  let size: TerminalSize | undefined
  const listeners: ((s: TerminalSize) => void)[] = []
  ws.on('message', (raw: Buffer, isBinary: boolean) => {
    const msg = isBinary ? decodeChannelMessage(raw) : undefined
    if (!msg) return
    if (msg.channel === Channel.stdin && stdin && !stdin.writableEnded) {
      // Backpressure: stop reading the socket until the process takes its input.
      if (!stdin.write(msg.data)) {
        ws.pause()
        stdin.once('drain', () => ws.resume())
      }
    } else if (msg.channel === Channel.close && msg.data[0] === Channel.stdin) stdin?.end()
    else if (msg.channel === Channel.resize) {
      const s = parseTerminalSize(msg.data)
      if (s) {
        size = s
        for (const l of listeners) l(s)
      }
    }
  })
  ws.on('close', () => {
    abort.abort()
    if (stdin && !stdin.writableEnded) stdin.end()
  })
  return {
    stdin,
    stdout: req.stdout ? channelWriter(ws, Channel.stdout) : undefined,
    stderr: req.stderr && !req.tty ? channelWriter(ws, Channel.stderr) : undefined,
    onResize(listener) {
      listeners.push(listener)
      if (size) listener(size)
    },
    signal: abort.signal,
  }
}

/** The session to serve: which route, handled by which backend. */
export interface ExecSessionOptions {
  route: { kind: 'exec'; request: ExecRequest } | { kind: 'attach'; request: AttachRequest }
  backend: StreamingBackend
  log?: Logger
}

/** Runs one exec or attach over an accepted WebSocket; resolves when the socket is closed. */
export async function serveExecSession(ws: WebSocket, { route, backend, log }: ExecSessionOptions): Promise<void> {
  const abort = new AbortController()
  const streams = openStreams(ws, route.request, abort)
  let status: ExecStatus
  try {
    if (route.kind === 'exec') {
      const code = await backend.exec(route.request, streams)
      status = code === 0 ? successStatus() : exitCodeStatus(code, route.request.command)
    } else {
      const code = await backend.attach(route.request, streams)
      status = !code ? successStatus() : exitCodeStatus(code)
    }
  } catch (e) {
    log?.debug({ err: e, pod: `${route.request.namespace}/${route.request.pod}` }, 'Streaming session failed')
    const msg = (e as { status?: { message?: string } }).status?.message ?? (e as Error).message ?? String(e)
    status = internalErrorStatus(msg)
  }
  // Output first, then the Status: kubectl stops reading at the close.
  await Promise.all([finished(streams.stdout), finished(streams.stderr)])
  streams.stdin?.resume()
  if (ws.readyState === ws.OPEN) {
    ws.send(encodeChannelMessage(Channel.error, JSON.stringify(status)))
    ws.close(1000)
  }
  if (ws.readyState !== ws.CLOSED) await new Promise(resolve => ws.once('close', resolve))
}
