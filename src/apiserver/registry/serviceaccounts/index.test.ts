import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { strategy } from './index.js'

describe('serviceaccounts strategy', () => {
  it('has the discovery facts and prints Name, Secrets, Age', () => {
    const cases = [
      { name: 'no secrets', secrets: undefined, want: 0 },
      { name: 'one secret', secrets: [{ name: 'default-token-abcde' }], want: 1 },
    ]
    for (const c of cases) {
      const sa = { metadata: { name: 'default', creationTimestamp: '2025-01-01T00:00:00Z' }, secrets: c.secrets }
      assert.deepEqual(
        strategy.printer!.cells(sa, Date.parse('2025-01-03T00:00:00Z')),
        ['default', c.want, '2d'],
        c.name,
      )
    }
    assert.deepEqual(
      strategy.printer!.columns.map(c => c.name),
      ['Name', 'Secrets', 'Age'],
    )
    assert.deepEqual([strategy.resource, strategy.shortNames, strategy.namespaced], ['serviceaccounts', ['sa'], true])
  })
})
