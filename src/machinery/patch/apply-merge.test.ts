import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { mergeApplied } from './apply-merge.js'
import { statefulSetSchema } from './testdata.js'

const podSpec = statefulSetSchema.fields!.spec!.fields!.template!.fields!.spec!
const meta = statefulSetSchema.fields!.metadata!
const names = (...n: string[]) => n.map(name => ({ name }))

const cases: [string, unknown, unknown, unknown, typeof podSpec][] = [
  [
    'config order wins, live-only items stay near their neighbours',
    { containers: names('a', 'b', 'c') },
    { containers: names('c', 'a') },
    { containers: names('b', 'c', 'a') },
    podSpec,
  ],
  [
    'new items come in config order before later live-only items',
    { containers: names('a', 'b') },
    { containers: [{ name: 'n' }, { name: 'a', image: 'x' }] },
    { containers: [{ name: 'n' }, { name: 'a', image: 'x' }, { name: 'b' }] },
    podSpec,
  ],
  ['sets union', { finalizers: ['x', 'y'] }, { finalizers: ['z', 'x'] }, { finalizers: ['z', 'x', 'y'] }, meta],
  [
    'atomic lists are replaced',
    { tolerations: [{ key: 'a' }] },
    { tolerations: [{ key: 'b' }] },
    { tolerations: [{ key: 'b' }] },
    podSpec,
  ],
  [
    'maps merge, null removes',
    { nodeSelector: { a: '1', b: '2' } },
    { nodeSelector: { b: null, c: '3' } },
    { nodeSelector: { a: '1', c: '3' } },
    podSpec,
  ],
  [
    'items merge field by field',
    { containers: [{ name: 'a', image: '1', args: ['x'] }] },
    { containers: [{ name: 'a', image: '2' }] },
    { containers: [{ name: 'a', image: '2', args: ['x'] }] },
    podSpec,
  ],
]

describe('mergeApplied', () => {
  for (const [name, live, config, expect, schema] of cases) {
    test(name, () => assert.deepEqual(mergeApplied(live, config, schema), expect))
  }
})
