/**
 * Entry point of the `petset` command: dispatches sub-commands and owns process signals.
 */

import { serverVersion } from '../apiserver/server.js'
import { parseUpArgs, usage } from '../cli/args.js'
import { startCluster } from './compose.js'
import { imageCommand } from './image.js'

/** Runs `petset up` until SIGINT/SIGTERM, then stops cleanly. */
async function up(argv: string[]): Promise<void> {
  const opts = parseUpArgs(argv)
  const cluster = await startCluster(opts)
  process.stdout.write(`kubeconfig: ${cluster.kubeconfig}\n`)
  process.stdout.write(`api: ${cluster.api.url}\n`)
  process.stdout.write(`dns: ${cluster.dnsAddress}\n`)
  process.stdout.write(`nodes: ${opts.nodes} (runtime ${cluster.runtime})\n`)
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    process.stderr.write(`petset: ${signal} received, stopping\n`)
    const force = setTimeout(() => process.exit(1), 10_000)
    force.unref()
    await cluster.stop()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

/** Dispatches argv (without node and script). */
export async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv
  try {
    switch (cmd) {
      case 'up':
        return await up(rest)
      case 'image':
        process.exitCode = await imageCommand(rest)
        return
      case 'version':
        process.stdout.write(`petset (Kubernetes ${serverVersion.gitVersion})\n`)
        return
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(usage)
        return
      default:
        process.stderr.write(`petset: unknown command "${cmd}"\n\n${usage}`)
        process.exitCode = 2
    }
  } catch (e) {
    process.stderr.write(`petset: ${(e as Error).message}\n`)
    process.exit(1)
  }
}
