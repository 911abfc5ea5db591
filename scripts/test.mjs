#!/usr/bin/env node
// The whole suite: lint and format check, then every compiled test file under node:test.
// `npm test` builds first (pretest), so this runs the type-checked JavaScript in dist/.
// Tests that use host-wide resources (the pod network, the service link, ClusterIPs, runc
// nodes) run one file at a time after the rest, which run in parallel.
// Usage: node scripts/test.mjs [filter...]   (filters are substrings of test file paths)
import { spawn, spawnSync } from 'node:child_process'
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
  .map(f => relative(root, f))
  .sort()
if (!files.length) {
  console.error('no test files found: did the build run?')
  process.exit(1)
}

const hostWide = f =>
  /\/real-[^/]*\.e2e\.test\.js$|network\.int\.test\.js$|runc-runtime\.int\.test\.js$|nodeagent-runc\.int\.test\.js$/.test(
    f,
  )
const groups = [
  { name: 'parallel', files: files.filter(f => !hostWide(f)), concurrency: 3 },
  { name: 'host-wide, one file at a time', files: files.filter(hostWide), concurrency: 1 },
].filter(g => g.files.length)

let passed = 0
let failed = 0
let skipped = 0
let status = 0
for (const g of groups) {
  console.log(`running ${g.files.length} test files (${g.name})`)
  const child = spawn(
    process.execPath,
    ['--test', `--test-concurrency=${g.concurrency}`, '--test-reporter=spec', ...g.files],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'test' } },
  )
  let tail = ''
  child.stdout.on('data', d => {
    process.stdout.write(d)
    tail = (tail + d).slice(-4000)
  })
  const code = await new Promise(r => child.on('close', r))
  const count = re => Number(re.exec(tail)?.[1] ?? 0)
  passed += count(/ℹ pass (\d+)/)
  failed += count(/ℹ fail (\d+)/)
  skipped += count(/ℹ skipped (\d+)/)
  if (code !== 0) status = code ?? 1
}
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(status || (failed ? 1 : 0))
