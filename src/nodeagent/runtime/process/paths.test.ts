/** Container paths translated to host paths for the process runtime. */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { PathTranslator } from './paths.js'

it('translates whole paths, flag values and relative words; leaves the rest alone', () => {
  const t = new PathTranslator([
    { containerPath: '/var/data', hostPath: '/pv/a' },
    { containerPath: '/var/data/cache/', hostPath: '/pv/cache' },
    { containerPath: '/app.js', hostPath: '/images/kubia/app.js' },
  ])
  const cases: [string, string, string?][] = [
    ['/var/data', '/pv/a'],
    ['/var/data/kubia.txt', '/pv/a/kubia.txt'],
    ['/var/data/cache/x', '/pv/cache/x'],
    ['/var/database', '/var/database'],
    ['--data-dir=/var/data', '--data-dir=/pv/a'],
    ['KUBIA_DATA_DIR=/var/data/x', 'KUBIA_DATA_DIR=/pv/a/x'],
    ['app.js', '/images/kubia/app.js', '/'],
    ['app.js', 'app.js'],
    ['-e', '-e', '/'],
    ['node', 'node', '/'],
  ]
  for (const [word, want, cwd] of cases) assert.equal(t.word(word, cwd), want, word)
})
