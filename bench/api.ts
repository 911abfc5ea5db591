/**
 * API server benchmark (not part of `npm test`): runs `petset up` as its own process and
 * measures, from this process,
 *   - ConfigMap creates per second through the HTTPS API at concurrency 1, 16 and 64, against
 *     raw durable SQLite commits per second measured in the same run (the ratio is the target:
 *     ≥ 0.5 at concurrency 64);
 *   - cold start: process start until the API answers `GET /api/v1/namespaces` (first start,
 *     which generates the PKI, and a resumed start), and until `kubectl get ns` answers;
 *   - idle RSS of the server process.
 * Usage: npm run build && node dist/bench/api.js
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CONFIG_MAPS } from '../src/client/resources.js'
import type { RestClient } from '../src/client/rest-client.js'
import { clientFor, rssMB, startPetset, stop } from './petset-process.js'
import { measureRawCommits } from './store.js'

async function coldStart(dataDir: string): Promise<{ apiMs: number; kubectlMs?: number }> {
  const r = await startPetset(dataDir, ['--nodes', '0'])
  const client = clientFor(r.kubeconfig)
  await client.list({ group: '', version: 'v1', resource: 'namespaces', namespaced: false, kind: 'Namespace' })
  const apiMs = performance.now() - r.startedAt
  await stop(r)
  let kubectlMs: number | undefined
  try {
    const again = await startPetset(dataDir, ['--nodes', '0'])
    const home = mkdtempSync(join(tmpdir(), 'petset-bench-home-'))
    for (;;) {
      try {
        execFileSync('kubectl', ['get', 'ns'], {
          env: { ...process.env, KUBECONFIG: again.kubeconfig, HOME: home },
          stdio: 'ignore',
        })
        break
      } catch {}
    }
    kubectlMs = performance.now() - again.startedAt
    await stop(again)
    rmSync(home, { recursive: true, force: true })
  } catch {}
  return { apiMs, kubectlMs }
}

async function createRate(client: RestClient, concurrency: number, ms: number, ns: string): Promise<number> {
  let n = 0
  const deadline = performance.now() + ms
  const start = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = 0; performance.now() < deadline; i++) {
        await client.create(
          CONFIG_MAPS,
          { metadata: { name: `c${concurrency}-${w}-${i}` }, data: { k: 'v'.repeat(200) } },
          { namespace: ns },
        )
        n++
      }
    }),
  )
  return (n * 1000) / (performance.now() - start)
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'petset-bench-'))
  try {
    const first = await startPetset(join(dir, 'first'), ['--nodes', '0'])
    const client0 = clientFor(first.kubeconfig)
    await client0.list({ group: '', version: 'v1', resource: 'namespaces', namespaced: false, kind: 'Namespace' })
    const firstStartMs = performance.now() - first.startedAt
    await stop(first)
    const cold = await coldStart(join(dir, 'first'))

    const raw = measureRawCommits(dir, 3000)
    const r = await startPetset(join(dir, 'rates'), ['--nodes', '0'])
    const client = clientFor(r.kubeconfig)
    await new Promise(res => setTimeout(res, 2000))
    const idle = rssMB(r.proc.pid!)
    const rates: Record<number, number> = {}
    for (const c of [1, 16, 64]) rates[c] = await createRate(client, c, 4000, 'default')
    const loaded = rssMB(r.proc.pid!)
    await stop(r)

    console.log(`raw durable SQLite commits/s:        ${raw.perSecond.toFixed(0)}`)
    for (const c of [1, 16, 64])
      console.log(
        `API creates/s at concurrency ${String(c).padStart(2)}:    ${rates[c]!.toFixed(0)}  (ratio ${(rates[c]! / raw.perSecond).toFixed(2)})`,
      )
    console.log(`first start (PKI generated) to API:  ${firstStartMs.toFixed(0)} ms`)
    console.log(`cold start (resumed) to API:         ${cold.apiMs.toFixed(0)} ms`)
    if (cold.kubectlMs !== undefined)
      console.log(`cold start to \`kubectl get ns\`:      ${cold.kubectlMs.toFixed(0)} ms`)
    console.log(
      `idle RSS:                            ${idle.toFixed(0)} MB (after the create runs: ${loaded.toFixed(0)} MB)`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
