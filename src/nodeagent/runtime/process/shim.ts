/**
 * The container shim: one small detached Node process per container (containerd's shim, conmon),
 * so containers outlive the node agent. It starts the container's process (the command itself
 * for the process runtime, `runc run` for runc), owns its stdio pipes, writes the CRI log,
 * serves attach sessions on a unix socket, and records the exit status in files the agent reads
 * (also after an agent restart). Runs as `node shim-main.js <container dir>`; node built-ins only.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs'
import { createServer, type Socket } from 'node:net'
import { constants } from 'node:os'
import { join } from 'node:path'
import { CriLineWriter, type LogStream, rfc3339Nano } from './cri-log.js'
import { encodeFrame, FrameDecoder, FrameType } from './frames.js'
import { resizeScriptPty, underScript } from './tty.js'

/** What the shim runs (`shim.json` in the container directory, written by the runtime). */
export interface ShimSpec {
  id: string
  command: string[]
  env: Record<string, string>
  cwd: string
  uid?: number
  gid?: number
  /** Run under a pseudo-terminal (see tty.ts); stdout and stderr then arrive merged as stdout. */
  tty: boolean
  /** Keep the process's stdin open for attach sessions (else it reads /dev/null). */
  stdin: boolean
  /** Close stdin when the first attach session that used it ends. */
  stdinOnce: boolean
  logPath: string
  /** The attach socket (a short path: unix socket paths are limited to 107 bytes). */
  sockPath: string
  /** The process gets its own session and process group, so signalling -pid reaches all of it. */
  newSession: boolean
}

/** `state.json`, written once the process has been spawned. */
export interface ShimState {
  shimPid: number
  pid: number
  startedAt: number
}

/** `exit.json`, written once the process has exited and its output drained. */
export interface ShimExit {
  exitCode: number
  finishedAt: number
  /** Set when the process could not be started at all. */
  startError?: string
}

/** File names inside a container directory. */
export const ShimFiles = { spec: 'shim.json', state: 'state.json', exit: 'exit.json', log: 'shim.log' } as const

/** Writes JSON atomically (temp file + rename), so a reader never sees half a file. */
export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(value))
  renameSync(`${file}.tmp`, file)
}

/** At most this much output of a stdinOnce container is kept for its first attach session. */
const earlyLimit = 256 * 1024

/** Runs the shim for the container in dir; exits the process when the container has exited. */
export function runShim(dir: string): void {
  const spec = JSON.parse(readFileSync(join(dir, ShimFiles.spec), 'utf8')) as ShimSpec
  const logFd = openSync(spec.logPath, 'a')
  // Attach sessions. Output reaches a session once its Hello was read (`ready`); until then it
  // waits in `pending`, so a replay of earlier output comes first.
  const clients = new Map<Socket, { ready: boolean; pending: Buffer[]; earlyCount: number }>()
  // NOTE: what a stdinOnce container (`kubectl run -i`) writes before its first stdin session is
  // kept (up to earlyLimit bytes) and replayed to that session. containerd drops it; there the
  // kubelet reports Running late enough that kubectl mostly finds a short command completed and
  // prints its logs. Here Running is reported at once, and `kubectl run -it --rm ... -- dig ...`
  // would often attach after dig printed and show nothing.
  let early: Buffer[] | undefined = spec.stdinOnce ? [] : undefined
  let earlyBytes = 0
  const earlyOf = (session: { earlyCount: number }) => {
    const replay = early?.slice(0, session.earlyCount) ?? []
    early = undefined
    return replay
  }
  const now = () => {
    const ms = Date.now()
    return rfc3339Nano(ms, Number(process.hrtime.bigint() % 1_000_000n))
  }
  const writers: Record<LogStream, CriLineWriter> = {
    stdout: new CriLineWriter('stdout', b => writeSync(logFd, b), now),
    stderr: new CriLineWriter('stderr', b => writeSync(logFd, b), now),
  }
  const argv = spec.tty ? underScript(spec.command) : spec.command
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: spec.cwd,
    env: spec.env,
    uid: spec.uid,
    gid: spec.gid,
    detached: spec.newSession,
    stdio: [spec.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  })
  let stdinOpen = spec.stdin
  let stdinUsed = false
  const closeStdin = () => {
    stdinOpen = false
    child.stdin?.end()
  }
  child.stdin?.on('error', () => (stdinOpen = false))
  const forward = (stream: LogStream, type: number) => (chunk: Buffer) => {
    writers[stream].push(chunk)
    const frame = encodeFrame(type, chunk)
    if (early && earlyBytes < earlyLimit) {
      early.push(frame)
      earlyBytes += frame.length
    }
    for (const [c, session] of clients) {
      if (session.ready) c.write(frame)
      else session.pending.push(frame)
    }
  }
  child.stdout!.on('data', forward('stdout', FrameType.Stdout))
  child.stderr!.on('data', forward('stderr', FrameType.Stderr))

  const server = createServer(sock => serveAttach(sock))
  const serveAttach = (sock: Socket) => {
    const session = { ready: false, pending: [] as Buffer[], earlyCount: early?.length ?? 0 }
    clients.set(sock, session)
    const decoder = new FrameDecoder()
    let wantsStdin = false
    const sessionEnd = () => {
      clients.delete(sock)
      if (spec.stdinOnce && (wantsStdin || stdinUsed) && stdinOpen) closeStdin()
    }
    // Frames act in order: input typed after a resize reaches a terminal of the new size.
    let queue = Promise.resolve()
    const act = (f: { type: number; payload: Buffer }) => {
      if (f.type === FrameType.Hello) {
        wantsStdin = JSON.parse(f.payload.toString()).stdin === true
        for (const b of [...(wantsStdin ? earlyOf(session) : []), ...session.pending.splice(0)]) sock.write(b)
        session.ready = true
      } else if (f.type === FrameType.Stdin && stdinOpen) {
        stdinUsed = true
        child.stdin?.write(f.payload)
      } else if (f.type === FrameType.StdinEnd && spec.stdinOnce && stdinOpen) closeStdin()
      else if (f.type === FrameType.Resize && spec.tty && child.pid)
        return resizeScriptPty(child.pid, JSON.parse(f.payload.toString()))
    }
    sock.on('data', chunk => {
      for (const f of decoder.push(chunk))
        queue = queue
          .then(() => act(f))
          .then(
            () => {},
            () => {},
          )
    })
    sock.on('close', () => void queue.then(sessionEnd))
    sock.on('error', () => sock.destroy())
  }

  let finished = false
  const finish = (exit: ShimExit) => {
    if (finished) return
    finished = true
    writeJsonAtomic(join(dir, ShimFiles.exit), exit)
    closeSync(logFd)
    const frame = encodeFrame(FrameType.Exit, JSON.stringify({ exitCode: exit.exitCode }))
    // A session whose Hello is still on its way is taken for the stdin session it most likely is.
    for (const [c, session] of clients) {
      if (!session.ready) for (const b of [...earlyOf(session), ...session.pending]) c.write(b)
      c.end(frame)
    }
    server.close()
    try {
      unlinkSync(spec.sockPath)
    } catch {}
    // Let the exit frames flush; never linger if a client does not read.
    setTimeout(() => process.exit(0), 200).unref()
  }
  child.on('error', err => {
    if (child.pid === undefined)
      finish({ exitCode: 128, finishedAt: Date.now(), startError: startErrorText(argv, err) })
  })
  child.on('spawn', () => {
    const state: ShimState = { shimPid: process.pid, pid: child.pid!, startedAt: Date.now() }
    try {
      unlinkSync(spec.sockPath)
    } catch {}
    // The state file says "running": write it once attach sessions can connect.
    server.listen(spec.sockPath, () => writeJsonAtomic(join(dir, ShimFiles.state), state))
    server.on('error', () => writeJsonAtomic(join(dir, ShimFiles.state), state))
  })
  child.on('close', (code, signal) => finish({ exitCode: exitCodeOf(code, signal), finishedAt: Date.now() }))
  watchParentSignals(child)
}

/** 128+n for a process killed by signal n, as shells and the kubelet report it. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code
  const n = signal ? (constants.signals as Record<string, number>)[signal] : undefined
  return 128 + (n ?? 0)
}

function startErrorText(argv: string[], err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return `exec: "${argv[0]}": executable file not found in $PATH`
  if (err.code === 'EACCES') return `exec: "${argv[0]}": permission denied`
  return `exec: "${argv[0]}": ${err.message}`
}

// The shim runs in its own session, so terminal signals never reach it; a TERM sent to the shim
// itself (e.g. an operator's kill) is passed on rather than orphaning the container.
function watchParentSignals(child: ChildProcess): void {
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => child.kill(sig))
}
