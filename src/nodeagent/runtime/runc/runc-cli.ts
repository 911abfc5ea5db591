/**
 * The runc command line, as the runtime uses it: its own state root (so `runc list` shows only
 * petset's containers), JSON error logs per container, and argv for `run` and `exec`.
 */
import { execFile } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** `runc state` output, the fields petset reads. */
export interface RuncState {
  status: 'creating' | 'created' | 'running' | 'paused' | 'stopped'
  pid: number
}

/** A runc binary with a state root. */
export class Runc {
  constructor(
    readonly binary: string,
    readonly root: string,
  ) {}

  /** Whether the binary exists and is executable. */
  available(): boolean {
    try {
      accessSync(this.binary, constants.X_OK)
      return true
    } catch {
      return false
    }
  }

  /** The container's state; undefined when runc does not know it. */
  async state(id: string): Promise<RuncState | undefined> {
    try {
      const { stdout } = await run(this.binary, ['--root', this.root, 'state', id])
      return JSON.parse(stdout) as RuncState
    } catch {
      return undefined
    }
  }

  /** Sends a signal to the container's init process. */
  async kill(id: string, signal: 'TERM' | 'KILL'): Promise<void> {
    await run(this.binary, ['--root', this.root, 'kill', id, signal])
  }

  /** Deletes the container's runc state (forced: a running one is killed first). */
  async delete(id: string): Promise<void> {
    await run(this.binary, ['--root', this.root, 'delete', '--force', id]).catch(() => {})
  }

  /**
   * argv of a foreground `runc run`: it waits for the container and exits with its status
   * (128+n when killed by signal n). `--keep` leaves the stopped container (and its cgroup, to
   * read OOM kills) until delete; errors go to logFile as JSON.
   */
  runArgv(bundle: string, id: string, logFile: string): string[] {
    const globals = ['--root', this.root, '--log', logFile, '--log-format', 'json']
    return [this.binary, ...globals, 'run', '--keep', '--bundle', bundle, id]
  }

  /** argv of `runc exec` (with `-t` it needs a controlling terminal: run it under script). */
  execArgv(id: string, command: string[], opts: { tty: boolean; user?: { uid: number; gid: number } }): string[] {
    const user = opts.user ? ['--user', `${opts.user.uid}:${opts.user.gid}`] : []
    return [this.binary, '--root', this.root, 'exec', ...(opts.tty ? ['-t'] : []), ...user, id, ...command]
  }
}

/** The first `level: error|fatal` message of a runc JSON log, if any. */
export function runcLogError(text: string): string | undefined {
  for (const line of text.split('\n')) {
    try {
      const entry = JSON.parse(line) as { level?: string; msg?: string }
      if ((entry.level === 'error' || entry.level === 'fatal') && entry.msg) return entry.msg
    } catch {}
  }
  return undefined
}
