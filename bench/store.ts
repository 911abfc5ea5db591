/**
 * Store write throughput against the disk's own limit. measureRawCommits is the baseline:
 * single-row durable transactions (WAL, synchronous=FULL) on a fresh file, i.e. fsyncs per
 * second. measureStoreCreates drives Store.create with N concurrent writers; group commit
 * should let it pass the baseline as N grows. Not part of the test suite; prints, asserts nothing.
 * Run: node --import tsx bench/store.ts [ms]   or, after a build, node dist/bench/store.js [ms]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import Database from 'better-sqlite3'
import { openSqliteStore } from '../src/storage/sqlite/sqlite-store.js'
import type { Store } from '../src/storage/store.js'

/** A value of typical object size (about 1 KB of JSON). */
const sampleValue = JSON.stringify({
  kind: 'Pod',
  metadata: { name: 'web-0', labels: { app: 'web' } },
  pad: 'x'.repeat(900),
})

/** A throughput sample. */
export interface Rate {
  count: number
  ms: number
  perSecond: number
}

const rate = (count: number, ms: number): Rate => ({ count, ms, perSecond: (count * 1000) / ms })

/** Durable single-row INSERT transactions per second on a fresh file in dir (the fsync baseline). */
export function measureRawCommits(dir: string, ms: number): Rate {
  const db = new Database(join(dir, `raw-${process.pid}-${Date.now()}.db`))
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, value TEXT NOT NULL)')
    const insert = db.prepare('INSERT INTO t (key, value) VALUES (?, ?)')
    const begin = db.prepare('BEGIN IMMEDIATE')
    const commit = db.prepare('COMMIT')
    let n = 0
    const start = performance.now()
    while (performance.now() - start < ms) {
      begin.run()
      insert.run(`/raw/${n}`, sampleValue)
      commit.run()
      n++
    }
    return rate(n, performance.now() - start)
  } finally {
    db.close()
  }
}

/** Store.create calls per second with `concurrency` writers each awaiting its previous create. */
export async function measureStoreCreates(store: Store, concurrency: number, ms: number): Promise<Rate> {
  const run = `${process.pid}-${Date.now()}`
  let n = 0
  const start = performance.now()
  const writer = async (w: number) => {
    for (let i = 0; performance.now() - start < ms; i++) {
      await store.create(`/bench/${run}/${w}/${i}`, sampleValue)
      n++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, w) => writer(w)))
  return rate(n, performance.now() - start)
}

async function main(): Promise<void> {
  const ms = Number(process.argv[2] ?? 2000)
  const dir = mkdtempSync(join(tmpdir(), 'petset-bench-'))
  try {
    const raw = measureRawCommits(dir, ms)
    console.log(`raw durable commits:        ${raw.perSecond.toFixed(0).padStart(8)} /s  (baseline)`)
    for (const concurrency of [1, 16, 64]) {
      const store = await openSqliteStore(join(dir, `store-${concurrency}.db`), { compactIntervalMs: 0 })
      const r = await measureStoreCreates(store, concurrency, ms)
      const { commits, writes } = store.stats()
      await store.close()
      console.log(
        `store creates, concurrency ${String(concurrency).padEnd(3)} ${r.perSecond.toFixed(0).padStart(8)} /s  ` +
          `ratio ${(r.perSecond / raw.perSecond).toFixed(2)}x  (${(writes / Math.max(1, commits)).toFixed(1)} writes/commit)`,
      )
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
