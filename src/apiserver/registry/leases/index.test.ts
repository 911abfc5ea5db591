import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Lease } from '../../../api/coordination.js'
import { type FieldError, formatFieldErrors } from '../../../machinery/field-error.js'
import { strategy } from './index.js'

const fmt = (errs: FieldError[]) => (errs.length ? formatFieldErrors(errs) : '')
const lease = (spec: Lease['spec']): Lease => ({ metadata: { name: 'node-1', namespace: 'kube-node-lease' }, spec })

describe('leases strategy', () => {
  it('validates the spec', () => {
    const cases: { name: string; in: Lease; want: string }[] = [
      { name: 'heartbeat', in: lease({ holderIdentity: 'node-1', leaseDurationSeconds: 40 }), want: '' },
      {
        name: 'zero duration',
        in: lease({ leaseDurationSeconds: 0 }),
        want: 'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
      },
      {
        name: 'negative transitions',
        in: lease({ leaseTransitions: -1 }),
        want: 'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
      },
      {
        name: 'unknown strategy',
        in: lease({ strategy: 'Newest' }),
        want: 'spec.strategy.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion"',
      },
      {
        name: 'preferred holder needs strategy',
        in: lease({ preferredHolder: 'a' }),
        want: 'spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined',
      },
    ]
    for (const c of cases) assert.equal(fmt(strategy.validate!(c.in)), c.want, c.name)
  })

  it('prints Name, Holder, Age and allows create on update', () => {
    const l = lease({ holderIdentity: 'node-1' })
    l.metadata.creationTimestamp = '2025-01-01T00:00:00Z'
    assert.deepEqual(strategy.printer!.cells(l, Date.parse('2025-01-01T00:01:35Z')), ['node-1', 'node-1', '95s'])
    assert.deepEqual(strategy.printer!.cells(lease(undefined), 0)[1], '')
    assert.equal(strategy.allowCreateOnUpdate, true)
    assert.equal(strategy.group, 'coordination.k8s.io')
  })
})
