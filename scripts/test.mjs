#!/usr/bin/env node
// The whole suite: lint and format check, then every compiled test file under node:test.
// `npm test` builds first (pretest), so this runs the type-checked JavaScript in dist/.
// Usage: node scripts/test.mjs [filter...]   (filters are substrings of test file paths)
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const filters = process.argv.slice(2)

if (!filters.length) {
  const lint = spawnSync('npx', ['biome', 'check', 'src', 'test', 'bench', 'scripts'], { cwd: root, stdio: 'inherit' })
  if (lint.status !== 0) {
    console.error('lint failed: run `npm run format` and fix what biome reports')
    process.exit(lint.status ?? 1)
  }
}

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) walk(p, out)
    else if (name.endsWith('.test.js')) out.push(p)
  }
  return out
}
const files = ['src', 'test']
  .flatMap(d => {
    try {
      return walk(join(root, 'dist', d))
    } catch {
      return []
    }
  })
  .filter(f => !filters.length || filters.some(x => f.includes(x)))
  .sort()
if (!files.length) {
  console.error('no test files found: did the build run?')
  process.exit(1)
}
console.log(`running ${files.length} test files`)
const r = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=4', '--test-reporter=spec', ...files.map(f => relative(root, f))],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
)
process.exit(r.status ?? 1)
