/**
 * The seam between the node agent's streaming server and whatever runs containers: the agent
 * implements StreamingBackend with its runtimes; this folder speaks the wire protocol. Types only.
 */
import type { Duplex, Readable, Writable } from 'node:stream'
import type {
  AttachRequest,
  ExecRequest,
  LogRequest,
  PortForwardRequest,
} from '../../machinery/streaming/agent-protocol.js'
import type { TerminalSize } from '../../machinery/streaming/terminal-size.js'

/** The request shapes, re-exported for backend authors. */
export type { AttachRequest, ExecRequest, LogRequest, PortForwardRequest, TerminalSize }

/**
 * The user's side of an exec or attach session. Each stream is present only when the request
 * asked for it (`stderr` never with a TTY: the terminal merges it into stdout).
 */
export interface SessionStreams {
  /** What the user types or pipes; ends when the user's stdin reaches EOF. */
  stdin?: Readable
  /** End these (pipe() does) or leave them open: the server ends them once the session settles. */
  stdout?: Writable
  stderr?: Writable
  /** Registers the TTY resize listener; the latest size so far is delivered at once. */
  onResize(listener: (size: TerminalSize) => void): void
  /** Aborted when the user goes away; stop the session then. */
  signal: AbortSignal
}

/**
 * What the node agent provides. Errors: reject with a StatusError (machinery/status-error) to
 * choose the HTTP code and reason (e.g. 400 BadRequest `container "x" in pod "y" is waiting to
 * start: ContainerCreating`); any other Error becomes a 500 whose message the user sees, so
 * messages must be fit for users.
 */
export interface StreamingBackend {
  /**
   * Runs req.command in the container and resolves with its exit code once the process has exited
   * and its output streams are drained (child_process 'close', not 'exit'). Rejecting ends the
   * session with an InternalError status carrying the message, e.g.
   * `container "nope" not found in pod "web-0"`.
   */
  exec(req: ExecRequest, streams: SessionStreams): Promise<number>
  /**
   * Connects the streams to the container's main process; resolves when the session ends: with
   * the container's exit code if it exited (non-zero is reported to kubectl), or undefined if
   * only the attachment ended.
   */
  attach(req: AttachRequest, streams: SessionStreams): Promise<number | undefined>
  /**
   * Opens the container's log. Reject before resolving for errors the user should see as a
   * Status; the stream is piped to the client and destroyed when the client disconnects (for
   * `follow`, keep it open and keep appending until the container stops).
   */
  logs(req: LogRequest): Promise<Readable>
  /**
   * Connects to req.port inside the pod's network and resolves with the connection. Half-close
   * matters: when the user's side ends, the server calls end() on it; end it when the pod's side
   * reaches EOF. Reject when the dial fails (the message reaches kubectl).
   */
  portForward(req: PortForwardRequest): Promise<Duplex>
}
