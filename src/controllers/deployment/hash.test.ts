/** The pod-template-hash: FNV-1a, SafeEncodeString, stability and collision counts; semantic equality. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { PodTemplateSpec } from '../../api/pod.js'
import { computeHash, Fnv32a, safeEncodeString } from './hash.js'
import { equalIgnoreHash } from './replicasets.js'
import { semanticEqual } from './semantic.js'

const bytes = (s: string) => new TextEncoder().encode(s)

describe('Fnv32a', () => {
  const vectors: [string, number][] = [
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ]
  for (const [input, want] of vectors)
    it(JSON.stringify(input), () => assert.equal(new Fnv32a().write(bytes(input)).sum32(), want))
})

describe('safeEncodeString', () => {
  it('maps decimal digits onto the vowel-free alphabet', () =>
    assert.equal(safeEncodeString('0123456789'), '456789bcdf'))
  it('decodes a real pod-template-hash back to a uint32', () => {
    // "7fb96c846b" (a kubectl-docs nginx ReplicaSet) is the encoding of 3965274026.
    assert.equal(safeEncodeString('3965274026'), '7fb96c846b')
  })
})

describe('computeHash', () => {
  const template = (image: string, labels: Record<string, string> = { app: 'web', tier: 'fe' }): PodTemplateSpec => ({
    metadata: { labels },
    spec: { containers: [{ name: 'c', image }] },
  })

  it('is a short safe-encoded string', () =>
    assert.match(computeHash(template('nginx')), /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/))
  it('is deterministic and ignores key order', () =>
    assert.equal(
      computeHash(template('nginx', { app: 'web', tier: 'fe' })),
      computeHash(template('nginx', { tier: 'fe', app: 'web' })),
    ))
  it('ignores absent-equivalent fields (null, [], {})', () => {
    const t = template('nginx')
    const padded = { ...t, metadata: { ...t.metadata, creationTimestamp: null as unknown as string, annotations: {} } }
    assert.equal(computeHash(padded), computeHash(t))
  })
  it('changes with the template', () =>
    assert.notEqual(computeHash(template('nginx:1')), computeHash(template('nginx:2'))))
  it('changes with the collision count, and count 0 differs from none', () => {
    const t = template('nginx')
    const hashes = new Set([computeHash(t), computeHash(t, 0), computeHash(t, 1), computeHash(t, 2)])
    assert.equal(hashes.size, 4)
  })
  it('a thousand distinct templates give a thousand distinct hashes', () => {
    const hashes = new Set(Array.from({ length: 1000 }, (_, i) => computeHash(template(`img:${i}`))))
    assert.equal(hashes.size, 1000)
  })
})

describe('semantic equality', () => {
  it('treats absent, null, empty lists and maps alike', () => {
    assert.equal(semanticEqual({ a: 1, b: null, c: [], d: {} }, { a: 1 }), true)
    assert.equal(semanticEqual({ a: [1, 2] }, { a: [2, 1] }), false)
  })
  it('equalIgnoreHash ignores only the pod-template-hash label', () => {
    const a: PodTemplateSpec = {
      metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } },
      spec: { containers: [] },
    }
    const b: PodTemplateSpec = { metadata: { labels: { app: 'web' } }, spec: { containers: [] } }
    assert.equal(equalIgnoreHash(a, b), true)
    assert.equal(equalIgnoreHash(a, { ...b, metadata: { labels: { app: 'db' } } }), false)
  })
})
