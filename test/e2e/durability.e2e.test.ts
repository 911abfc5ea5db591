/**
 * Durability through the whole server: `petset up` takes a stream of concurrent creates over
 * HTTPS, is killed with SIGKILL mid-stream, and on restart on the same data dir every create it
 * acknowledged (a 201) is there.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { parse } from 'yaml'
import { CONFIG_MAPS } from '../../src/client/resources.js'
import { RestClient } from '../../src/client/rest-client.js'
import { petsetBin } from './harness.js'

function start(dataDir: string): Promise<{ proc: ChildProcess; client: RestClient }> {
  const proc = spawn(
    process.execPath,
    [petsetBin, 'up', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--nodes', '0', '--log-level', 'warn'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  return new Promise((resolve, reject) => {
    let out = ''
    proc.stdout!.on('data', d => {
      out += d
      const m = /^kubeconfig: (.+)$/m.exec(out)
      if (!m) return
      const kc = parse(readFileSync(m[1]!.trim(), 'utf8'))
      const cluster = kc.clusters[0].cluster
      const ca = Buffer.from(cluster['certificate-authority-data'], 'base64').toString()
      resolve({ proc, client: new RestClient({ server: cluster.server, token: kc.users[0].user.token, ca }) })
    })
    proc.once('exit', code => reject(new Error(`petset exited with ${code}`)))
  })
}

test('every acknowledged write survives kill -9 of petset', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'petset-durability-'))
  try {
    const first = await start(dataDir)
    const acked = new Set<string>()
    let killed = false
    const writers = Array.from({ length: 16 }, async (_, w) => {
      for (let i = 0; !killed; i++) {
        const name = `w${w}-${i}`
        try {
          await first.client.create(
            CONFIG_MAPS,
            { metadata: { name }, data: { i: String(i) } },
            { namespace: 'default' },
          )
          acked.add(name)
        } catch {
          return // the server is gone: this write was never acknowledged
        }
      }
    })
    while (acked.size < 300) await new Promise(r => setTimeout(r, 20))
    killed = true
    first.proc.kill('SIGKILL')
    await Promise.all(writers)
    const second = await start(dataDir)
    try {
      const names = new Set(
        (await second.client.list(CONFIG_MAPS, { namespace: 'default' })).items.map(o => o.metadata.name),
      )
      const lost = [...acked].filter(n => !names.has(n))
      assert.deepEqual(lost, [], `${lost.length} of ${acked.size} acknowledged creates were lost`)
    } finally {
      second.proc.kill('SIGTERM')
      await new Promise(r => second.proc.once('exit', r))
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
})
