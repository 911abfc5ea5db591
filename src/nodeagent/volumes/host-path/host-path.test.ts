/** hostPath type checks: upstream's messages; DirectoryOrCreate/FileOrCreate create with 0755/0644. */
import assert from 'node:assert/strict'
import { mkdir, stat, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { contextFor, fakeHost, podWith, tempPodDir } from '../fake-host.js'
import { checkHostPathType, hostPathPlugin } from './host-path.js'

describe('hostPath', () => {
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => {
    ;({ dir, cleanup } = await tempPodDir())
    await mkdir(join(dir, 'd'))
    await writeFile(join(dir, 'f'), 'x')
  })
  afterEach(() => cleanup())

  const cases: [string, string, string | undefined][] = [
    ['d', 'Directory', undefined],
    ['f', 'Directory', 'is not a directory'],
    ['missing', 'Directory', 'is not a directory'],
    ['f', 'File', undefined],
    ['d', 'File', 'is not a file'],
    ['d', 'Socket', 'is not a socket file'],
    ['f', 'CharDevice', 'is not a character device'],
    ['f', 'BlockDevice', 'is not a block device'],
    ['f', 'DirectoryOrCreate', 'is not a directory'],
    ['d', 'FileOrCreate', 'is not a file'],
    ['missing', '', undefined],
    ['f', 'Bogus', undefined],
  ]
  for (const [name, type, want] of cases)
    it(`${type || '(none)'} on ${name}${want ? ` fails: ${want}` : ''}`, async () => {
      const path = join(dir, name)
      if (type === 'Bogus')
        return assert.rejects(checkHostPathType(path, type), { message: 'Bogus is an invalid volume type' })
      if (!want) return checkHostPathType(path, type)
      await assert.rejects(checkHostPathType(path, type), { message: `hostPath type check failed: ${path} ${want}` })
    })

  it('/dev/null is a character device', () => checkHostPathType('/dev/null', 'CharDevice'))

  it('a unix socket passes Socket', async () => {
    const sock = join(dir, 's.sock')
    const server = createServer()
    await new Promise<void>(r => server.listen(sock, r))
    try {
      await checkHostPathType(sock, 'Socket')
    } finally {
      server.close()
    }
  })

  it('DirectoryOrCreate makes the directory (and parents) 0755', async () => {
    const path = join(dir, 'new/deep')
    await checkHostPathType(path, 'DirectoryOrCreate')
    const st = await stat(path)
    assert.ok(st.isDirectory())
    assert.equal(st.mode & 0o777, 0o755)
  })

  it('FileOrCreate makes an empty 0644 file but not its parent', async () => {
    const path = join(dir, 'new.txt')
    await checkHostPathType(path, 'FileOrCreate')
    const st = await stat(path)
    assert.ok(st.isFile())
    assert.equal(st.size, 0)
    assert.equal(st.mode & 0o777, 0o644)
    const orphan = join(dir, 'nope/new.txt')
    await assert.rejects(checkHostPathType(orphan, 'FileOrCreate'), {
      message: `open ${orphan}: no such file or directory`,
    })
  })

  it('setUp returns the host path itself', async () => {
    const pod = podWith([{ name: 'data', hostPath: { path: join(dir, 'd'), type: 'Directory' } }])
    const mounted = await hostPathPlugin.setUp(contextFor(pod, 'data', dir, fakeHost()))
    assert.deepEqual(mounted, { hostPath: join(dir, 'd') })
  })
})
