/**
 * E2E harness: starts the real `petset up` in a temporary data dir on a free port and runs
 * the real kubectl against it (the dispatcher, or a specific minor version), with a private
 * HOME so discovery caches never leak between tests.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findRoot(from: string): string {
  let dir = from
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir)
  return dir
}
const root = findRoot(dirname(fileURLToPath(import.meta.url)))
export const manifestsDir = join(root, 'test', 'e2e', 'manifests')
/** The petset command of this checkout. */
export const petsetBin = join(root, 'bin', 'petset.js')

export interface KubectlResult {
  code: number
  stdout: string
  stderr: string
}

export interface Petset {
  dataDir: string
  kubeconfig: string
  home: string
  proc: ChildProcess
  /** Runs kubectl (the dispatcher unless `version` names a minor such as '1.27'). */
  kubectl(
    args: string[],
    opts?: { version?: string; input?: string; env?: Record<string, string>; timeoutMs?: number },
  ): Promise<KubectlResult>
  /** Starts a long-running kubectl (e.g. `get -w`); the caller kills it. */
  spawnKubectl(args: string[]): ChildProcess
  stop(): Promise<void>
}

/** The kubectl binary for a minor version, or the dispatcher; undefined when absent. */
export function kubectlPath(version?: string): string | undefined {
  const candidates = ['/usr/bin/kubectl', '/usr/local/bin/kubectl']
  const dispatcher = candidates.find(p => existsSync(p))
  if (!version) return dispatcher
  if (version === '1.20')
    return ['/usr/bin/kubectl.1.20', '/usr/lib/kubernetes-client/kubectl'].find(p => existsSync(p))
  if (!dispatcher) return undefined
  const p = join(dirname(realpathSync(dispatcher)), `kubectl.${version}`)
  return existsSync(p) ? p : undefined
}

/** Reason to skip kubectl tests, or undefined when kubectl is available. */
export const kubectlMissing = () => (kubectlPath() ? undefined : 'kubectl is not installed on this machine')

/** Starts petset and resolves once it printed its kubeconfig line. */
export async function startPetset(extraArgs: string[] = []): Promise<Petset> {
  const dataDir = mkdtempSync(join(tmpdir(), 'petset-e2e-'))
  const home = join(dataDir, 'home')
  const proc = spawn(
    process.execPath,
    [join(root, 'bin', 'petset.js'), 'up', '--data-dir', dataDir, '--listen', '127.0.0.1:0', ...extraArgs],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PETSET_LOG_LEVEL: process.env.PETSET_LOG_LEVEL ?? 'warn' },
    },
  )
  let stderr = ''
  proc.stderr!.on('data', d => (stderr += d))
  const kubeconfig = await new Promise<string>((resolveLine, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`petset did not start: ${stderr}`)), 30_000)
    proc.stdout!.on('data', d => {
      out += d
      const m = /^kubeconfig: (.+)$/m.exec(out)
      if (m) {
        clearTimeout(timer)
        resolveLine(m[1]!.trim())
      }
    })
    proc.once('exit', code => reject(new Error(`petset exited with ${code}: ${stderr}`)))
  })
  const kubectl: Petset['kubectl'] = (args, opts = {}) =>
    new Promise(resolveRun => {
      const bin = kubectlPath(opts.version)
      if (!bin) throw new Error(`kubectl ${opts.version ?? ''} not found`)
      const child = execFile(
        bin,
        args,
        {
          env: { ...process.env, KUBECONFIG: kubeconfig, HOME: home, ...opts.env },
          timeout: opts.timeoutMs ?? 60_000,
          maxBuffer: 32 * 1024 * 1024,
        },
        (err, stdout, stderr) => {
          const code = err
            ? typeof (err as { code?: unknown }).code === 'number'
              ? (err as { code: number }).code
              : 1
            : 0
          resolveRun({ code, stdout, stderr })
        },
      )
      if (opts.input !== undefined) child.stdin!.end(opts.input)
      else child.stdin!.end()
    })
  const spawnKubectl = (args: string[]) =>
    spawn(kubectlPath()!, args, {
      env: { ...process.env, KUBECONFIG: kubeconfig, HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  return {
    dataDir,
    kubeconfig,
    home,
    proc,
    kubectl,
    spawnKubectl,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise(r => proc.once('exit', r))
        proc.kill('SIGTERM')
        await exited
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Splits kubectl's table output into rows of whitespace-separated cells. */
export function tableRows(stdout: string): string[][] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map(l => l.trim().split(/\s{2,}|\t/))
}

/** Polls fn until it returns a truthy value (or throws the last error after timeoutMs). */
export async function eventually<T>(
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  stepMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const v = await fn()
      if (v) return v
    } catch (e) {
      last = e
    }
    if (Date.now() > deadline) throw last instanceof Error ? last : new Error('condition not met in time')
    await new Promise(r => setTimeout(r, stepMs))
  }
}
