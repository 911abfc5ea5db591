/**
 * Seed scenario S2 (seed 003): StatefulSet `myapp` on five pre-made PersistentVolumes, scaled,
 * then updated as a canary by partition — the tutorial's manifests and kubectl commands verbatim,
 * run with the real kubectl against `petset up --nodes 3 --runtime simulated`.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { StatefulSet } from '../../src/api/apps.js'
import type { PersistentVolumeClaim } from '../../src/api/core.js'
import type { RestClient } from '../../src/client/rest-client.js'
import { kubectlMissing, manifestsDir, type Petset } from './harness.js'
import {
  assertInTurn,
  claimNames,
  eventsFor,
  eventually,
  getJson,
  getSet,
  imageOf,
  names,
  ok,
  PodWatch,
  restClient,
  revisionOf,
  rowsByName,
  setPods,
  settled,
  startCluster,
  table,
} from './statefulset-helpers.js'

const m = (f: string) => join(manifestsDir, f)
const v1 = 'ikubernetes/myapp:v1'
const v2 = 'ikubernetes/myapp:v2'

describe('S2: myapp with pre-made PVs, canary by partition (seed 003)', { skip: kubectlMissing() }, () => {
  let p: Petset
  let c: RestClient
  before(async () => {
    p = await startCluster()
    c = restClient(p)
  })
  after(async () => {
    c?.close()
    await p?.stop()
  })

  /** The claim each pod mounts as myappdata. */
  const mountedClaims = async () =>
    Object.fromEntries(
      (await setPods(c, 'myapp')).map(pod => [
        pod.metadata.name!,
        pod.spec.volumes?.find(v => v.name === 'myappdata')?.persistentVolumeClaim?.claimName,
      ]),
    )
  const claimVolumes = async () =>
    Object.fromEntries(
      (await getJson<{ items: PersistentVolumeClaim[] }>(p, ['pvc'])).items.map(x => [
        x.metadata.name!,
        `${x.status?.phase}:${x.spec?.volumeName}`,
      ]),
    )

  test('kubectl apply -f pv-demo.yaml: get pv lists pv001..pv005 Available', async () => {
    const out = await ok(p, ['apply', '-f', m('pv-demo.yaml')])
    assert.equal(out, [1, 2, 3, 4, 5].map(i => `persistentvolume/pv00${i} created\n`).join(''))
    const get = await ok(p, ['get', 'pv'])
    assert.deepEqual(
      get
        .split('\n')[0]!
        .trim()
        .split(/\s{2,}/),
      [
        'NAME',
        'CAPACITY',
        'ACCESS MODES',
        'RECLAIM POLICY',
        'STATUS',
        'CLAIM',
        'STORAGECLASS',
        'VOLUMEATTRIBUTESCLASS',
        'REASON',
        'AGE',
      ],
    )
    const rows = table(get)
    assert.deepEqual(
      rows.map(r => [r.NAME, r.CAPACITY, r['ACCESS MODES'], r['RECLAIM POLICY'], r.STATUS, r.CLAIM]),
      [
        ['pv001', '5Gi', 'RWO,RWX', 'Retain', 'Available', ''],
        ['pv002', '5Gi', 'RWO', 'Retain', 'Available', ''],
        ['pv003', '5Gi', 'RWO,RWX', 'Retain', 'Available', ''],
        ['pv004', '10Gi', 'RWO,RWX', 'Retain', 'Available', ''],
        ['pv005', '10Gi', 'RWO,RWX', 'Retain', 'Available', ''],
      ],
    )
  })

  test('kubectl explain sts and sts.spec.updateStrategy.rollingUpdate.partition', async () => {
    const sts = await ok(p, ['explain', 'sts'])
    assert.match(sts, /^GROUP:\s+apps\nKIND:\s+StatefulSet\nVERSION:\s+v1\n/)
    assert.match(sts, /\nDESCRIPTION:\n/)
    assert.match(sts, /\nFIELDS:\n/)
    for (const f of ['apiVersion\t<string>', 'kind\t<string>', 'metadata\t<ObjectMeta>', 'spec\t<StatefulSetSpec>'])
      assert.ok(sts.includes(`  ${f}`), f)
    const partition = await ok(p, ['explain', 'sts.spec.updateStrategy.rollingUpdate.partition'])
    assert.match(partition, /^GROUP:\s+apps\nKIND:\s+StatefulSet\nVERSION:\s+v1\n\nFIELD: partition <integer>\n/)
    assert.match(partition, /\nDESCRIPTION:\n\s+\S/)
  })

  test('kubectl apply -f stateful-demo.yaml: the claims bind the smallest matching PVs', async () => {
    const out = await ok(p, ['apply', '-f', m('stateful-demo.yaml')])
    assert.equal(out, 'service/myapp-svc created\nstatefulset.apps/myapp created\n')
    await settled(c, 'myapp', 2)
    const sts = rowsByName(await ok(p, ['get', 'sts']))
    assert.equal(sts.myapp!.READY, '2/2')
    const svc = rowsByName(await ok(p, ['get', 'svc']))
    assert.deepEqual([svc['myapp-svc']!['CLUSTER-IP'], svc['myapp-svc']!['PORT(S)']], ['None', '80/TCP'])
    // Bound claims print their volume; pv002 (one access mode) is the smallest match for the
    // first claim, then pv001 (first by name among the 5Gi RWO,RWX volumes).
    const pvc = rowsByName(
      await eventually(async () => {
        const o = await ok(p, ['get', 'pvc'])
        return table(o).filter(r => r.STATUS === 'Bound').length === 2 && o
      }),
    )
    assert.deepEqual(
      ['myappdata-myapp-0', 'myappdata-myapp-1'].map(n => [pvc[n]!.VOLUME, pvc[n]!.CAPACITY, pvc[n]!['ACCESS MODES']]),
      [
        ['pv002', '5Gi', 'RWO'],
        ['pv001', '5Gi', 'RWO,RWX'],
      ],
    )
    const pv = rowsByName(await ok(p, ['get', 'pv']))
    assert.deepEqual(
      Object.values(pv).map(r => [r.NAME, r.STATUS, r.CLAIM]),
      [
        ['pv001', 'Bound', 'default/myappdata-myapp-1'],
        ['pv002', 'Bound', 'default/myappdata-myapp-0'],
        ['pv003', 'Available', ''],
        ['pv004', 'Available', ''],
        ['pv005', 'Available', ''],
      ],
    )
    assert.deepEqual(await mountedClaims(), { 'myapp-0': 'myappdata-myapp-0', 'myapp-1': 'myappdata-myapp-1' })
  })

  test('kubectl delete -f stateful-demo.yaml deletes the pods and keeps the claims', async () => {
    const w = await PodWatch.start(p, ['-l', 'app=myapp-pod'])
    try {
      const out = await ok(p, ['delete', '-f', m('stateful-demo.yaml')])
      assert.equal(out, 'service "myapp-svc" deleted\nstatefulset.apps "myapp" deleted\n')
      await w.until(l => l.event === 'DELETED' && l.name === 'myapp-0')
      await w.until(l => l.event === 'DELETED' && l.name === 'myapp-1')
      // Both went through Terminating. NOTE: the tutorial says "逆向删除pod" (reverse order), which
      // was the old client-side reaper; since Kubernetes 1.11 the garbage collector deletes a
      // removed set's pods concurrently, in no guaranteed order (statefulset.md §8), so no order is
      // asserted here. Ordered teardown (scale to 0 first) is checked in the S4 file.
      assert.deepEqual(w.firstOrder(l => l.status === 'Terminating').sort(), ['myapp-0', 'myapp-1'])
    } finally {
      await w.stop()
    }
    assert.deepEqual(await setPods(c, 'myapp', 'default', true), [])
    assert.deepEqual(await claimVolumes(), {
      'myappdata-myapp-0': 'Bound:pv002',
      'myappdata-myapp-1': 'Bound:pv001',
    })
  })

  test('re-created, the same ordinals re-use the same claims and volumes', async () => {
    const out = await ok(p, ['apply', '-f', m('stateful-demo.yaml')])
    assert.equal(out, 'service/myapp-svc created\nstatefulset.apps/myapp created\n')
    await settled(c, 'myapp', 2)
    assert.deepEqual(await mountedClaims(), { 'myapp-0': 'myappdata-myapp-0', 'myapp-1': 'myappdata-myapp-1' })
    assert.deepEqual(await claimVolumes(), {
      'myappdata-myapp-0': 'Bound:pv002',
      'myappdata-myapp-1': 'Bound:pv001',
    })
    // The new set found its claims: it created pods only.
    const messages = (await eventsFor(c, 'StatefulSet', 'myapp')).map(e => e.message)
    assert.ok(messages.includes('create Pod myapp-0 in StatefulSet myapp successful'), messages.join('\n'))
    const uid = (await getSet(c, 'myapp')).metadata.uid
    const mine = (await eventsFor(c, 'StatefulSet', 'myapp')).filter(e => e.involvedObject.uid === uid)
    assert.deepEqual(
      mine.filter(e => e.message?.startsWith('create Claim')).map(e => e.message),
      [],
      'no claim created by the new set',
    )
  })

  test('kubectl scale sts myapp --replicas=3 creates myapp-2; patch replicas 2 removes it, claim kept', async () => {
    assert.equal(await ok(p, ['scale', 'sts', 'myapp', '--replicas=3']), 'statefulset.apps/myapp scaled\n')
    assert.deepEqual(names(await settled(c, 'myapp', 3)), ['myapp-0', 'myapp-1', 'myapp-2'])
    await eventually(async () => (await claimVolumes())['myappdata-myapp-2'] === 'Bound:pv003')
    const out = await ok(p, ['patch', 'sts', 'myapp', '-p', '{"spec":{"replicas":2}}'])
    assert.equal(out, 'statefulset.apps/myapp patched\n')
    assert.deepEqual(names(await settled(c, 'myapp', 2)), ['myapp-0', 'myapp-1'])
    assert.deepEqual(await claimNames(c, 'myappdata-'), ['myappdata-myapp-0', 'myappdata-myapp-1', 'myappdata-myapp-2'])
    assert.equal((await claimVolumes())['myappdata-myapp-2'], 'Bound:pv003')
    const messages = (await eventsFor(c, 'StatefulSet', 'myapp')).map(e => e.message)
    assert.ok(messages.includes('delete Pod myapp-2 in StatefulSet myapp successful'), messages.join('\n'))
  })

  test('canary: replicas 5, partition 4, set image → only myapp-4 runs v2', async () => {
    let out = await ok(p, ['patch', 'sts', 'myapp', '-p', '{"spec":{"replicas":5}}'])
    assert.equal(out, 'statefulset.apps/myapp patched\n')
    await settled(c, 'myapp', 5)
    out = await ok(p, ['patch', 'sts', 'myapp', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":4}}}}'])
    assert.equal(out, 'statefulset.apps/myapp patched\n')
    const describe = await ok(p, ['describe', 'sts', 'myapp'])
    assert.match(describe, /\nReplicas:\s+5 desired \| 5 total\n/)
    assert.match(describe, /\nUpdate Strategy:\s+RollingUpdate\n\s+Partition:\s+4\n/)
    const before = await getSet(c, 'myapp')
    out = await ok(p, ['set', 'image', 'sts/myapp', 'myapp=ikubernetes/myapp:v2'])
    assert.equal(out, 'statefulset.apps/myapp image updated\n')
    const pods = await eventually(async () => {
      const s = await getSet(c, 'myapp')
      if (s.status?.updatedReplicas !== 1 || s.status.observedGeneration !== s.metadata.generation) return undefined
      const pods = await settled(c, 'myapp', 5)
      return imageOf(pods[4]!) === v2 && pods
    })
    const set = await getSet(c, 'myapp')
    assert.equal(set.status!.currentRevision, before.status!.currentRevision)
    assert.notEqual(set.status!.updateRevision, set.status!.currentRevision)
    assert.match(set.status!.updateRevision!, /^myapp-[0-9a-z]+$/)
    assert.deepEqual(
      pods.map(x => [x.metadata.name, imageOf(x), revisionOf(x)]),
      [0, 1, 2, 3]
        .map(i => [`myapp-${i}`, v1, set.status!.currentRevision])
        .concat([['myapp-4', v2, set.status!.updateRevision]]),
    )
    const wide = table(await ok(p, ['get', 'sts', '-o', 'wide']))
    assert.deepEqual(Object.keys(wide[0]!), ['NAME', 'READY', 'AGE', 'CONTAINERS', 'IMAGES'])
    const row = wide.find(r => r.NAME === 'myapp')!
    assert.deepEqual([row.READY, row.CONTAINERS, row.IMAGES], ['5/5', 'myapp', v2])
    const described = await ok(p, ['describe', 'sts', 'myapp'])
    assert.match(described, /\nUpdate Strategy:\s+RollingUpdate\n\s+Partition:\s+4\n/)
    assert.match(described, /\n\s+Image:\s+ikubernetes\/myapp:v2\n/)
    assert.match(described, /\nEvents:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n/)
    assert.match(
      described,
      /Normal\s+SuccessfulDelete\s+.*statefulset-controller\s+delete Pod myapp-4 in StatefulSet myapp successful/,
    )
    assert.match(
      described,
      /Normal\s+SuccessfulCreate\s+.*statefulset-controller\s+create Pod myapp-4 in StatefulSet myapp successful/,
    )
    const status = await ok(p, ['rollout', 'status', 'sts/myapp'])
    assert.equal(status.trim().split('\n').at(-1), 'partitioned roll out complete: 1 new pods have been updated...')
  })

  test('kubectl apply -f stateful-demo-p3.yaml updates myapp-3', async () => {
    const out = await ok(p, ['apply', '-f', m('stateful-demo-p3.yaml')])
    assert.equal(out, 'service/myapp-svc unchanged\nstatefulset.apps/myapp configured\n')
    const set = await eventually(async () => {
      const s = await getSet(c, 'myapp')
      return s.status?.updatedReplicas === 2 && s.status.observedGeneration === s.metadata.generation && s
    })
    const pods = await settled(c, 'myapp', 5)
    assert.deepEqual(
      pods.map(x => [x.metadata.name, imageOf(x), revisionOf(x)]),
      [
        ['myapp-0', v1, set.status!.currentRevision],
        ['myapp-1', v1, set.status!.currentRevision],
        ['myapp-2', v1, set.status!.currentRevision],
        ['myapp-3', v2, set.status!.updateRevision],
        ['myapp-4', v2, set.status!.updateRevision],
      ],
    )
  })

  test('kubectl apply -f stateful-demo-p0.yaml: all on v2, highest ordinal first, one at a time', async () => {
    const w = await PodWatch.start(p, ['-l', 'app=myapp-pod'])
    const start = w.lines.length
    try {
      const out = await ok(p, ['apply', '-f', m('stateful-demo-p0.yaml')])
      assert.equal(out, 'service/myapp-svc unchanged\nstatefulset.apps/myapp configured\n')
      const status = await ok(p, ['rollout', 'status', 'sts/myapp'], { timeoutMs: 60_000 })
      assert.equal(status.trim().split('\n').at(-1), 'partitioned roll out complete: 5 new pods have been updated...')
      const pods = await settled(c, 'myapp', 5)
      const set = await getSet(c, 'myapp')
      assert.equal(set.status!.currentRevision, set.status!.updateRevision)
      assert.deepEqual(
        pods.map(x => [imageOf(x), revisionOf(x)]),
        pods.map(() => [v2, set.status!.updateRevision]),
      )
      await w.until(
        l => l.name === 'myapp-0' && l.ready === '1/1',
        w.find(l => l.name === 'myapp-0' && l.event === 'DELETED', start),
      )
      // myapp-4 and myapp-3 were on v2 already: myapp-2, myapp-1, myapp-0 were replaced in that
      // order, each only after the previous one was back Running and Ready.
      assertInTurn(w, ['myapp-2', 'myapp-1', 'myapp-0'], 'ready', start)
    } finally {
      await w.stop()
    }
  })

  test('kubectl rollout history and rollout undo back to v1', async () => {
    const history = await ok(p, ['rollout', 'history', 'sts/myapp'])
    assert.equal(history, 'statefulset.apps/myapp \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n')
    const before = await getSet(c, 'myapp')
    const revisions = await getJson<{ items: { metadata: { name: string }; revision: number }[] }>(p, [
      'controllerrevisions',
    ])
    const v1Revision = revisions.items.find(r => r.revision === 1)!.metadata.name
    assert.equal(await ok(p, ['rollout', 'undo', 'sts/myapp']), 'statefulset.apps/myapp rolled back\n')
    const status = await ok(p, ['rollout', 'status', 'sts/myapp'], { timeoutMs: 60_000 })
    assert.equal(status.trim().split('\n').at(-1), 'partitioned roll out complete: 5 new pods have been updated...')
    const set = await eventually(async () => {
      const s = await getSet(c, 'myapp')
      return s.status?.currentRevision === v1Revision && s.status.updatedReplicas === 5 && s
    })
    assert.equal(set.status!.updateRevision, v1Revision, 'the v1 revision is reused, not copied')
    assert.notEqual(before.status!.updateRevision, v1Revision)
    const pods = await settled(c, 'myapp', 5)
    assert.deepEqual(
      pods.map(x => [imageOf(x), revisionOf(x)]),
      pods.map(() => [v1, v1Revision]),
    )
    // The reused revision is renumbered to 3.
    const after = await ok(p, ['rollout', 'history', 'sts/myapp'])
    assert.equal(after, 'statefulset.apps/myapp \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n')
    const third = await ok(p, ['rollout', 'history', 'sts/myapp', '--revision=3'])
    assert.match(third, /Image:\s+ikubernetes\/myapp:v1/)
    assert.equal(((await getSet(c, 'myapp')) as StatefulSet).spec.template.spec.containers[0]!.image, v1)
  })
})
