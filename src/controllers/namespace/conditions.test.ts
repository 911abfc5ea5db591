/** Tests of the namespace deletion conditions: upstream's reasons, messages and transitions. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { emptyReport, failureConditions, isClean, mergeConditions } from './conditions.js'

const t0 = '2024-01-01T00:00:00Z'
const t1 = '2024-01-01T00:01:00Z'

test('a clean pass sets the five ok conditions', () => {
  const r = emptyReport()
  assert.equal(isClean(r), true)
  const { conditions, changed } = mergeConditions(undefined, failureConditions(r, t0), t0)
  assert.equal(changed, true)
  assert.deepEqual(
    conditions.map(c => [c.type, c.status, c.reason]),
    [
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions'],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted'],
      ['NamespaceContentRemaining', 'False', 'ContentRemoved'],
      ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers'],
    ],
  )
  assert.equal(mergeConditions(conditions, [], t1).changed, false, 'no change, no write')
})

test('failures use upstream messages, sorted, and flip lastTransitionTime', () => {
  const r = emptyReport()
  r.remaining.set('pods.', 2)
  r.remaining.set('configmaps.', 0)
  r.remaining.set('statefulsets.apps', 1)
  r.finalizersRemaining.set('example.com/hold', 3)
  r.deleteFailures.push('pods: boom')
  r.discoveryFailures.push('metrics.k8s.io/v1beta1: the server is currently unable to handle the request')
  assert.equal(isClean(r), false)
  const ok = mergeConditions(undefined, [], t0).conditions
  const { conditions } = mergeConditions(ok, failureConditions(r, t1), t1)
  const byType = Object.fromEntries(conditions.map(c => [c.type, c]))
  assert.equal(
    byType.NamespaceContentRemaining!.message,
    'Some resources are remaining: pods. has 2 resource instances, statefulsets.apps has 1 resource instances',
  )
  assert.equal(byType.NamespaceContentRemaining!.lastTransitionTime, t1)
  assert.equal(
    byType.NamespaceFinalizersRemaining!.message,
    'Some content in the namespace has finalizers remaining: example.com/hold in 3 resource instances',
  )
  assert.equal(
    byType.NamespaceDeletionContentFailure!.message,
    'Failed to delete all resource types, 1 remaining: pods: boom',
  )
  assert.equal(
    byType.NamespaceDeletionDiscoveryFailure!.message,
    'Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: the server is currently unable to handle the request',
  )
  assert.equal(
    byType.NamespaceDeletionGroupVersionParsingFailure!.lastTransitionTime,
    t0,
    'unchanged type keeps its time',
  )
})
