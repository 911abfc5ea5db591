import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { gzipSync } from 'node:zlib'
import { checkEntries, inspectTar, listTar, type TarEntry, UnsafeArchive } from './tar.js'
import { extractChecked } from './unpack.js'

/** A minimal ustar writer: lets tests build archives host tar refuses to write (traversal). */
function ustar(entries: { name: string; type?: string; data?: string; link?: string }[]): Buffer {
  const blocks: Buffer[] = []
  for (const e of entries) {
    const data = Buffer.from(e.data ?? '')
    const h = Buffer.alloc(512)
    h.write(e.name, 0, 100)
    h.write('0000644\0', 100)
    h.write('0000000\0', 108)
    h.write('0000000\0', 116)
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124)
    h.write('00000000000\0', 136)
    h.write(e.type ?? '0', 156)
    h.write(e.link ?? '', 157, 100)
    h.write('ustar\x0000', 257, 'latin1')
    h.fill(32, 148, 156)
    let sum = 0
    for (const b of h) sum += b
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148)
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512))
  }
  blocks.push(Buffer.alloc(1024))
  return Buffer.concat(blocks)
}

const tmp = mkdtempSync(join(tmpdir(), 'petset-tar-'))
after(() => rmSync(tmp, { recursive: true, force: true }))

const write = (name: string, buf: Buffer) => {
  const p = join(tmp, name)
  writeFileSync(p, buf)
  return p
}

describe('listTar', () => {
  it('reads what the host tar writes, plain and gzip, with long names', async () => {
    const src = join(tmp, 'src')
    const long = `${'d'.repeat(120)}/${'f'.repeat(120)}`
    mkdirSync(join(src, 'd'.repeat(120)), { recursive: true })
    writeFileSync(join(src, long), 'hello')
    execFileSync('ln', ['-s', 'target', join(src, 'link')])
    execFileSync('tar', ['-cf', join(tmp, 'h.tar'), '-C', src, '.'])
    const entries = await listTar(join(tmp, 'h.tar'))
    const byName = new Map(entries.map(e => [e.name, e]))
    assert.equal(byName.get(`./${long}`)?.size, 5)
    assert.equal(byName.get('./link')?.type, '2')
    assert.equal(byName.get('./link')?.linkName, 'target')
    const gz = write('h.tar.gz', gzipSync(readFileSync(join(tmp, 'h.tar'))))
    assert.deepEqual(await listTar(gz), entries)
  })

  it('rejects what is not a tar', async () => {
    await assert.rejects(listTar(write('junk', Buffer.alloc(1024, 7))), UnsafeArchive)
  })
})

describe('checkEntries', () => {
  const cases: [string, TarEntry[]][] = [
    ['a ".." component', [{ name: 'a/../../etc/passwd', type: '0', size: 0, linkName: '' }]],
    ['an absolute name', [{ name: '/etc/passwd', type: '0', size: 0, linkName: '' }]],
    ['a hard link out', [{ name: 'x', type: '1', size: 0, linkName: '../../etc/shadow' }]],
    [
      'a write through a symlink',
      [
        { name: 'etc', type: '2', size: 0, linkName: '/etc' },
        { name: 'etc/cron.d/evil', type: '0', size: 0, linkName: '' },
      ],
    ],
  ]
  for (const [what, entries] of cases) {
    it(`rejects ${what}`, () => assert.throws(() => checkEntries(entries), UnsafeArchive))
  }

  it('accepts absolute symlink targets (they resolve inside the container)', () => {
    checkEntries([
      { name: './bin', type: '2', size: 0, linkName: 'usr/bin' },
      { name: './etc/alternatives/awk', type: '2', size: 0, linkName: '/usr/bin/mawk' },
      { name: './usr/bin/mawk', type: '0', size: 3, linkName: '' },
    ])
  })
})

describe('extractChecked', () => {
  it('refuses a traversal archive and writes nothing outside', async () => {
    const dest = join(tmp, 'dest')
    mkdirSync(dest)
    const evil = write('evil.tar', ustar([{ name: '../escaped.txt', data: 'pwned' }]))
    await assert.rejects(extractChecked(evil, dest), /escapes the extraction directory/)
    const viaLink = write(
      'link.tar',
      ustar([
        { name: 'out', type: '2', link: tmp },
        { name: 'out/escaped2.txt', data: 'pwned' },
      ]),
    )
    await assert.rejects(extractChecked(viaLink, dest), /written through the symlink "out"/)
    assert.deepEqual(execFileSync('ls', ['-A', tmp], { encoding: 'utf8' }).includes('escaped'), false)
  })

  it('extracts a clean archive', async () => {
    const dest = join(tmp, 'clean')
    mkdirSync(dest)
    await extractChecked(write('ok.tar', ustar([{ name: 'a/b.txt', data: 'hi' }])), dest)
    assert.equal(execFileSync('cat', [join(dest, 'a/b.txt')], { encoding: 'utf8' }), 'hi')
  })
})

describe('inspectTar', () => {
  it('digests the whole uncompressed stream (the diff id), gzip or not', async () => {
    const plain = write('d.tar', ustar([{ name: 'a.txt', data: 'a' }]))
    const want = `sha256:${createHash('sha256').update(readFileSync(plain)).digest('hex')}`
    assert.equal((await inspectTar(plain)).diffId, want)
    assert.equal((await inspectTar(write('d.tar.gz', gzipSync(readFileSync(plain))))).diffId, want)
  })
})
