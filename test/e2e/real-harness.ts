/**
 * Helpers for the real-pod e2e files (real-*.e2e.test.ts): `petset up` with runc pods on the
 * bridge network, the service proxy and the cluster DNS at 10.96.0.10. Such a cluster owns
 * host-wide things (10.96.0.10:53, the psvc0 link, psbr-node-N bridges, 10.244.0.0/16), so one
 * runs at a time: every file holds the host lock (flock on /run/lock/petset-host-network.lock,
 * released when its holder exits, even by a crash) while its cluster runs.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { dirname } from 'node:path'
import type { Event } from '../../src/api/core.js'
import type { Pod } from '../../src/api/pod.js'
import { eventually, kubectlMissing, type Petset, startPetset } from './harness.js'
import { getJson, ok } from './statefulset-helpers.js'

export { eventually, getJson, ok }

/** Why real pods cannot run here (root, runc, ip netns, flock, kubectl), or undefined. */
export function realPodsMissing(): string | undefined {
  const missing = kubectlMissing()
  if (missing) return missing
  if (process.getuid?.() !== 0) return 'real pods need root (runc, network namespaces, bridges)'
  for (const [bin, args] of [
    ['runc', ['--version']],
    ['ip', ['netns', 'list']],
    ['flock', ['--version']],
  ] as const)
    if (spawnSync(bin, args).status !== 0) return `real pods need \`${bin}\` (\`${bin} ${args.join(' ')}\` failed)`
  return undefined
}

/** The lock every test that sets up pod networking on this host should hold. */
export const hostNetworkLock = '/run/lock/petset-host-network.lock'

/**
 * Waits for the host network lock; resolves the function that releases it. The lock is held by
 * a `flock` child as long as this process lives.
 */
export async function holdHostNetwork(timeoutMs = 600_000): Promise<() => Promise<void>> {
  if (!existsSync(dirname(hostNetworkLock))) mkdirSync(dirname(hostNetworkLock), { recursive: true })
  const child: ChildProcess = spawn(
    'flock',
    ['-x', '-w', String(timeoutMs / 1000), hostNetworkLock, 'sh', '-c', 'echo locked; exec cat'],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr!.on('data', d => (stderr += d))
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve())
    child.once('exit', code => reject(new Error(`could not take ${hostNetworkLock} (flock exited ${code}): ${stderr}`)))
  })
  // Never keeps the test process alive; its exit releases the lock.
  child.unref()
  for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as { unref?: () => void }).unref?.()
  return async () => {
    if (child.exitCode !== null) return
    const exited = new Promise(r => child.once('exit', r))
    child.ref()
    child.stdin!.end()
    await exited
  }
}

/** `petset up` on runc (one node unless told) while holding the host network lock. */
export async function startRealPetset(extraArgs: string[] = []): Promise<Petset> {
  const release = await holdHostNetwork()
  try {
    const p = await startPetset(['--runtime', 'runc', ...extraArgs])
    const stop = p.stop
    p.stop = async () => {
      try {
        await stop()
      } finally {
        await release()
      }
    }
    return p
  } catch (e) {
    await release()
    throw e
  }
}

/** `kubectl exec <pod> -- <cmd>`: resolves stdout, fails the test on a non-zero exit. */
export const inPod = (p: Petset, pod: string, ...cmd: string[]) => ok(p, ['exec', pod, '--', ...cmd])

/** A pod from the API. */
export const pod = (p: Petset, name: string) => getJson<Pod>(p, ['pod', name])

/** A pod's IP, once it has one. */
export async function podIP(p: Petset, name: string): Promise<string> {
  const ip = (await pod(p, name)).status?.podIP
  assert.ok(ip, `${name} has an IP`)
  return ip
}

/** HTTP from the test process (the host routes to pod IPs and ClusterIPs), one connection each. */
export function http(
  url: string,
  { method = 'GET', body }: { method?: string; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // A connection per request (no keep-alive): requests to a ClusterIP are balanced per connection.
    const req = request(url, { method, timeout: 5_000, agent: false }, res => {
      let b = ''
      res.setEncoding('utf8')
      res.on('data', d => (b += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }))
    })
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${url}`)))
    req.on('error', reject)
    req.end(body)
  })
}

/** A free TCP port on 127.0.0.1 (for port-forward). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
    s.on('error', reject)
  })
}

/** Events about one object, as `reason: message` lines (oldest first). */
export async function eventLines(p: Petset, kind: string, name: string): Promise<string[]> {
  const list = await getJson<{ items: Event[] }>(p, [
    'events',
    '--field-selector',
    `involvedObject.kind=${kind},involvedObject.name=${name}`,
  ])
  const t = (e: Event) => e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? ''
  return list.items.sort((a, b) => t(a).localeCompare(t(b))).map(e => `${e.reason}: ${e.message}`)
}

/**
 * A long-running kubectl (port-forward, proxy, logs -f): its output so far, a wait for a pattern,
 * and stop (SIGTERM, then resolves on exit).
 */
export class KubectlProcess {
  out = ''
  err = ''
  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', d => (this.out += d))
    child.stderr!.on('data', d => (this.err += d))
  }

  static start(p: Petset, args: string[]): KubectlProcess {
    return new KubectlProcess(p.spawnKubectl(args))
  }

  /** Waits until stdout matches; resolves the match. */
  async waitFor(re: RegExp, ms = 20_000): Promise<RegExpExecArray> {
    return eventually(async () => {
      if (this.child.exitCode !== null && !re.test(this.out))
        throw new Error(`kubectl exited ${this.child.exitCode}: ${this.err}`)
      return re.exec(this.out) ?? undefined
    }, ms)
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = new Promise(r => this.child.once('exit', r))
    this.child.kill('SIGTERM')
    await exited
  }
}

/**
 * Sets `terminationGracePeriodSeconds` in a manifest's pod template(s). The seed apps run as PID 1
 * without a SIGTERM handler (node, sleep), as in their real images, so each stop would wait the
 * default 30 s; the tests shorten that and say so.
 */
export function withGracePeriod(manifest: string, seconds: number): string {
  const out = manifest.replace(/^(\s*)containers:$/gm, `$1terminationGracePeriodSeconds: ${seconds}\n$1containers:`)
  assert.notEqual(out, manifest, 'the manifest has a pod spec')
  return out
}
