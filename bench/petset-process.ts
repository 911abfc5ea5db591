/**
 * Benchmarks drive `petset up` as its own process, as a user would: start it, read the
 * kubeconfig it prints into a REST client, stop it with SIGTERM. Shared by every bench.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { RestClient } from '../src/client/rest-client.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** A running `petset up`. */
export interface Running {
  proc: ChildProcess
  kubeconfig: string
  /** performance.now() when the process was spawned. */
  startedAt: number
}

/** Starts `petset up --data-dir DIR --listen 127.0.0.1:0 --log-level warn` plus extra flags. */
export function startPetset(dataDir: string, extraArgs: string[] = []): Promise<Running> {
  const startedAt = performance.now()
  const args = ['up', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--log-level', 'warn', ...extraArgs]
  const proc = spawn(process.execPath, [join(root, 'bin', 'petset.js'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    let out = ''
    proc.stdout!.on('data', d => {
      out += d
      const m = /^kubeconfig: (.+)$/m.exec(out)
      if (m) resolve({ proc, kubeconfig: m[1]!.trim(), startedAt })
    })
    proc.once('exit', code => reject(new Error(`petset exited ${code}`)))
  })
}

/** A REST client with the admin credentials of a kubeconfig petset wrote. */
export function clientFor(kubeconfig: string): RestClient {
  const kc = parse(readFileSync(kubeconfig, 'utf8'))
  const cluster = kc.clusters[0].cluster
  return new RestClient({
    server: cluster.server,
    token: kc.users[0].user.token,
    ca: Buffer.from(cluster['certificate-authority-data'], 'base64').toString(),
    userAgent: 'petset-bench',
  })
}

/** SIGTERM, then wait for the process to exit (petset stops its pods first). */
export async function stop(r: Running): Promise<void> {
  const exited = new Promise(res => r.proc.once('exit', res))
  r.proc.kill('SIGTERM')
  await exited
}

/** Resident memory of a process in MB (Linux /proc). */
export function rssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024
}
