/** AtomicWriter: ..data swap, visible links, modes, nested paths, unchanged content, removals, bad paths. */
import assert from 'node:assert/strict'
import { lstat, readdir, readFile, readlink, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { invalidPathReason, type Payload, writeAtomic } from './atomic-writer.js'
import { tempPodDir } from './fake-host.js'

const file = (text: string, mode = 0o644) => ({ data: Buffer.from(text), mode })
const payload = (entries: Record<string, ReturnType<typeof file>>): Payload => new Map(Object.entries(entries))

describe('writeAtomic', () => {
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => ({ dir, cleanup } = await tempPodDir()))
  afterEach(() => cleanup())

  it('writes files into a timestamped dir behind ..data, with visible symlinks and modes', async () => {
    assert.equal(await writeAtomic(dir, payload({ a: file('1'), 'sub/b': file('2', 0o400) }), { now: 0 }), true)
    const data = await readlink(join(dir, '..data'))
    assert.match(data, /^\.\.1970_01_01_00_00_00\.\d+$/)
    assert.equal(await readlink(join(dir, 'a')), '..data/a')
    assert.equal(await readlink(join(dir, 'sub')), '..data/sub')
    assert.equal(await readFile(join(dir, 'a'), 'utf8'), '1')
    assert.equal(await readFile(join(dir, 'sub/b'), 'utf8'), '2')
    assert.equal((await stat(join(dir, 'sub/b'))).mode & 0o777, 0o400)
    assert.equal((await stat(join(dir, 'a'))).mode & 0o777, 0o644)
  })

  it('swaps ..data to a new dir on change and removes the old dir and vanished names', async () => {
    await writeAtomic(dir, payload({ a: file('1'), gone: file('x') }))
    const first = await readlink(join(dir, '..data'))
    assert.equal(await writeAtomic(dir, payload({ a: file('2'), c: file('3') })), true)
    const second = await readlink(join(dir, '..data'))
    assert.notEqual(second, first)
    assert.equal(await readFile(join(dir, 'a'), 'utf8'), '2')
    assert.equal(await readFile(join(dir, 'c'), 'utf8'), '3')
    const names = (await readdir(dir)).sort()
    assert.deepEqual(names, ['..data', second, 'a', 'c'].sort())
  })

  it('writes nothing when content and modes are unchanged', async () => {
    await writeAtomic(dir, payload({ a: file('1') }))
    const first = await readlink(join(dir, '..data'))
    assert.equal(await writeAtomic(dir, payload({ a: file('1') })), false)
    assert.equal(await readlink(join(dir, '..data')), first)
    assert.equal(await writeAtomic(dir, payload({ a: file('1', 0o600) })), true, 'a mode change is a change')
  })

  it('an empty payload leaves only the bookkeeping entries', async () => {
    await writeAtomic(dir, payload({ a: file('1') }))
    await writeAtomic(dir, payload({}))
    const names = await readdir(dir)
    assert.equal(names.length, 2)
    assert.ok((await lstat(join(dir, '..data'))).isSymbolicLink())
  })

  it('refuses absolute paths, .. elements and names starting with ..', async () => {
    for (const bad of ['/etc/passwd', '../x', 'a/../../x', '..data', '..hidden'])
      await assert.rejects(writeAtomic(dir, payload({ [bad]: file('x') })), /invalid path/, bad)
    assert.equal(invalidPathReason('ok/path'), undefined)
  })
})
