/**
 * Durability of the sqlite store under kill -9: a child process writes through 32 concurrent
 * writers and prints each write only once its promise resolved; the parent kills it mid-stream,
 * reopens the file, and checks every acknowledged write is there. Several rounds on one file.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { after, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import type { Store, StoreEvent } from '../../src/storage/store.js'

const here = fileURLToPath(import.meta.url)
// Runs from dist/ (compiled .js) or from the sources under tsx (.ts): use the sibling of the same kind.
const fixture = join(dirname(here), 'fixtures', `store-writer${here.endsWith('.ts') ? '.ts' : '.js'}`)
const dir = mkdtempSync(join(tmpdir(), 'petset-durability-'))
after(() => rmSync(dir, { recursive: true, force: true }))

/** The loader flags of this process (e.g. --import tsx), without test-runner flags. */
function loaderArgs(): string[] {
  const out: string[] = []
  const argv = process.execArgv
  const withValue = ['--import', '--require', '-r', '--loader', '--experimental-loader', '--conditions', '-C']
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (withValue.includes(a) && i + 1 < argv.length) out.push(a, argv[++i]!)
    else if (withValue.some(f => a.startsWith(`${f}=`))) out.push(a)
  }
  return out
}

interface Ack {
  key: string
  revision: number
  seq: number
}

/** Runs the writer for writeMs after it is ready, kill -9s it, and returns what it acknowledged. */
async function runAndKill(path: string, writeMs: number): Promise<Ack[]> {
  const child = spawn(process.execPath, [...loaderArgs(), fixture, path, '32'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const acks: Ack[] = []
  let ready!: () => void
  const isReady = new Promise<void>(r => {
    ready = r
  })
  const exited = new Promise<NodeJS.Signals | number | null>(r => child.on('exit', (code, sig) => r(sig ?? code)))
  const lines = createInterface({ input: child.stdout! })
  lines.on('line', line => {
    if (line === 'ready') return ready()
    const [key, rev, seq] = line.split(' ')
    // A torn last line (cut by the kill) is not an acknowledgement.
    if (key && rev && seq) acks.push({ key, revision: Number(rev), seq: Number(seq) })
  })
  const closed = new Promise<void>(r => lines.on('close', r))
  await Promise.race([isReady, exited])
  await sleep(writeMs)
  child.kill('SIGKILL')
  assert.equal(await exited, 'SIGKILL', 'the writer should still be running when killed')
  await closed
  return acks
}

/** Every event in the log up to head, by revision (replayed through a watch from 0). */
function readHistory(store: Store, head: number): Promise<Map<number, StoreEvent>> {
  const byRevision = new Map<number, StoreEvent>()
  return new Promise((resolve, reject) => {
    const h = store.watch(
      '',
      0,
      events => {
        for (const e of events) byRevision.set(e.kv.modRevision, e)
        if (events[events.length - 1]!.kv.modRevision >= head) {
          h.stop()
          resolve(byRevision)
        }
      },
      reject,
    )
  })
}

test('every write acknowledged before kill -9 is present after reopening', { timeout: 120_000 }, async () => {
  const path = join(dir, 'state.db')
  for (let round = 1; round <= 3; round++) {
    const acks = await runAndKill(path, 1500)
    assert.ok(acks.length > 100, `round ${round}: only ${acks.length} acknowledged writes`)
    console.log('acks', acks.length, Date.now())
    const store = await openSqliteStore(path, { compactIntervalMs: 0 })
    try {
      const head = await store.currentRevision()
      const history = await readHistory(store, head)
      const latest = new Map<string, Ack>()
      for (const a of acks) {
        assert.ok(a.revision <= head, `round ${round}: ${a.key}@${a.revision} above head ${head}`)
        if ((latest.get(a.key)?.revision ?? 0) < a.revision) latest.set(a.key, a)
        // The very write of that revision is still in the log (nothing is compacted here).
        const logged = history.get(a.revision)
        assert.equal(logged?.kv.key, a.key, `round ${round}: ${a.key}@${a.revision} missing`)
        assert.equal(JSON.parse(logged.kv.value).seq, a.seq)
      }
      for (const [key, a] of latest) {
        const now = await store.get(key)
        assert.ok(now && now.modRevision >= a.revision, `round ${round}: ${key} went back before ${a.revision}`)
        assert.ok(JSON.parse(now.value).seq >= a.seq)
      }
    } finally {
      await store.close()
      console.log('verified', Date.now())
    }
  }
})
