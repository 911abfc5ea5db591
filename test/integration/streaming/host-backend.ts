/**
 * A StreamingBackend for tests whose "containers" are host processes: exec spawns the command
 * (under `script` for a TTY, since Node has no pty), attach spawns the container's main command,
 * logs read a file per container, and port-forward dials 127.0.0.1. Not isolation, just enough
 * realism for kubectl to drive every streaming path end to end.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync, statSync } from 'node:fs'
import { connect } from 'node:net'
import { Readable } from 'node:stream'
import type { SessionStreams, StreamingBackend, TerminalSize } from '../../../src/nodeagent/streaming/backend.js'

/** What the fake node knows about one pod. */
export interface HostPod {
  /** Running containers (others are "not found", as a runtime would say). */
  containers: string[]
  /** Log file per container. */
  logs?: Record<string, string>
  /** The main process attach connects to, per container. */
  main?: Record<string, string[]>
  /** Called when an attached main process exits (the fake kubelet then completes the pod). */
  onExit?: (container: string, code: number) => void
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

/** Spawns argv (inside a pty via `script` when tty) and wires the session streams to it. */
function run(argv: string[], streams: SessionStreams, tty: boolean): ChildProcess {
  const child = tty
    ? spawn('script', ['-qefc', argv.map(quote).join(' '), '/dev/null'], { stdio: 'pipe' })
    : spawn(argv[0]!, argv.slice(1), { stdio: 'pipe' })
  if (streams.stdin) streams.stdin.pipe(child.stdin!)
  else child.stdin!.end()
  child.stdin!.on('error', () => {})
  if (streams.stdout) child.stdout!.pipe(streams.stdout)
  else child.stdout!.resume()
  if (streams.stderr) child.stderr!.pipe(streams.stderr)
  else if (tty && streams.stdout) child.stderr!.pipe(streams.stdout, { end: false })
  else child.stderr!.resume()
  streams.signal.addEventListener('abort', () => child.kill('SIGKILL'))
  return child
}

async function exitCode(child: ChildProcess): Promise<number> {
  const [code, signal] = await Promise.race([
    once(child, 'close') as Promise<[number | null, string | null]>,
    once(child, 'error').then(([e]) => {
      throw e
    }),
  ])
  return code ?? (signal ? 137 : 1)
}

/** Follows a file like `tail -f`: emits what exists (after tailLines), then appended bytes. */
function fileLog(path: string, opts: { tailLines?: number; follow: boolean; limitBytes?: number }): Readable {
  let text = readFileSync(path, 'utf8')
  if (opts.tailLines !== undefined) {
    const lines = text.split('\n')
    const last = lines.pop()
    text = lines.slice(Math.max(0, lines.length - opts.tailLines)).join('\n') + (lines.length ? '\n' : '') + last
  }
  if (opts.limitBytes !== undefined) text = text.slice(0, opts.limitBytes)
  let offset = statSync(path).size
  const out = new Readable({ read() {} })
  out.push(text)
  if (!opts.follow) {
    out.push(null)
    return out
  }
  const timer = setInterval(() => {
    const size = statSync(path).size
    if (size > offset) {
      out.push(readFileSync(path).subarray(offset, size))
      offset = size
    }
  }, 50)
  out.on('close', () => clearInterval(timer))
  return out
}

/** Builds the backend; `resizes` collects every TTY size the sessions received. */
export function hostBackend(pods: Map<string, HostPod>, resizes: TerminalSize[] = []): StreamingBackend {
  const find = (ns: string, pod: string, container: string): HostPod => {
    const p = pods.get(`${ns}/${pod}`)
    if (!p?.containers.includes(container)) throw new Error(`container "${container}" not found in pod "${pod}"`)
    return p
  }
  return {
    async exec(req, streams) {
      find(req.namespace, req.pod, req.container)
      streams.onResize(s => resizes.push(s))
      return exitCode(run(req.command, streams, req.tty))
    },
    async attach(req, streams) {
      const pod = find(req.namespace, req.pod, req.container)
      streams.onResize(s => resizes.push(s))
      const code = await exitCode(run(pod.main?.[req.container] ?? ['cat'], streams, req.tty))
      pod.onExit?.(req.container, code)
      return code
    },
    async logs(req) {
      const path = find(req.namespace, req.pod, req.container).logs?.[req.container]
      if (!path) return Readable.from([])
      return fileLog(path, req)
    },
    async portForward(req) {
      find(req.namespace, req.pod, pods.get(`${req.namespace}/${req.pod}`)!.containers[0]!)
      const sock = connect({ host: '127.0.0.1', port: req.port, allowHalfOpen: true })
      await Promise.race([
        once(sock, 'connect'),
        once(sock, 'error').then(([e]) => {
          throw e
        }),
      ])
      return sock
    },
  }
}
