/**
 * An exec session: one child process of the agent wired to the user's streams (under `script`
 * for a TTY, see tty.ts). Exec sessions belong to the agent: they end if it restarts. Also the
 * TCP dial of port-forward.
 */
import { spawn } from 'node:child_process'
import { connect, type Socket } from 'node:net'
import type { ExecStreams } from '../runtime.js'
import { exitCodeOf } from './shim.js'
import { resizeScriptPty, underScript } from './tty.js'

/** How to start the session's process. */
export interface SessionCommand {
  argv: string[]
  env?: Record<string, string>
  cwd?: string
  uid?: number
  gid?: number
}

/** Runs the command with the streams; resolves with its exit code once its output has drained. */
export function runSession(cmd: SessionCommand, streams: ExecStreams & { tty: boolean }): Promise<number> {
  let size: { width: number; height: number } | undefined
  let resize = (s: { width: number; height: number }) => void (size = s)
  if (streams.tty) streams.onResize(s => resize(s)) // delivers the current size at once
  const argv = streams.tty ? underScript(cmd.argv, size) : cmd.argv
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      env: cmd.env ?? (process.env as Record<string, string>),
      cwd: cmd.cwd,
      uid: cmd.uid,
      gid: cmd.gid,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let killTimer: NodeJS.Timeout | undefined
    const onAbort = () => {
      child.kill('SIGTERM')
      killTimer = setTimeout(() => child.kill('SIGKILL'), 2_000)
      killTimer.unref()
    }
    child.on('error', err => {
      streams.signal.removeEventListener('abort', onAbort)
      reject(err)
    })
    child.stdin.on('error', () => {}) // the process may exit without reading its input
    if (streams.stdin) streams.stdin.pipe(child.stdin)
    // Without stdin, a TTY session keeps script's input open: at EOF script writes an end-of-file
    // character to the terminal, which a raw-mode terminal (runc exec -t) shows as ^@.
    else if (!streams.tty) child.stdin.end()
    child.stdout.on('data', (d: Buffer) => streams.stdout?.write(d))
    child.stderr.on('data', (d: Buffer) => (streams.tty ? streams.stdout : streams.stderr)?.write(d))
    resize = s => void (child.pid && resizeScriptPty(child.pid, s))
    if (streams.signal.aborted) onAbort()
    else streams.signal.addEventListener('abort', onAbort)
    child.on('close', (code, signal) => {
      clearTimeout(killTimer)
      streams.signal.removeEventListener('abort', onAbort)
      streams.stdin?.unpipe(child.stdin)
      resolve(exitCodeOf(code, signal))
    })
  })
}

/** Connects to host:port; rejects with a Go-style dial error (what kubectl port-forward shows). */
export function dialTcp(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port })
    sock.once('connect', () => {
      sock.removeAllListeners('error')
      resolve(sock)
    })
    sock.once('error', err => reject(new Error(`dial tcp ${host}:${port}: ${err.message}`)))
  })
}
