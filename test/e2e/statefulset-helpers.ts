/**
 * Helpers shared by the StatefulSet e2e files (statefulset-*.e2e.test.ts): a REST client from the
 * kubeconfig `petset up` wrote, `kubectl get -w --output-watch-events` as a child process whose
 * lines a test can wait for, and readers for sets, pods, claims and events.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import type { StatefulSet } from '../../src/api/apps.js'
import type { Event, PersistentVolumeClaim } from '../../src/api/core.js'
import type { Pod } from '../../src/api/pod.js'
import { EVENTS, PERSISTENT_VOLUME_CLAIMS, PODS, STATEFUL_SETS } from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { kubectlPath, type Petset, eventually as poll, startPetset } from './harness.js'

/**
 * The harness's `eventually` with a longer default limit: CI runs every e2e file at once on two
 * cores, and a limit only matters when the condition never comes.
 */
export const eventually = <T>(fn: () => Promise<T | undefined | false>, timeoutMs = 60_000, stepMs = 100) =>
  poll(fn, timeoutMs, stepMs)

/** `petset up` with simulated nodes (3 unless told otherwise). */
export const startCluster = (nodes = 3) => startPetset(['--nodes', String(nodes), '--runtime', 'simulated'])

/** A REST client for the cluster (token and CA from the kubeconfig). */
export function restClient(p: Petset): RestClient {
  const kc = parse(readFileSync(p.kubeconfig, 'utf8'))
  const cluster = kc.clusters[0].cluster
  return new RestClient({
    server: cluster.server,
    token: kc.users[0].user.token,
    ca: Buffer.from(cluster['certificate-authority-data'], 'base64').toString(),
    userAgent: 'petset-e2e',
  })
}

/** Runs kubectl and fails the test with its stderr when it does not exit 0; resolves stdout. */
export async function ok(p: Petset, args: string[], opts: { timeoutMs?: number; input?: string } = {}) {
  const r = await p.kubectl(args, opts)
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`)
  return r.stdout
}

/** `kubectl get ... -o json`, parsed. */
export async function getJson<T = unknown>(p: Petset, args: string[]): Promise<T> {
  return JSON.parse(await ok(p, ['get', ...args, '-o', 'json'])) as T
}

const ordinal = (name: string) => Number(/-(\d+)$/.exec(name)?.[1] ?? -1)
export const byOrdinal = <T extends { metadata: { name?: string } }>(a: T, b: T) =>
  ordinal(a.metadata.name!) - ordinal(b.metadata.name!)

/** The live (not terminating) pods whose names are <set>-<n>, by ordinal. */
export async function setPods(c: RestClient, set: string, ns = 'default', withTerminating = false): Promise<Pod[]> {
  const pods = (await c.list<Pod>(PODS, { namespace: ns })).items
  return pods
    .filter(p => new RegExp(`^${set}-\\d+$`).test(p.metadata.name!))
    .filter(p => withTerminating || !p.metadata.deletionTimestamp)
    .sort(byOrdinal)
}

export const names = (objs: { metadata: { name?: string } }[]) => objs.map(o => o.metadata.name!)
export const isReady = (p: Pod) =>
  p.status?.phase === 'Running' && !!p.status.conditions?.some(c => c.type === 'Ready' && c.status === 'True')
export const revisionOf = (p: Pod) => p.metadata.labels?.['controller-revision-hash']
export const imageOf = (p: Pod) => p.spec.containers[0]!.image

export const getSet = (c: RestClient, name: string, ns = 'default') =>
  c.get<StatefulSet>(STATEFUL_SETS, name, { namespace: ns })

/** True once the controller has written status for the set's current generation. */
export async function observed(c: RestClient, name: string, ns = 'default'): Promise<StatefulSet | undefined> {
  const s = await getSet(c, name, ns)
  return (s.status?.observedGeneration ?? 0) >= (s.metadata.generation ?? 1) ? s : undefined
}

/**
 * Waits until the set has exactly `replicas` pods, all Running and Ready, no pod terminating, and
 * a status that says so for the current generation. Resolves the pods.
 */
export async function settled(c: RestClient, name: string, replicas: number, ns = 'default', ms = 60_000) {
  return eventually(async () => {
    const s = await observed(c, name, ns)
    if (!s || s.status?.readyReplicas !== replicas || s.status.replicas !== replicas) return undefined
    const pods = await setPods(c, name, ns, true)
    return pods.length === replicas && pods.every(p => isReady(p) && !p.metadata.deletionTimestamp) && pods
  }, ms)
}

export const claimNames = async (c: RestClient, prefix: string, ns = 'default') =>
  (await c.list<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS, { namespace: ns })).items
    .map(x => x.metadata.name!)
    .filter(n => n.startsWith(prefix))
    .sort((a, b) => ordinal(a) - ordinal(b))

/** Events recorded on one object (kind/name), oldest first. */
export async function eventsFor(c: RestClient, kind: string, name: string, ns = 'default'): Promise<Event[]> {
  const items = (
    await c.list<Event>(EVENTS, {
      namespace: ns,
      fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name}`,
    })
  ).items
  const t = (e: Event) => e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? ''
  return items.sort((a, b) => t(a).localeCompare(t(b)))
}

/**
 * kubectl's table output as one record per row keyed by header, cut at the header's column
 * positions (kubectl aligns every cell under its header), so empty cells stay empty.
 */
export function table(stdout: string): Record<string, string>[] {
  const [header, ...rows] = stdout.split('\n').filter(l => l.trim())
  if (!header) return []
  const cols = [...header.matchAll(/\S+(?: \S+)*/g)].map(m => ({ name: m[0], at: m.index! }))
  return rows.map(line =>
    Object.fromEntries(cols.map((c, i) => [c.name, line.slice(c.at, cols[i + 1]?.at ?? line.length).trim()])),
  )
}

/** The rows of `table` by their NAME cell. */
export const rowsByName = (stdout: string) => Object.fromEntries(table(stdout).map(r => [r.NAME!, r]))

/** One line of `kubectl get pods -w --output-watch-events`: EVENT NAME READY STATUS RESTARTS AGE. */
export interface WatchLine {
  event: string
  name: string
  ready: string
  status: string
}

/**
 * `kubectl get pods -w --output-watch-events` (extra args appended) as a child process. `lines`
 * grows as kubectl prints; `until` waits for a line; `stop` ends the child.
 */
export class PodWatch {
  readonly lines: WatchLine[] = []
  private readonly child: ChildProcess
  private buf = ''
  private stderr = ''

  private constructor(p: Petset, args: string[]) {
    this.child = spawn(kubectlPath()!, ['get', 'pods', '-w', '--output-watch-events', ...args], {
      env: { ...process.env, KUBECONFIG: p.kubeconfig, HOME: p.home },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.child.stdout!.on('data', d => {
      this.buf += d
      let i = this.buf.indexOf('\n')
      while (i >= 0) {
        const cells = this.buf
          .slice(0, i)
          .trim()
          .split(/\s{2,}/)
        this.buf = this.buf.slice(i + 1)
        if (cells[0] !== 'EVENT' && cells.length >= 4)
          this.lines.push({ event: cells[0]!, name: cells[1]!, ready: cells[2]!, status: cells[3]! })
        i = this.buf.indexOf('\n')
      }
    })
    this.child.stderr!.on('data', d => (this.stderr += d))
  }

  /**
   * Starts the watch and resolves once kubectl's watch request is answered (`-v=6` logs it on
   * stderr), so no later change is missed.
   */
  static async start(p: Petset, args: string[] = []): Promise<PodWatch> {
    const w = new PodWatch(p, [...args, '-v=6'])
    await eventually(
      async () => {
        if (w.child.exitCode !== null) throw new Error(`kubectl get -w exited: ${w.stderr}`)
        return /watch=true\S* 200 OK/.test(w.stderr)
      },
      15_000,
      20,
    )
    return w
  }

  /** Index of the first line at or after `from` that matches. */
  find(pred: (l: WatchLine) => boolean, from = 0): number {
    for (let i = from; i < this.lines.length; i++) if (pred(this.lines[i]!)) return i
    return -1
  }

  /** Waits for a matching line at or after `from`; resolves its index. */
  until(pred: (l: WatchLine) => boolean, from = 0, ms = 60_000): Promise<number> {
    return eventually(async () => {
      const i = this.find(pred, from)
      return i >= 0 ? i + 1 : undefined
    }, ms).then(i => i - 1)
  }

  /** The pod names of lines matching pred, in order, each name once (first occurrence). */
  firstOrder(pred: (l: WatchLine) => boolean, from = 0): string[] {
    const seen: string[] = []
    for (const l of this.lines.slice(from)) if (pred(l) && !seen.includes(l.name)) seen.push(l.name)
    return seen
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return
    const exited = new Promise(r => this.child.once('exit', r))
    this.child.kill('SIGTERM')
    await exited
  }
}

/**
 * Asserts from a pod watch that `order` went Terminating in that order (first terminations after
 * `from`), each only after the previous one was gone (`until: 'deleted'`, scale-down) or had come
 * back Running and Ready (`until: 'ready'`, rolling update). Resolves the index where the last
 * pod's step completed.
 */
export function assertInTurn(w: PodWatch, order: string[], until: 'deleted' | 'ready', from = 0): number {
  assert.deepEqual(
    w.firstOrder(l => l.status === 'Terminating', from).filter(n => order.includes(n)),
    order,
    'termination order',
  )
  let at = from
  for (const [i, name] of order.entries()) {
    const terminating = w.find(l => l.name === name && l.status === 'Terminating', from)
    assert.ok(terminating >= at, `${name} went Terminating only after ${order[i - 1] ?? 'the start'} was done`)
    const deleted = w.find(l => l.name === name && l.event === 'DELETED', terminating)
    assert.ok(deleted > terminating, `${name} was deleted`)
    at =
      until === 'deleted'
        ? deleted
        : w.find(l => l.name === name && l.ready === '1/1' && l.status === 'Running', deleted)
    assert.ok(at > 0, `${name} came back Running and Ready`)
  }
  return at
}
