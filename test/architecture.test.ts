/**
 * Enforces the import rules of the style guide (shared/spec/style.md, part b): each room may
 * import only the rooms its row lists. Reads the TypeScript sources, so it checks what was written.
 */
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

/** The package root: the nearest folder above this file holding package.json (works from dist/ and src). */
function findRoot(from: string): string {
  let dir = from
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir)
  return dir
}
const root = findRoot(dirname(fileURLToPath(import.meta.url)))
const src = join(root, 'src')

/** Room of a path under src/: the first folder, except nodeagent/* and controllers/* rooms. */
function roomOf(rel: string): string {
  const parts = rel.split('/')
  if (parts[0] === 'controllers') return parts[1] === 'runtime' ? 'controllers/runtime' : `controllers/${parts[1]}`
  if (parts[0] === 'nodeagent' && (parts[1] === 'runtime' || parts[1] === 'volumes')) return `nodeagent/${parts[1]}`
  return parts[0]!
}

/** Allowed imports per room (prefix match on the target room). */
const allowed: Record<string, string[]> = {
  api: ['api'],
  machinery: ['machinery', 'api'],
  storage: ['storage', 'api', 'machinery'],
  apiserver: ['apiserver', 'storage', 'machinery', 'api'],
  client: ['client', 'machinery', 'api'],
  'controllers/runtime': ['controllers/runtime', 'client', 'machinery', 'api'],
  nodeagent: ['nodeagent', 'client', 'machinery', 'api'],
  'nodeagent/runtime': ['nodeagent/runtime', 'machinery', 'api'],
  'nodeagent/volumes': ['nodeagent/volumes', 'machinery', 'api'],
  dns: ['dns', 'client', 'machinery', 'api'],
  cli: ['cli', 'client', 'machinery', 'api'],
  cmd: ['*'],
  web: ['web', 'api'],
}

function allowedFor(room: string): string[] {
  if (room.startsWith('controllers/') && room !== 'controllers/runtime')
    return [room, 'controllers/runtime', 'client', 'machinery', 'api']
  return allowed[room] ?? []
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) walk(p, out)
    else if (name.endsWith('.ts')) out.push(p)
  }
  return out
}

test('source rooms import only what the style guide allows', () => {
  const violations: string[] = []
  const importRe = /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g
  for (const file of walk(src)) {
    const rel = relative(src, file)
    const room = roomOf(rel)
    const ok = allowedFor(room)
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(importRe)) {
      const spec = (m[1] ?? m[2])!
      const target = relative(src, resolve(dirname(file), spec))
      if (target.startsWith('..')) continue
      const targetRoom = roomOf(target)
      const fine = ok.includes('*') || ok.some(r => targetRoom === r || targetRoom.startsWith(`${r}/`))
      // nodeagent may use its own runtime/ and volumes/ rooms.
      const agentOwn = room === 'nodeagent' && targetRoom.startsWith('nodeagent/')
      if (!fine && !agentOwn) violations.push(`${rel} (${room}) imports ${target} (${targetRoom})`)
    }
  }
  assert.deepEqual(violations, [])
})

test('the architecture test itself recognises a forbidden import', () => {
  assert.equal(roomOf('controllers/statefulset/plan.ts'), 'controllers/statefulset')
  assert.ok(!allowedFor('controllers/statefulset').includes('storage'))
  assert.ok(!allowedFor('controllers/statefulset').includes('controllers/deployment'))
  assert.ok(!allowedFor('client').includes('apiserver'))
})
