/**
 * exec and attach for SPDY clients (kubectl ≤1.29, and the fallback of newer ones): translates
 * remotecommand v4/v5 over SPDY/3.1 into the agent's v5 WebSocket. Client streams are named by
 * their `streamtype` header; the agent's channel 3 Status goes out on the `error` stream, which
 * v4 and v5 clients decode as JSON (exit codes included).
 */
import type { WebSocket } from 'ws'
import {
  Channel,
  decodeChannelMessage,
  encodeChannelMessage,
  encodeCloseChannel,
} from '../../machinery/streaming/channel.js'
import { internalErrorStatus } from '../../machinery/streaming/exec-status.js'
import { JsonLineSplitter } from '../../machinery/streaming/terminal-size.js'
import type { AgentHandlers } from './agent-client.js'
import type { StreamingLog } from './context.js'
import type { SpdySession, SpdyStream } from './spdy-session.js'

/** The flags of the session, as the client sent them in the query. */
export interface StreamFlags {
  stdin: boolean
  stdout: boolean
  stderr: boolean
  tty: boolean
}

/** One SPDY exec/attach relay: the flags, and the agent session to relay to. */
export interface SpdyExecOptions {
  flags: StreamFlags
  /** The agent's session, already open. */
  agent: WebSocket
  /** Installs the relay's handlers on the agent session (see holdMessages). */
  attachAgent: (handlers: AgentHandlers) => void
  log?: StreamingLog
  /** How long the client has to open its streams (kubelet: 30s). */
  streamTimeoutMs?: number
}

/** Which streams a remotecommand v4/v5 client opens for these flags. */
export function expectedStreams(f: StreamFlags): Set<string> {
  const s = new Set(['error'])
  if (f.stdin) s.add('stdin')
  if (f.stdout) s.add('stdout')
  if (f.stderr && !f.tty) s.add('stderr')
  if (f.tty) s.add('resize')
  return s
}

const highWater = 1024 * 1024

/** Relays one SPDY exec/attach session to the agent until either side ends. */
export function relaySpdyExec(session: SpdySession, opts: SpdyExecOptions): void {
  const { agent, log } = opts
  const expected = expectedStreams(opts.flags)
  const streams = new Map<string, SpdyStream>()
  let started = false
  let sawStatus = false

  const toAgent = (msg: Buffer) => {
    if (agent.readyState !== agent.OPEN) return
    agent.send(msg, () => {
      if (agent.bufferedAmount < highWater) session.resume()
    })
    if (agent.bufferedAmount >= highWater) session.pause()
  }

  const timer = setTimeout(() => {
    log?.debug({ missing: [...expected].filter(t => !streams.has(t)) }, 'Client did not open its streams')
    agent.close(1000)
    session.destroy()
  }, opts.streamTimeoutMs ?? 30_000)
  timer.unref()

  session.on('stream', (s: SpdyStream) => {
    const type = s.streamType
    if (!expected.has(type) || streams.has(type)) return void s.destroy()
    streams.set(type, s)
    s.on('error', () => {})
    if (type === 'stdin') {
      s.on('data', (d: Buffer) => toAgent(encodeChannelMessage(Channel.stdin, d)))
      s.on('end', () => toAgent(encodeCloseChannel(Channel.stdin)))
    } else if (type === 'resize') {
      const lines = new JsonLineSplitter()
      s.on('data', (d: Buffer) => {
        for (const l of lines.push(d)) toAgent(encodeChannelMessage(Channel.resize, l))
      })
    } else s.resume()
    if (streams.size === expected.size) start()
  })

  session.on('close', () => {
    clearTimeout(timer)
    if (agent.readyState === agent.OPEN || agent.readyState === agent.CONNECTING) agent.close(1000)
  })

  function start(): void {
    if (started) return
    started = true
    clearTimeout(timer)
    opts.attachAgent({ message: fromAgent, close: agentClosed })
  }

  function fromAgent(raw: Buffer, isBinary: boolean): void {
    const msg = isBinary ? decodeChannelMessage(raw) : undefined
    if (!msg) return
    const target =
      msg.channel === Channel.stdout
        ? streams.get('stdout')
        : msg.channel === Channel.stderr
          ? streams.get('stderr')
          : msg.channel === Channel.error
            ? streams.get('error')
            : undefined
    if (msg.channel === Channel.error) sawStatus = true
    if (!target || target.writableEnded || !msg.data.length) return
    if (!target.write(msg.data)) {
      agent.pause()
      target.once('drain', () => agent.resume())
    }
  }

  function agentClosed(code: number, reason: string): void {
    const error = streams.get('error')
    if (!sawStatus && code !== 1000 && error && !error.writableEnded)
      error.write(JSON.stringify(internalErrorStatus(reason || 'the node agent ended the session')))
    const outputs = ['stdout', 'stderr', 'error'].map(t => streams.get(t)).filter(s => s && !s.writableEnded)
    let pending = outputs.length
    const allFlushed = () => {
      // kubectl closes the connection once it has read every stream to its FIN; the timer only
      // covers a client that never does.
      setTimeout(() => session.destroy(), 10_000).unref()
    }
    if (!pending) allFlushed()
    for (const s of outputs)
      s!.end(() => {
        if (--pending === 0) allFlushed()
      })
  }
}
