/**
 * Containers outlive their agent: an "agent" child process starts a container and is killed
 * with SIGKILL; a new runtime on the same rootDir finds the container running, keeps logging,
 * stops it and learns its exit code. For the process runtime always, for runc when it can run.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { it } from 'node:test'
import { pathToFileURL } from 'node:url'
import { removeNodeCgroups } from '../runc/cgroups.js'
import { RuncRuntime } from '../runc/runtime.js'
import { runcUnavailable, testImages } from '../runc/testing.js'
import type { ContainerRuntime } from '../runtime.js'
import { ProcessRuntime } from './runtime.js'
import { until } from './testing.js'

// Run from sources (tsx) or from dist: the agent imports the same kind of files as this test.
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js'
const here = (f: string) => pathToFileURL(join(import.meta.dirname, f + ext)).href
const loader = ext === '.ts' ? ['--import', 'tsx'] : []

/** The agent: starts one container, prints its ids, then idles until killed. */
const agentScript = (kind: string, rootDir: string) => `
const { ProcessRuntime } = await import(${JSON.stringify(here('runtime'))})
const { RuncRuntime } = await import(${JSON.stringify(here('../runc/runtime'))})
const { testImages } = await import(${JSON.stringify(here('../runc/testing'))})
const opts = { rootDir: ${JSON.stringify(rootDir)}, images: testImages, nodeName: 'restart' }
const rt = ${kind === 'runc' ? 'new RuncRuntime(opts)' : 'new ProcessRuntime(opts)'}
await rt.updateRuntimeConfig({ podCIDR: '10.244.5.0/24' })
const sb = await rt.runPodSandbox({ uid: 'restart', namespace: 'default', name: 'survivor' })
const script = 'trap "echo stopping; exit 7" TERM; while :; do echo tick; sleep 0.2; done'
const c = await rt.startContainer(sb.id, { name: 'app', image: 'docker.io/library/debian:host', command: ['sh', '-c', script], attempt: 0 })
console.log(JSON.stringify({ sandbox: sb.id, container: c.id }))
setInterval(() => {}, 1000)
`

async function runAgentAndKill(kind: string, rootDir: string): Promise<{ sandbox: string; container: string }> {
  const agent = spawn(process.execPath, [...loader, '--input-type=module', '-e', agentScript(kind, rootDir)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const [line] = await createInterface({ input: agent.stdout! })
    [Symbol.asyncIterator]()
    .next()
    .then(r => [r.value])
  agent.kill('SIGKILL')
  await new Promise(r => agent.once('exit', r))
  return JSON.parse(line as string)
}

for (const kind of ['process', 'runc'])
  it(`${kind}: a container outlives its agent and is re-adopted`, async t => {
    if (kind === 'runc' && runcUnavailable) return t.skip(runcUnavailable)
    const rootDir = await mkdtemp(join(tmpdir(), `petset-restart-${kind}-`))
    const make = (): ContainerRuntime =>
      kind === 'runc'
        ? new RuncRuntime({ rootDir, images: testImages, nodeName: 'restart', pollMs: 50 })
        : new ProcessRuntime({ rootDir, images: testImages, pollMs: 50 })
    const ids = await runAgentAndKill(kind, rootDir)
    const rt = make()
    try {
      const s = await rt.containerStatus(ids.container)
      assert.deepEqual([s.state, s.sandboxId, s.name], ['running', ids.sandbox, 'app'])
      const log = rt.logPath!(ids.container)!
      const ticks = async () => (await readFile(log, 'utf8')).split('tick').length
      const before = await ticks()
      await until(async () => (await ticks()) > before + 1, 'the container to keep logging')
      await rt.stopContainer(ids.container, { graceSeconds: 10 })
      const done = await rt.containerStatus(ids.container)
      assert.deepEqual([done.state, done.exitCode, done.reason], ['exited', 7, 'Error'])
      assert.match(await readFile(log, 'utf8'), /stdout F stopping/)
    } finally {
      for (const sb of await rt.listPodSandboxes()) await rt.removePodSandbox(sb.id)
      await rt.close()
      if (kind === 'runc') await removeNodeCgroups('restart')
      await rm(rootDir, { recursive: true, force: true })
    }
  })
