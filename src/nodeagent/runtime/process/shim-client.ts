/**
 * The agent's side of the container shim (shim.ts): starting one detached, reading the state and
 * exit files it writes, checking that it still lives, and attach sessions over its socket.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ExecStreams } from '../runtime.js'
import { encodeFrame, FrameDecoder, FrameType } from './frames.js'
import { type ShimExit, ShimFiles, type ShimSpec, type ShimState, writeJsonAtomic } from './shim.js'

// Run from TypeScript sources (tests, `tsx`), the shim needs the same loader; from dist it is plain JS.
const selfUrl = import.meta.url
const shimMain = fileURLToPath(new URL(selfUrl.endsWith('.ts') ? './shim-main.ts' : './shim-main.js', selfUrl))
const loaderArgs = (): string[] => (shimMain.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [])

/** Writes the spec and starts the shim detached (own session), so it outlives the agent. */
export function startShim(dir: string, spec: ShimSpec): ChildProcess {
  writeJsonAtomic(join(dir, ShimFiles.spec), spec)
  const out = openSync(join(dir, ShimFiles.log), 'a')
  try {
    const child = spawn(process.execPath, [...loaderArgs(), shimMain, dir], {
      cwd: dir,
      detached: true,
      stdio: ['ignore', out, out],
      env: { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin' },
    })
    child.unref()
    child.on('error', () => {}) // surfaces as a missing state file; the runtime reports it
    return child
  } finally {
    closeSync(out)
  }
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T
  } catch {
    return undefined
  }
}

/** The shim's state file, once the process was spawned. */
export const readShimState = (dir: string) => readJson<ShimState>(join(dir, ShimFiles.state))
/** The shim's exit file, once the process has exited. */
export const readShimExit = (dir: string) => readJson<ShimExit>(join(dir, ShimFiles.exit))

/** Whether pid is alive and (when given) its command line mentions marker: pids get reused. */
export async function isAlive(pid: number | undefined, marker?: string): Promise<boolean> {
  if (!pid) return false
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined)
  if (cmdline === undefined || cmdline === '') return false // gone, or a zombie
  return marker === undefined || cmdline.includes(marker)
}

/**
 * Attaches streams to the container through its shim; resolves with the exit code if the
 * container exits during the session, undefined when the session ends first (user gone).
 */
export function attachShim(sockPath: string, streams: ExecStreams & { tty: boolean }): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const sock = connect(sockPath)
    const decoder = new FrameDecoder()
    let exitCode: number | undefined
    let connected = false
    const onData = (d: Buffer) => sock.write(encodeFrame(FrameType.Stdin, d))
    const onEnd = () => sock.write(encodeFrame(FrameType.StdinEnd))
    const onAbort = () => sock.destroy()
    const done = () => {
      streams.stdin?.off('data', onData).off('end', onEnd)
      streams.signal.removeEventListener('abort', onAbort)
      if (connected) resolve(exitCode)
    }
    sock.on('connect', () => {
      connected = true
      sock.write(encodeFrame(FrameType.Hello, JSON.stringify({ stdin: !!streams.stdin })))
      streams.stdin?.on('data', onData).on('end', onEnd)
      if (streams.tty) streams.onResize(size => sock.write(encodeFrame(FrameType.Resize, JSON.stringify(size))))
    })
    sock.on('data', chunk => {
      for (const f of decoder.push(chunk)) {
        if (f.type === FrameType.Stdout) streams.stdout?.write(f.payload)
        else if (f.type === FrameType.Stderr) (streams.tty ? streams.stdout : streams.stderr)?.write(f.payload)
        else if (f.type === FrameType.Exit) exitCode = JSON.parse(f.payload.toString()).exitCode
      }
    })
    sock.on('error', err => {
      if (!connected) reject(new Error(`cannot attach to the container: it is not running (${err.message})`))
    })
    sock.on('close', done)
    if (streams.signal.aborted) onAbort()
    else streams.signal.addEventListener('abort', onAbort)
  })
}
