/**
 * `petset image load FILE` and `petset image ls`: the image store from the command line. Works
 * on the store's files directly (`<data-dir>/images`), whether or not `petset up` is running.
 */
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { familiarName } from '../nodeagent/runtime/images/reference.js'
import { LocalImageStore } from '../nodeagent/runtime/images/store.js'

/** Help text of `petset image`. */
export const imageUsage = `Usage:
  petset image load FILE [--data-dir DIR]   Load an OCI image layout or docker save archive (a tar file)
  petset image ls [--data-dir DIR]          List loaded and built-in images
`

/** Where the command writes: stdout and stderr by default, buffers in tests. */
export interface CommandIO {
  out(text: string): void
  err(text: string): void
}

const stdio: CommandIO = { out: t => process.stdout.write(t), err: t => process.stderr.write(t) }

/** Docker's human size: three significant digits, decimal units ("1.23kB", "188MB"). */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB']
  let i = 0
  let n = bytes
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000
    i++
  }
  return `${Number(n.toPrecision(3))}${units[i]}`
}

/** Columns padded to their widest cell plus three spaces, as kubectl and docker print tables. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map(r => r[c]!.length)))
  return (
    rows
      .map(r =>
        r
          .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]! + 3)))
          .join('')
          .trimEnd(),
      )
      .join('\n') + '\n'
  )
}

/** The store directory for a --data-dir flag (same default as `petset up`). */
export function imagesDir(dataDir: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return join(resolve(dataDir ?? env.PETSET_DATA_DIR ?? join(homedir(), '.petset')), 'images')
}

/** Runs `petset image ...` (argv after "image"); resolves with the exit code. */
export async function imageCommand(argv: string[], io: CommandIO = stdio): Promise<number> {
  const [sub, ...rest] = argv
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(rest)
  } catch (e) {
    io.err(`petset image: ${(e as Error).message}\n\n${imageUsage}`)
    return 2
  }
  const store = new LocalImageStore({ dir: imagesDir(parsed.values['data-dir']) })
  try {
    switch (sub) {
      case 'load': {
        const file = parsed.values.input ?? parsed.positionals[0]
        if (!file || parsed.positionals.length > (parsed.values.input ? 0 : 1)) {
          io.err(`petset image load: expected one FILE\n\n${imageUsage}`)
          return 2
        }
        for (const name of await store.load(resolve(file))) {
          io.out(name.startsWith('sha256:') ? `Loaded image ID: ${name}\n` : `Loaded image: ${familiarName(name)}\n`)
        }
        return 0
      }
      case 'ls':
      case 'list': {
        const rows = (await store.list()).map(r => [
          r.name,
          r.id.replace(/^sha256:/, '').slice(0, 12),
          humanSize(r.size),
          r.builtIn ? 'yes' : 'no',
        ])
        io.out(formatTable([['IMAGE', 'ID', 'SIZE', 'BUILT-IN'], ...rows]))
        return 0
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(imageUsage)
        return 0
      default:
        io.err(`petset image: unknown command "${sub}"\n\n${imageUsage}`)
        return 2
    }
  } catch (e) {
    io.err(`petset image ${sub}: ${(e as Error).message}\n`)
    return 1
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    options: { 'data-dir': { type: 'string' }, input: { type: 'string', short: 'i' } },
    strict: true,
    allowPositionals: true,
  })
}
