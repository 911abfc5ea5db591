/**
 * Terminals without native pty support: Node cannot allocate a pseudo-terminal (no node-pty, and
 * runc's console socket needs SCM_RIGHTS, which Node's net module cannot receive), so a TTY
 * session runs its command under util-linux `script`, which allocates one on the host and copies
 * between it and plain pipes. Resizing sets the size of script's pty with `stty -F`, which
 * signals SIGWINCH to its foreground process (runc passes the size on to the container console).
 */
import { execFile } from 'node:child_process'
import { readFile, readlink } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'

/** The host's `script` binary (util-linux). */
export const scriptBinary = '/usr/bin/script'

/** Quotes one word for /bin/sh. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`
}

/**
 * argv running argv on a fresh pseudo-terminal: `script -q` (no banner), `-f` (flush at once),
 * `-e` (exit with the child's status, 128+n when killed by signal n), `-c` (the command),
 * `/dev/null` (no typescript file). `exec` makes argv script's direct child, so its stdin is
 * the pty (resizeScriptPty relies on that). size, when known, is set before argv starts.
 */
export function underScript(argv: string[], size?: { width: number; height: number }): string[] {
  const command = `exec ${argv.map(shellQuote).join(' ')}`
  // A fresh pty is 0x0: set the size the user already has before the command looks at it.
  const stty = size ? `stty rows ${Math.floor(size.height)} cols ${Math.floor(size.width)} 2>/dev/null; ` : ''
  return [scriptBinary, '-qfec', stty + command, '/dev/null']
}

async function childOf(pid: number): Promise<number | undefined> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')
  const first = text.trim().split(/\s+/)[0]
  return first ? Number(first) : undefined
}

/** The pty device script gave its child ("/dev/pts/3"), once the child has it as stdin. */
export async function scriptPty(scriptPid: number, waitMs = 2_000): Promise<string | undefined> {
  const end = Date.now() + waitMs
  for (;;) {
    const child = await childOf(scriptPid)
    if (child) {
      const tty = await readlink(`/proc/${child}/fd/0`).catch(() => '')
      if (tty.startsWith('/dev/pts/')) return tty
    }
    if (Date.now() > end) return undefined
    await sleep(20)
  }
}

/** Sets the terminal size of a session running under script; false when its pty is gone. */
export async function resizeScriptPty(scriptPid: number, size: { width: number; height: number }): Promise<boolean> {
  const tty = await scriptPty(scriptPid)
  if (!tty || !(size.width > 0 && size.height > 0)) return false
  const args = ['-F', tty, 'rows', String(Math.floor(size.height)), 'cols', String(Math.floor(size.width))]
  return new Promise(resolve => execFile('stty', args, err => resolve(!err)))
}
