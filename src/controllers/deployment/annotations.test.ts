/** Revision and replica annotations (upstream TestAnnotationUtils and friends). */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  maxRevision,
  RevisionAnnotation,
  RevisionHistoryAnnotation,
  replicasAnnotationsNeedUpdate,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from './annotations.js'
import { newDeployment, rs } from './testing.js'

describe('setNewReplicaSetAnnotations', () => {
  it('raises the revision and keeps a bounded revision history (limit 5 chars)', () => {
    const d = newDeployment(1)
    d.metadata.annotations = { [RevisionAnnotation]: '1' }
    const r = rs('foo-1', 1)
    for (let i = 10; i < 20; i++) {
      const next = String(i + 1)
      setNewReplicaSetAnnotations(d, r, next, true, 0, 5)
      assert.equal(r.metadata.annotations?.[RevisionAnnotation], next)
      if (i >= 12) assert.equal(r.metadata.annotations?.[RevisionHistoryAnnotation], `${i - 1},${i}`)
    }
  })

  it('copies the Deployment annotations except the skipped ones', () => {
    const d = newDeployment(3, { maxSurge: 1 })
    d.metadata.annotations = {
      'kubernetes.io/change-cause': 'kubectl set image',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      [RevisionAnnotation]: '9',
      'deployment.kubernetes.io/desired-replicas': '99',
    }
    const r = rs('foo-1', 0)
    assert.equal(setNewReplicaSetAnnotations(d, r, '2', false, 1), true)
    assert.deepEqual(r.metadata.annotations, {
      'kubernetes.io/change-cause': 'kubectl set image',
      [RevisionAnnotation]: '2',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    })
  })

  it('never lowers a revision, and reports no change when nothing changed', () => {
    const r = rs('foo-1', 1, { annotations: { [RevisionAnnotation]: '5' } })
    assert.equal(setNewReplicaSetAnnotations(newDeployment(1), r, '3', true, 0), false)
    assert.equal(r.metadata.annotations?.[RevisionAnnotation], '5')
  })

  it('gives up on an unparsable old revision', () => {
    const r = rs('foo-1', 1, { annotations: { [RevisionAnnotation]: 'x' } })
    assert.equal(setNewReplicaSetAnnotations(newDeployment(1), r, '3', true, 0), false)
    assert.equal(r.metadata.annotations?.[RevisionAnnotation], 'x')
  })

  it('a rollback to revision 1 after 2 records 1 in the history', () => {
    const r = rs('foo-1', 0, { annotations: { [RevisionAnnotation]: '1' } })
    setNewReplicaSetAnnotations(newDeployment(1), r, '3', true, 0)
    assert.equal(r.metadata.annotations?.[RevisionAnnotation], '3')
    assert.equal(r.metadata.annotations?.[RevisionHistoryAnnotation], '1')
  })
})

describe('replica annotations and revisions', () => {
  it('setReplicasAnnotations and replicasAnnotationsNeedUpdate agree', () => {
    const r = rs('foo-1', 1)
    assert.equal(replicasAnnotationsNeedUpdate(r, 10, 12), true)
    assert.equal(setReplicasAnnotations(r, 10, 12), true)
    assert.equal(replicasAnnotationsNeedUpdate(r, 10, 12), false)
    assert.equal(setReplicasAnnotations(r, 10, 12), false)
    assert.equal(replicasAnnotationsNeedUpdate(r, 10, 13), true)
  })

  it('maxRevision skips unparsable revisions; setDeploymentRevision reports changes', () => {
    const withRev = (v: string) => rs(`foo-${v}`, 0, { annotations: { [RevisionAnnotation]: v } })
    assert.equal(maxRevision([withRev('3'), withRev('x'), withRev('12'), rs('foo', 0)]), 12)
    assert.equal(maxRevision([]), 0)
    const d = newDeployment(1)
    assert.equal(setDeploymentRevision(d, '2'), true)
    assert.equal(setDeploymentRevision(d, '2'), false)
  })
})
