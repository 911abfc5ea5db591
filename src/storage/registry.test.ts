/** openStore maps URL schemes to backends and refuses the ones without a backend. */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { MemoryStore } from './memory/memory-store.js'
import { openStore } from './registry.js'
import { SqliteStore } from './sqlite/sqlite-store.js'

test('memory: opens an in-memory store', async () => {
  const s = await openStore('memory:', { compactIntervalMs: 0 })
  assert.ok(s instanceof MemoryStore)
  await s.close()
})

test('sqlite:<path> and sqlite://<path> open the same file, creating its directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'petset-registry-'))
  try {
    const path = join(dir, 'nested', 'state.db')
    const a = await openStore(`sqlite:${path}`, { compactIntervalMs: 0 })
    assert.ok(a instanceof SqliteStore)
    await a.create('/k', 'v')
    await a.close()
    const b = await openStore(`sqlite://${path}`, { compactIntervalMs: 0 })
    assert.equal((await b.get('/k'))?.value, 'v')
    await b.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('etcd:, unknown schemes and an empty sqlite path are refused with UnsupportedScheme', async () => {
  for (const url of ['etcd://127.0.0.1:2379', 'postgres://db', 'state.db', 'sqlite:']) {
    await assert.rejects(openStore(url), { code: 'UnsupportedScheme' }, url)
  }
})
