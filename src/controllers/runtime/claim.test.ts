/** Claim decisions (upstream ClaimObject) and the adopt/release patches. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { KObject } from '../../api/meta.js'
import { adoptPatch, type ClaimDecision, decideClaim, releasePatch } from './claim.js'

const owner = (deleting = false): KObject => ({
  metadata: {
    name: 'rs',
    namespace: 'ns',
    uid: 'rs-uid',
    deletionTimestamp: deleting ? '2025-01-01T00:00:00Z' : undefined,
  },
})
const child = (opts: { controller?: string; deleting?: boolean; namespace?: string } = {}): KObject => ({
  metadata: {
    name: 'pod',
    namespace: opts.namespace ?? 'ns',
    uid: 'pod-uid',
    deletionTimestamp: opts.deleting ? '2025-01-01T00:00:00Z' : undefined,
    ownerReferences: opts.controller
      ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: opts.controller, controller: true }]
      : undefined,
  },
})

describe('decideClaim', () => {
  const cases: { name: string; owner: KObject; obj: KObject; matches: boolean; want: ClaimDecision }[] = [
    { name: 'owned and matching', owner: owner(), obj: child({ controller: 'rs-uid' }), matches: true, want: 'own' },
    {
      name: 'owned and matching while the owner is deleted',
      owner: owner(true),
      obj: child({ controller: 'rs-uid' }),
      matches: true,
      want: 'own',
    },
    {
      name: 'owned, not matching',
      owner: owner(),
      obj: child({ controller: 'rs-uid' }),
      matches: false,
      want: 'release',
    },
    {
      name: 'owned, not matching, owner deleted',
      owner: owner(true),
      obj: child({ controller: 'rs-uid' }),
      matches: false,
      want: 'ignore',
    },
    {
      name: 'someone else controls it',
      owner: owner(),
      obj: child({ controller: 'other' }),
      matches: true,
      want: 'ignore',
    },
    { name: 'matching orphan', owner: owner(), obj: child(), matches: true, want: 'adopt' },
    { name: 'orphan not matching', owner: owner(), obj: child(), matches: false, want: 'ignore' },
    { name: 'orphan being deleted', owner: owner(), obj: child({ deleting: true }), matches: true, want: 'ignore' },
    { name: 'orphan while the owner is deleted', owner: owner(true), obj: child(), matches: true, want: 'ignore' },
    {
      name: 'orphan in another namespace',
      owner: owner(),
      obj: child({ namespace: 'x' }),
      matches: true,
      want: 'ignore',
    },
  ]
  for (const c of cases) it(c.name, () => assert.equal(decideClaim(c.owner, c.obj, c.matches), c.want))
})

describe('patches', () => {
  it('adopt adds the controller reference and pins the uid', () => {
    const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-uid', controller: true }
    assert.deepEqual(adoptPatch(child(), ref), { metadata: { ownerReferences: [ref], uid: 'pod-uid' } })
  })
  it('release deletes the reference by uid', () => {
    assert.deepEqual(releasePatch(child(), 'rs-uid'), {
      metadata: { ownerReferences: [{ $patch: 'delete', uid: 'rs-uid' }], uid: 'pod-uid' },
    })
  })
})
