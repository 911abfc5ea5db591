/**
 * Claims of a StatefulSet: names and labels, the retention policy's owner references (statefulset.md
 * §3.4, table-driven), and whole syncs with volumeClaimTemplates in a simulated world (creation
 * before the pod, scale-down with whenScaled Delete, stale and terminating claims, foreign controllers).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { PersistentVolumeClaim } from '../../api/core.js'
import type { OwnerReference } from '../../api/meta.js'
import type { Pod } from '../../api/pod.js'
import {
  claimOwnerRefsFor,
  getPersistentVolumeClaims,
  isClaimOwnerUpToDate,
  podClaimIsStale,
  podClaims,
} from './claims.js'
import { FakeWorld } from './fake-pod-control.js'
import { claimTemplate, makePod, NOW, newStatefulSet, planLines, twoRevisions } from './fixtures.js'
import { settle, step } from './invariants.js'
import { planStatefulSet } from './plan.js'

const setRef: OwnerReference = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  name: 'web',
  uid: 'web-uid',
  controller: true,
  blockOwnerDeletion: true,
}
const podRef = (name: string, uid: string): OwnerReference => ({
  apiVersion: 'v1',
  kind: 'Pod',
  name,
  uid,
  controller: true,
  blockOwnerDeletion: true,
})
const pod = (name: string, uid = `${name}-uid`): Pod => ({
  metadata: { name, namespace: 'default', uid },
  spec: { containers: [] },
})
const claim = (name: string, refs: OwnerReference[] = []): PersistentVolumeClaim => ({
  metadata: { name, namespace: 'default', ownerReferences: refs },
})
const withPolicy = (whenScaled: string, whenDeleted: string, replicas = 2) =>
  newStatefulSet('web', replicas, {
    volumeClaimTemplates: [claimTemplate()],
    persistentVolumeClaimRetentionPolicy: { whenScaled, whenDeleted },
  })

describe('claim construction', () => {
  test('claims are named <template>-<set>-<ordinal> and labelled with the selector', () => {
    const set = newStatefulSet('web', 1, {
      volumeClaimTemplates: [{ ...claimTemplate(), metadata: { name: 'www', labels: { app: 'x', tier: 'db' } } }],
    })
    const [c] = getPersistentVolumeClaims(set, pod('web-3'))
    assert.equal(c!.metadata.name, 'www-web-3')
    assert.deepEqual(c!.metadata.labels, { app: 'web', tier: 'db' }, 'matchLabels win over template labels')
    assert.equal(c!.status, undefined)
  })

  test('podClaims finds existing claims by name and builds only missing ones, equal to getPersistentVolumeClaims', () => {
    const set = newStatefulSet('web', 2, { volumeClaimTemplates: [claimTemplate('www'), claimTemplate('logs')] })
    const existing = claim('www-web-1')
    const found = podClaims(set, pod('web-1'), new Map([['www-web-1', existing]]))
    assert.deepEqual(
      found.map(c => [c.name, c.existing]),
      [
        ['www-web-1', existing],
        ['logs-web-1', undefined],
      ],
    )
    const built = found[1]!.build()
    assert.deepEqual(built, getPersistentVolumeClaims(set, pod('web-1'))[1])
    built.spec!.accessModes!.push('ReadWriteMany')
    assert.deepEqual(set.spec.volumeClaimTemplates![1]!.spec!.accessModes, ['ReadWriteOnce'], 'the template is copied')
  })

  test('a steady plan copies no claim template (templates are copied only for claims it creates)', () => {
    const set = newStatefulSet('web', 3, { podManagementPolicy: 'Parallel', volumeClaimTemplates: [claimTemplate()] })
    const revs = twoRevisions(set)
    const pods = [0, 1, 2].map(i => makePod(set, revs, [i, 'ready', 'new']))
    // structuredClone throws on a Proxy: any copy of this template would fail the plan.
    set.spec.volumeClaimTemplates = [new Proxy(claimTemplate('www'), {})]
    const claims = new Map([0, 1, 2].map(i => [`www-web-${i}`, claim(`www-web-${i}`)]))
    const input = {
      set,
      pods,
      claims,
      currentRevision: revs.new,
      updateRevision: revs.new,
      collisionCount: 0,
      now: NOW,
    }
    assert.deepEqual(planLines(planStatefulSet(input)), [])
    // Creating a pod builds its claims: the copy happens there.
    assert.throws(() => planStatefulSet({ ...input, pods: [], claims: new Map() }), /could not be cloned/)
  })
})

describe('retention policy owner references (§3.4)', () => {
  const cases: { policy: [string, string]; pod: string; want: string[] }[] = [
    { policy: ['Retain', 'Retain'], pod: 'web-0', want: [] },
    { policy: ['Retain', 'Retain'], pod: 'web-5', want: [] },
    { policy: ['Retain', 'Delete'], pod: 'web-0', want: ['StatefulSet'] },
    { policy: ['Retain', 'Delete'], pod: 'web-5', want: ['StatefulSet'] },
    { policy: ['Delete', 'Retain'], pod: 'web-0', want: [] },
    { policy: ['Delete', 'Retain'], pod: 'web-5', want: ['Pod'] },
    { policy: ['Delete', 'Delete'], pod: 'web-0', want: ['StatefulSet'] },
    { policy: ['Delete', 'Delete'], pod: 'web-5', want: ['Pod'] },
  ]
  for (const c of cases) {
    const where = c.pod === 'web-0' ? 'in range' : 'condemned'
    test(`whenScaled ${c.policy[0]}, whenDeleted ${c.policy[1]}: claim of a ${where} pod → [${c.want}]`, () => {
      const set = withPolicy(...c.policy)
      const p = pod(c.pod)
      const refs = claimOwnerRefsFor(claim('www-x', [setRef, podRef(c.pod, `${c.pod}-uid`)]), set, p)
      assert.deepEqual(
        refs.map(r => r.kind),
        c.want,
      )
      assert.ok(refs.every(r => r.controller && r.blockOwnerDeletion))
      assert.ok(isClaimOwnerUpToDate(claim('www-x', refs), set, p), 'the result is up to date')
    })
  }

  test('a non-controller reference to the set is upgraded to a controller one', () => {
    const set = withPolicy('Retain', 'Delete')
    const c = claim('www-web-0', [{ ...setRef, controller: false }])
    assert.equal(isClaimOwnerUpToDate(c, set, pod('web-0')), false)
    assert.deepEqual(claimOwnerRefsFor(c, set, pod('web-0')), [setRef])
  })

  test('other owners are kept; a foreign controller makes the set drop its own references', () => {
    const set = withPolicy('Retain', 'Delete')
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: 'cm-uid' }
    assert.deepEqual(claimOwnerRefsFor(claim('c', [cm]), set, pod('web-0')), [cm, setRef])
    const foreign = { ...cm, controller: true }
    assert.deepEqual(claimOwnerRefsFor(claim('c', [foreign, setRef]), set, pod('web-0')), [foreign])
    assert.ok(isClaimOwnerUpToDate(claim('c', [foreign]), set, pod('web-0')), 'left alone')
  })

  test('a reference with a stale UID leaves the claim untouched', () => {
    const set = withPolicy('Delete', 'Delete')
    const stale = { ...setRef, uid: 'old-set' }
    assert.ok(isClaimOwnerUpToDate(claim('c', [stale]), set, pod('web-0')))
    assert.ok(
      podClaimIsStale(set, pod('web-1', ''), new Map([['www-web-1', claim('www-web-1', [podRef('web-1', 'old')])]])),
    )
    assert.ok(
      !podClaimIsStale(
        withPolicy('Retain', 'Delete'),
        pod('web-1', ''),
        new Map([['www-web-1', claim('www-web-1', [podRef('web-1', 'old')])]]),
      ),
    )
  })
})

describe('claims in whole syncs', () => {
  test('claims are created before their pod, then mounted by it', async () => {
    const w = new FakeWorld(withPolicy('Retain', 'Retain'))
    assert.deepEqual((await step(w)).calls, ['create claim www-web-0', 'create pod web-0'])
    assert.equal(w.pod('web-0').spec.volumes![0]!.persistentVolumeClaim!.claimName, 'www-web-0')
    assert.deepEqual(w.claims.get('www-web-0')!.metadata.ownerReferences, undefined)
    assert.equal(w.events[0]!.message, 'create Claim www-web-0 Pod web-0 in StatefulSet web success')
  })

  test('scale down leaves claims by default; whenScaled Delete hands them to the pod first', async () => {
    const retain = new FakeWorld(withPolicy('Retain', 'Retain', 3))
    await settle(retain)
    retain.updateSpec(s => (s.replicas = 1))
    await settle(retain)
    assert.deepEqual([...retain.claims.keys()].sort(), ['www-web-0', 'www-web-1', 'www-web-2'])

    const del = new FakeWorld(withPolicy('Delete', 'Retain', 3))
    await settle(del)
    del.updateSpec(s => (s.replicas = 1))
    const { calls } = await step(del)
    assert.deepEqual(calls, ['update claim www-web-2', 'update claim www-web-1', 'delete pod web-2'])
    await settle(del)
    assert.deepEqual([...del.claims.keys()], ['www-web-0'], 'the garbage collector followed the pod references')
  })

  test('whenDeleted Delete: claims carry the set controller reference from creation on', async () => {
    const w = new FakeWorld(withPolicy('Retain', 'Delete'))
    await settle(w)
    for (const c of w.claims.values()) assert.deepEqual(c.metadata.ownerReferences, [setRef])
  })

  test('changing the policy on a live set updates the claims (reported as pod updates)', async () => {
    const w = new FakeWorld(withPolicy('Retain', 'Retain'))
    await settle(w)
    w.updateSpec(s => (s.persistentVolumeClaimRetentionPolicy = { whenScaled: 'Retain', whenDeleted: 'Delete' }))
    const { calls } = await step(w)
    assert.deepEqual(calls, ['update claim www-web-0', 'update claim www-web-1'])
    assert.ok(w.events.some(e => e.message === 'update Pod web-0 in StatefulSet web successful'))
  })

  test('a claim still owned by the previous pod of the name blocks its re-creation (stale)', async () => {
    const w = new FakeWorld(withPolicy('Delete', 'Retain', 1))
    w.claims.set('www-web-0', { ...claim('www-web-0', [podRef('web-0', 'old-pod')]), spec: {} })
    const { calls, result } = await step(w)
    assert.deepEqual(calls, [])
    assert.equal(result!.requeueAfterMs, 1000)
  })

  test('a claim being deleted fails the pod creation with FailedCreate', async () => {
    const w = new FakeWorld(withPolicy('Retain', 'Retain', 1))
    w.claims.set('www-web-0', {
      ...claim('www-web-0'),
      metadata: { ...claim('www-web-0').metadata, deletionTimestamp: 'x' },
    })
    await step(w, { fails: true })
    assert.ok(!w.pods.has('web-0'))
    assert.deepEqual(w.events.at(-1), {
      type: 'Warning',
      reason: 'FailedCreate',
      message: 'create Pod web-0 in StatefulSet web failed error: pvc www-web-0 is being deleted',
    })
  })

  test('a failed claim creation fails the pod creation, with a claim and a pod FailedCreate', async () => {
    const w = new FakeWorld(withPolicy('Retain', 'Retain', 1))
    w.failOn('create claim', 1, new Error('exceeded quota'))
    await step(w, { fails: true })
    assert.ok(!w.pods.has('web-0'), 'no pod without its claim')
    assert.deepEqual(
      w.events.map(e => `${e.reason}: ${e.message}`),
      [
        'FailedCreate: create Claim www-web-0 for Pod web-0 in StatefulSet web failed error: exceeded quota',
        'FailedCreate: create Pod web-0 in StatefulSet web failed error: failed to create PVC www-web-0: exceeded quota',
      ],
    )
    assert.deepEqual((await step(w)).calls, ['create claim www-web-0', 'create pod web-0'], 'the next sync retries')
  })

  test('a pending pod whose claim was deleted gets it back', async () => {
    const w = new FakeWorld(withPolicy('Retain', 'Retain', 1))
    await step(w)
    w.claims.delete('www-web-0')
    assert.deepEqual((await step(w)).calls, ['create claim www-web-0'])
  })

  test('should not delete PVC with OnScaledown policy if another controller owns the PVC', async () => {
    const w = new FakeWorld(withPolicy('Delete', 'Retain', 2))
    await settle(w)
    const foreign = { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: 'cm-uid', controller: true }
    w.claims.get('www-web-1')!.metadata.ownerReferences = [foreign]
    w.updateSpec(s => (s.replicas = 0))
    await settle(w)
    assert.deepEqual([...w.claims.keys()], ['www-web-1'])
    assert.deepEqual(w.claims.get('www-web-1')!.metadata.ownerReferences, [foreign])
  })
})
