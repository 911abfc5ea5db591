/**
 * Runs iproute2's `ip` (and writes the few sysctls the network needs). The only module of the
 * pod network that touches the host; everything above it goes through `IpRunner`, so tests can
 * record commands instead of running them. Errors carry ip's stderr; callers branch on the
 * predicates below, which read iproute2's stable messages.
 */
import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'

/** Runs `ip <args>` (or `ip -batch -` with input lines) and resolves with its stdout. */
export type IpRunner = (args: string[], opts?: { batch?: string[] }) => Promise<string>

/** A failed `ip` command. */
export class IpCommandError extends Error {
  readonly code = 'IpCommandFailed'
  constructor(
    readonly args: string[],
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(`ip ${args.join(' ')}: ${stderr.trim() || 'failed'}`, options)
    this.name = 'IpCommandError'
  }
}

/** The real runner: execFile("ip"), 10 s timeout. */
export const runIp: IpRunner = (args, opts) =>
  new Promise((resolve, reject) => {
    const argv = opts?.batch ? [...args, '-batch', '-'] : args
    const child = execFile('ip', argv, { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err) reject(new IpCommandError(argv, String(stderr || err.message), { cause: err }))
      else resolve(String(stdout))
    })
    if (opts?.batch) child.stdin?.end(`${opts.batch.join('\n')}\n`)
  })

const textOf = (e: unknown): string => (e instanceof IpCommandError ? e.stderr : String((e as Error)?.message ?? e))

/**
 * The object already exists (address, route, rule, link, netns). iproute2 with extended acks
 * says `Error: ipv4: Address already assigned.` for an address (e.g. left by a crashed run).
 */
export const isExists = (e: unknown): boolean => /File exists|already exists|already assigned/i.test(textOf(e))

/** The object is not there (link, netns, address, route, rule). */
export const isMissing = (e: unknown): boolean =>
  /Cannot find device|does not exist|No such file|No such process|Cannot assign requested address|Cannot open network namespace|not found/i.test(
    textOf(e),
  )

/** Resolves undefined when the object already exists; other errors propagate. */
export const unlessExists = (e: unknown): undefined => {
  if (isExists(e)) return undefined
  throw e
}

/** Resolves undefined when the object is already gone; other errors propagate. */
export const unlessMissing = (e: unknown): undefined => {
  if (isMissing(e)) return undefined
  throw e
}

/** Writes an IPv4 sysctl of one interface (`net.ipv4.conf.<link>.<key>`). */
export async function setInterfaceSysctl(link: string, key: string, value: string): Promise<void> {
  await writeFile(`/proc/sys/net/ipv4/conf/${link}/${key}`, value)
}

/** Whether this process can manage network namespaces: root and an `ip` with netns support. */
export async function canManageNetns(run: IpRunner = runIp): Promise<{ ok: boolean; reason?: string }> {
  if (process.getuid?.() !== 0) return { ok: false, reason: 'needs root (network namespaces, links, routes)' }
  try {
    await run(['netns', 'list'])
    return { ok: true }
  } catch (err) {
    return { ok: false, reason: `ip netns unavailable: ${(err as Error).message}` }
  }
}
