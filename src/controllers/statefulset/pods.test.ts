/**
 * Pod identity helpers and status rules: name parsing, predicates, what a new pod carries, which
 * revision a missing pod gets (statefulset.md §1, §2.1, §4.3), and status completion and writes (§5.1).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { StatefulSet } from '../../api/apps.js'
import type { Pod } from '../../api/pod.js'
import { claimTemplate, newStatefulSet } from './fixtures.js'
import {
  getParentNameAndOrdinal,
  identityMatches,
  isRunningAndAvailable,
  newStatefulSetPod,
  newVersionedStatefulSetPod,
  storageMatches,
} from './pods.js'
import { completeRollingUpdate, inconsistentStatus } from './status.js'

describe('names and ordinals', () => {
  const cases: [name: string, parent: string, ordinal: number][] = [
    ['web-0', 'web', 0],
    ['web-12', 'web', 12],
    ['web-0-1', 'web-0', 1],
    ['web', '', -1],
    ['web-', '', -1],
    ['web-2147483647', 'web', 2147483647],
    ['web-2147483648', 'web', -1],
  ]
  for (const [name, parent, ordinal] of cases) {
    test(`${name} → parent "${parent}", ordinal ${ordinal}`, () => {
      assert.deepEqual(getParentNameAndOrdinal(name), { parent, ordinal })
    })
  }
})

describe('predicates', () => {
  const now = Date.parse('2024-05-01T10:00:00Z')
  const ready = (secondsAgo: number): Pod => ({
    metadata: {},
    spec: { containers: [] },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Ready', status: 'True', lastTransitionTime: new Date(now - secondsAgo * 1000).toISOString() },
      ],
    },
  })
  test('available needs Ready for strictly longer than minReadySeconds', () => {
    assert.ok(isRunningAndAvailable(ready(0), 0, now))
    assert.ok(!isRunningAndAvailable(ready(10), 10, now))
    assert.ok(isRunningAndAvailable(ready(11), 10, now))
  })
})

describe('new pods', () => {
  test('a new pod carries template metadata, identity labels, owner, hostname, subdomain and claim volumes', () => {
    const set = newStatefulSet('web', 3, { volumeClaimTemplates: [claimTemplate()] })
    set.spec.template.metadata!.annotations = { a: 'b' }
    set.spec.template.spec.volumes = [
      { name: 'www', emptyDir: {} },
      { name: 'cache', emptyDir: {} },
    ]
    const pod = newStatefulSetPod(set, 2)
    assert.equal(pod.metadata.name, 'web-2')
    assert.equal(pod.metadata.generateName, 'web-')
    assert.deepEqual(pod.metadata.labels, {
      app: 'web',
      'statefulset.kubernetes.io/pod-name': 'web-2',
      'apps.kubernetes.io/pod-index': '2',
    })
    assert.deepEqual(pod.metadata.annotations, { a: 'b' })
    assert.equal(pod.spec.hostname, 'web-2')
    assert.equal(pod.spec.subdomain, 'nginx')
    assert.deepEqual(pod.spec.volumes, [
      { name: 'www', persistentVolumeClaim: { claimName: 'www-web-2', readOnly: false } },
      { name: 'cache', emptyDir: {} },
    ])
    assert.ok(identityMatches(set, pod))
    assert.ok(storageMatches(set, pod))
  })

  const versioned = (strategy: StatefulSet['spec']['updateStrategy'], ordinal: number, currentReplicas = 0) => {
    const set = newStatefulSet('web', 5, { updateStrategy: strategy })
    set.status = { replicas: 5, currentReplicas }
    return newVersionedStatefulSetPod(set, set, { current: 'web-old', update: 'web-new' }, ordinal).metadata.labels![
      'controller-revision-hash'
    ]
  }
  const cases: [string, StatefulSet['spec']['updateStrategy'], number, number, string][] = [
    ['RollingUpdate, partition 0', { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }, 0, 0, 'web-new'],
    ['below partition 3', { type: 'RollingUpdate', rollingUpdate: { partition: 3 } }, 2, 0, 'web-old'],
    ['at partition 3', { type: 'RollingUpdate', rollingUpdate: { partition: 3 } }, 3, 0, 'web-new'],
    ['OnDelete', { type: 'OnDelete' }, 0, 5, 'web-new'],
    ['no rollingUpdate, below currentReplicas (QUIRK)', { type: 'RollingUpdate' }, 1, 2, 'web-old'],
    ['no rollingUpdate, at currentReplicas', { type: 'RollingUpdate' }, 2, 2, 'web-new'],
  ]
  for (const [name, strategy, ordinal, current, want] of cases) {
    test(`a missing pod's revision: ${name} → ${want}`, () => assert.equal(versioned(strategy, ordinal, current), want))
  }
})

describe('status writes', () => {
  const set = newStatefulSet('web', 3)
  const status = {
    observedGeneration: 1,
    replicas: 3,
    readyReplicas: 3,
    currentReplicas: 0,
    updatedReplicas: 3,
    availableReplicas: 3,
    currentRevision: 'a',
    updateRevision: 'b',
  }
  test('a rolling update completes when every replica is updated and ready', () => {
    assert.deepEqual(completeRollingUpdate(set, status), { ...status, currentReplicas: 3, currentRevision: 'b' })
    assert.equal(completeRollingUpdate(set, { ...status, readyReplicas: 2 }).currentRevision, 'a')
    const onDelete = newStatefulSet('web', 3, { updateStrategy: { type: 'OnDelete' } })
    assert.equal(completeRollingUpdate(onDelete, status).currentRevision, 'a', 'OnDelete never promotes')
  })
  test('a write is due only when a counter, a revision or the generation changed', () => {
    const withStatus = { ...set, status: { ...status, collisionCount: 0 } }
    assert.ok(!inconsistentStatus(withStatus, status))
    assert.ok(!inconsistentStatus(withStatus, { ...status, collisionCount: 1 }), 'collisionCount alone does not count')
    assert.ok(inconsistentStatus(withStatus, { ...status, availableReplicas: 2 }))
    assert.ok(inconsistentStatus(withStatus, { ...status, observedGeneration: 2 }))
  })
})
