import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { StatefulSet } from '../src/api/apps.js'
import type { Node } from '../src/api/core.js'
import type { Pod } from '../src/api/pod.js'
import { NAMESPACES, NODES, PODS, STATEFUL_SETS } from '../src/client/resources.js'
import type { RestClient } from '../src/client/rest-client.js'
import { clientFor, rssMB, startPetset, stop } from './petset-process.js'

async function until<T>(fn: () => Promise<T | undefined | false>, ms: number, step = 20): Promise<T> {
  const deadline = performance.now() + ms
  for (;;) {
    const v = await fn().catch(() => undefined)
    if (v) return v
    if (performance.now() > deadline) throw new Error('timed out')
    await new Promise(r => setTimeout(r, step))
  }
}

function statefulSet(name: string, ns: string, replicas: number, parallel: boolean, claim: boolean): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: ns },
    spec: {
      serviceName: name,
      replicas,
      podManagementPolicy: parallel ? 'Parallel' : 'OrderedReady',
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.9.1',
              ...(claim ? { volumeMounts: [{ name: 'data', mountPath: '/data' }] } : {}),
            },
          ],
        },
      },
      ...(claim
        ? {
            volumeClaimTemplates: [
              {
                metadata: { name: 'data' },
                spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Mi' } } },
              },
            ],
          }
        : {}),
    },
  }
}

interface Result {
  name: string
  replicas: number
  allCreatedS: number
  allReadyS: number
  podsPerSecond: number
}

/** Creates the set in a fresh namespace; times pod creation (a watch) and readiness (status). */
async function measure(c: RestClient, name: string, replicas: number, parallel: boolean, claim: boolean) {
  const ns = `bench-${name}`
  await c.create(NAMESPACES, { metadata: { name: ns } })
  const abort = new AbortController()
  const seen = new Set<string>()
  let allCreatedAt = 0
  const listed = await c.list<Pod>(PODS, { namespace: ns })
  const watching = (async () => {
    for await (const ev of c.watch<Pod>(PODS, {
      namespace: ns,
      resourceVersion: listed.metadata.resourceVersion,
      signal: abort.signal,
    })) {
      if (ev.type !== 'ADDED') continue
      seen.add(ev.object.metadata.name!)
      if (seen.size === replicas && !allCreatedAt) allCreatedAt = performance.now()
    }
  })()
  const start = performance.now()
  await c.create(STATEFUL_SETS, statefulSet(name, ns, replicas, parallel, claim), { namespace: ns })
  await until(
    async () => (await c.get<StatefulSet>(STATEFUL_SETS, name, { namespace: ns })).status?.readyReplicas === replicas,
    300_000,
    parallel ? 20 : 50,
  )
  const readyAt = performance.now()
  await until(async () => allCreatedAt > 0, 10_000)
  abort.abort()
  await watching
  const allCreatedS = (allCreatedAt - start) / 1000
  return {
    name: `${replicas}-replica ${parallel ? 'Parallel' : 'OrderedReady'}${claim ? ', 1 claim each' : ', no claims'}`,
    replicas,
    allCreatedS,
    allReadyS: (readyAt - start) / 1000,
    podsPerSecond: replicas / allCreatedS,
  } satisfies Result
}

interface Case {
  name: string
  replicas: number
  parallel: boolean
  claim: boolean
}

const cases: Case[] = [
  { name: 'parallel', replicas: 1000, parallel: true, claim: true },
  { name: 'parallel-plain', replicas: 1000, parallel: true, claim: false },
  { name: 'ordered', replicas: 100, parallel: false, claim: false },
  { name: 'ordered-claims', replicas: 100, parallel: false, claim: true },
]

/** One case on a fresh `petset up`: the result and the process RSS before and with the pods. */
async function runCase(k: Case): Promise<Result & { idleMB: number; loadedMB: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'petset-bench-sts-'))
  const r = await startPetset(dir, ['--nodes', '5', '--runtime', 'simulated'])
  const c = clientFor(r.kubeconfig)
  try {
    await until(async () => {
      const nodes = (await c.list<Node>(NODES)).items
      return (
        nodes.length === 5 &&
        nodes.every(n => n.spec?.podCIDR && n.status?.conditions?.some(x => x.type === 'Ready' && x.status === 'True'))
      )
    }, 30_000)
    await new Promise(res => setTimeout(res, 1000))
    const idleMB = rssMB(r.proc.pid!)
    const result = await measure(c, k.name, k.replicas, k.parallel, k.claim)
    return { ...result, idleMB, loadedMB: rssMB(r.proc.pid!) }
  } finally {
    c.close()
    await stop(r)
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const only = process.env.BENCH_CASES?.split(',')
  const results: (Result & { idleMB: number; loadedMB: number })[] = []
  for (const k of cases) if (!only || only.includes(k.name)) results.push(await runCase(k))
  const rows = [
    ['case', 'all created (s)', 'all Ready (s)', 'pods created/s', 'RSS idle (MB)', 'RSS with pods (MB)'],
    ...results.map(x => [
      x.name,
      x.allCreatedS.toFixed(2),
      x.allReadyS.toFixed(2),
      x.podsPerSecond.toFixed(0),
      x.idleMB.toFixed(0),
      x.loadedMB.toFixed(0),
    ]),
  ]
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map(row => row[i]!.length)))
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '))
  const target = results.find(x => x.replicas === 1000 && x.name.includes('claim each'))
  if (target) {
    console.log()
    console.log(`1000-replica Parallel with claims, all Ready: ${target.allReadyS.toFixed(1)} s (target < 3 s)`)
    console.log(`RSS of petset up with those 1000 pods: ${target.loadedMB.toFixed(0)} MB (target < 250 MB)`)
  }
}

await main()
