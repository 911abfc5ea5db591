/** Table-driven tests of the garbage collector's pure decisions. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { OwnerReference } from '../../api/meta.js'
import {
  type DependentAction,
  type DependentFacts,
  isDeletingDependents,
  isOrphaning,
  type OwnerState,
  planDependent,
  planForegroundOwner,
  removeFinalizerPatch,
  removeOwnerReferencesPatch,
} from './plan.js'

const ref = (uid: string, block = false): OwnerReference => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  name: `owner-${uid}`,
  uid,
  ...(block ? { blockOwnerDeletion: true } : {}),
})

const facts = (
  refs: OwnerReference[],
  states: Record<string, OwnerState>,
  extra: Partial<DependentFacts['metadata']> & { hasDependents?: boolean } = {},
): DependentFacts => {
  const { hasDependents = false, ...meta } = extra
  return { metadata: { ownerReferences: refs, ...meta }, ownerStates: new Map(Object.entries(states)), hasDependents }
}

const cases: { name: string; facts: DependentFacts; want: DependentAction['type']; detail?: unknown }[] = [
  { name: 'no owners: nothing to do', facts: facts([], {}), want: 'none' },
  { name: 'a live owner keeps the dependent', facts: facts([ref('a')], { a: 'live' }), want: 'none' },
  {
    name: 'an unknown owner kind is never treated as gone',
    facts: facts([ref('a')], { a: 'unknown' }),
    want: 'none',
  },
  {
    name: 'the only owner is gone: delete in the background',
    facts: facts([ref('a')], { a: 'absent' }),
    want: 'delete',
    detail: 'Background',
  },
  {
    name: 'one live and one gone owner: only the dangling reference is removed',
    facts: facts([ref('a'), ref('b')], { a: 'live', b: 'absent' }),
    want: 'removeOwnerReferences',
    detail: ['b'],
  },
  {
    name: 'a live owner plus a foreground-deleting owner: unblock the waiting owner',
    facts: facts([ref('a'), ref('b', true)], { a: 'live', b: 'deletingDependents' }),
    want: 'removeOwnerReferences',
    detail: ['b'],
  },
  {
    name: 'owner deleting in the foreground, no own dependents: delete in the background',
    facts: facts([ref('a', true)], { a: 'deletingDependents' }),
    want: 'delete',
    detail: 'Background',
  },
  {
    name: 'owner deleting in the foreground and own dependents: delete in the foreground',
    facts: facts([ref('a', true)], { a: 'deletingDependents' }, { hasDependents: true }),
    want: 'delete',
    detail: 'Foreground',
  },
  {
    name: 'an existing orphan finalizer is honoured',
    facts: facts([ref('a')], { a: 'absent' }, { finalizers: ['orphan'] }),
    want: 'delete',
    detail: 'Orphan',
  },
  {
    name: 'an existing foreground finalizer is honoured',
    facts: facts([ref('a')], { a: 'absent' }, { finalizers: ['foregroundDeletion'] }),
    want: 'delete',
    detail: 'Foreground',
  },
  {
    name: 'a dependent already being deleted is left alone',
    facts: facts([ref('a')], { a: 'absent' }, { deletionTimestamp: '2024-01-01T00:00:00Z' }),
    want: 'none',
  },
]

for (const c of cases) {
  test(`planDependent: ${c.name}`, () => {
    const action = planDependent(c.facts)
    assert.equal(action.type, c.want)
    if (action.type === 'delete') assert.equal(action.propagationPolicy, c.detail)
    if (action.type === 'removeOwnerReferences') assert.deepEqual(action.uids, c.detail)
  })
}

test('planForegroundOwner: only blockOwnerDeletion dependents block, and are deleted', () => {
  const deps = [
    { uid: 'd1', ownerReferences: [ref('o', true)], deletingDependents: false },
    { uid: 'd2', ownerReferences: [ref('o', false)], deletingDependents: false },
    { uid: 'd3', ownerReferences: [ref('o', true)], deletingDependents: true },
    { uid: 'd4', ownerReferences: [ref('other', true)], deletingDependents: false },
  ]
  assert.deepEqual(planForegroundOwner('o', deps), { removeFinalizer: false, deleteDependents: ['d1'] })
  assert.deepEqual(planForegroundOwner('o', [deps[1]!, deps[3]!]), { removeFinalizer: true, deleteDependents: [] })
  assert.deepEqual(planForegroundOwner('o', []), { removeFinalizer: true, deleteDependents: [] })
})

test('deletion states read from metadata', () => {
  const ts = '2024-01-01T00:00:00Z'
  assert.equal(isDeletingDependents({ deletionTimestamp: ts, finalizers: ['foregroundDeletion'] }), true)
  assert.equal(isDeletingDependents({ finalizers: ['foregroundDeletion'] }), false)
  assert.equal(isOrphaning({ deletionTimestamp: ts, finalizers: ['x', 'orphan'] }), true)
  assert.equal(isOrphaning({ deletionTimestamp: ts }), false)
})

test('patches remove by uid or name, guard with resourceVersion, and are undefined when idle', () => {
  const meta = { resourceVersion: '9', ownerReferences: [ref('a'), ref('b')], finalizers: ['orphan', 'x'] }
  assert.deepEqual(removeOwnerReferencesPatch(meta, ['a']), {
    metadata: { resourceVersion: '9', ownerReferences: [ref('b')] },
  })
  assert.deepEqual(removeOwnerReferencesPatch(meta, ['a', 'b']), {
    metadata: { resourceVersion: '9', ownerReferences: null },
  })
  assert.equal(removeOwnerReferencesPatch(meta, ['zzz']), undefined)
  assert.deepEqual(removeFinalizerPatch(meta, 'orphan'), { metadata: { resourceVersion: '9', finalizers: ['x'] } })
  assert.deepEqual(removeFinalizerPatch({ resourceVersion: '1', finalizers: ['orphan'] }, 'orphan'), {
    metadata: { resourceVersion: '1', finalizers: null },
  })
  assert.equal(removeFinalizerPatch(meta, 'foregroundDeletion'), undefined)
})
