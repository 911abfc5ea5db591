import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { StatefulSet } from '../src/api/apps.js'
import type { Node } from '../src/api/core.js'
import type { Pod } from '../src/api/pod.js'
import { NODES, PODS, STATEFUL_SETS } from '../src/client/resources.js'
import type { RestClient } from '../src/client/rest-client.js'
import { holdHostNetwork } from '../test/e2e/real-harness.js'
import { clientFor, startPetset, stop } from './petset-process.js'

const ns = 'default'
const pods = 20

async function until<T>(fn: () => Promise<T | undefined | false>, ms: number, step = 20): Promise<T> {
  const deadline = performance.now() + ms
  for (;;) {
    const v = await fn().catch(() => undefined)
    if (v) return v
    if (performance.now() > deadline) throw new Error('timed out')
    await new Promise(r => setTimeout(r, step))
  }
}

const isReady = (p: Pod) =>
  p.status?.phase === 'Running' && !!p.status.conditions?.some(c => c.type === 'Ready' && c.status === 'True')

/** When each pod was first seen Running and Ready (performance.now()), from one watch. */
class ReadyWatch {
  readonly readyAt = new Map<string, number>()
  private readonly abort = new AbortController()
  private done: Promise<void> = Promise.resolve()

  async start(c: RestClient): Promise<void> {
    const listed = await c.list<Pod>(PODS, { namespace: ns })
    this.done = (async () => {
      for await (const ev of c.watch<Pod>(PODS, {
        namespace: ns,
        resourceVersion: listed.metadata.resourceVersion,
        signal: this.abort.signal,
      })) {
        const name = ev.object.metadata.name!
        if (ev.type !== 'DELETED' && isReady(ev.object) && !this.readyAt.has(name))
          this.readyAt.set(name, performance.now())
      }
    })()
  }

  ready(names: string[], ms = 120_000): Promise<boolean> {
    return until(async () => names.every(n => this.readyAt.has(n)), ms, 5)
  }

  async stop(): Promise<void> {
    this.abort.abort()
    await this.done
  }
}

const sleeper = (name: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels: { bench: 'pods' } },
  spec: {
    containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"] }],
  },
})

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

interface Latencies {
  p50: number
  p99: number
  min: number
  max: number
}

function summary(ms: number[]): Latencies {
  const s = [...ms].sort((a, b) => a - b)
  return { p50: percentile(s, 50), p99: percentile(s, 99), min: s[0]!, max: s[s.length - 1]! }
}

async function serial(c: RestClient, w: ReadyWatch, prefix: string): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < pods; i++) {
    const name = `${prefix}-${i}`
    const t0 = performance.now()
    await c.create(PODS, sleeper(name), { namespace: ns })
    await w.ready([name])
    out.push(w.readyAt.get(name)! - t0)
  }
  return out
}

async function burst(c: RestClient, w: ReadyWatch, prefix: string): Promise<number[]> {
  const names = Array.from({ length: pods }, (_, i) => `${prefix}-${i}`)
  const started = await Promise.all(
    names.map(async n => {
      const t0 = performance.now()
      await c.create(PODS, sleeper(n), { namespace: ns })
      return t0
    }),
  )
  await w.ready(names)
  return names.map((n, i) => w.readyAt.get(n)! - started[i]!)
}

/** A 10-replica OrderedReady StatefulSet of nginx: ms from create until status says 10 Ready. */
async function orderedReady(c: RestClient, w: ReadyWatch): Promise<{ totalMs: number; perPodMs: number[] }> {
  const replicas = 10
  const set: StatefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: ns },
    spec: {
      serviceName: 'web',
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.9.1', ports: [{ containerPort: 80, name: 'web' }] }] },
      },
    },
  }
  const t0 = performance.now()
  await c.create(STATEFUL_SETS, set, { namespace: ns })
  await until(
    async () => (await c.get<StatefulSet>(STATEFUL_SETS, 'web', { namespace: ns })).status?.readyReplicas === replicas,
    120_000,
    10,
  )
  const totalMs = performance.now() - t0
  const names = Array.from({ length: replicas }, (_, i) => `web-${i}`)
  await w.ready(names)
  const at = names.map(n => w.readyAt.get(n)!)
  return { totalMs, perPodMs: at.map((t, i) => t - (i ? at[i - 1]! : t0)) }
}

interface RuntimeResult {
  runtime: string
  serial: Latencies
  burst: Latencies
  sts?: { totalMs: number; perPodMs: number[] }
}

async function benchRuntime(runtime: 'runc' | 'process'): Promise<RuntimeResult> {
  const release = runtime === 'runc' ? await holdHostNetwork() : async () => {}
  const dir = mkdtempSync(join(tmpdir(), `petset-bench-pods-${runtime}-`))
  try {
    const r = await startPetset(dir, ['--runtime', runtime])
    const c = clientFor(r.kubeconfig)
    const w = new ReadyWatch()
    try {
      await until(async () => {
        const nodes = (await c.list<Node>(NODES)).items
        return nodes.some(n => n.status?.conditions?.some(k => k.type === 'Ready' && k.status === 'True'))
      }, 30_000)
      await w.start(c)
      // Warm-up: the first container of an image generates the built-in image's files.
      await c.create(PODS, sleeper('warmup'), { namespace: ns })
      await w.ready(['warmup'])
      const result: RuntimeResult = {
        runtime,
        serial: summary(await serial(c, w, 'serial')),
        burst: summary(await burst(c, w, 'burst')),
      }
      if (runtime === 'runc') result.sts = await orderedReady(c, w)
      return result
    } finally {
      await w.stop()
      c.close()
      await stop(r)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
    await release()
  }
}

async function main(): Promise<void> {
  const wanted = (process.env.BENCH_RUNTIMES ?? 'runc,process').split(',') as ('runc' | 'process')[]
  const results: RuntimeResult[] = []
  for (const rt of wanted) {
    if (rt === 'runc' && process.getuid?.() !== 0) {
      console.log('runc: skipped (needs root)')
      continue
    }
    results.push(await benchRuntime(rt))
  }
  const ms = (n: number) => `${Math.round(n)} ms`
  console.log(`\npod start latency, create → Running and Ready (${pods} pods each; busybox sleep)`)
  console.table(
    results.flatMap(r =>
      (['serial', 'burst'] as const).map(mode => ({
        runtime: r.runtime,
        mode: mode === 'serial' ? 'one at a time' : `${pods} at once`,
        p50: ms(r[mode].p50),
        p99: ms(r[mode].p99),
        min: ms(r[mode].min),
        max: ms(r[mode].max),
      })),
    ),
  )
  for (const r of results)
    if (r.sts) {
      const per = summary(r.sts.perPodMs)
      console.log(
        `${r.runtime}: 10-replica OrderedReady StatefulSet (nginx) all Ready in ${ms(r.sts.totalMs)} ` +
          `(target < 2000 ms: ${r.sts.totalMs < 2000 ? 'met' : 'MISSED'}); per pod p50 ${ms(per.p50)}, max ${ms(per.max)}`,
      )
    }
}

main().catch(err => {
  console.error(err)
  process.exit(1)
})
