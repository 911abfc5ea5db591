/**
 * Seed scenario S4 (seed 002): StatefulSet `kubia` with three replicas (kubia-sts-3.yaml) and
 * its policies — ordered creation, scaling from the highest ordinal, scaling halted by an
 * unhealthy pod, the Parallel policy, a partitioned rolling update and `maxUnavailable` — with
 * the real kubectl against `petset up --nodes 3 --runtime simulated`. A pod is made unhealthy the
 * way the simulated nodes allow: annotation `petset.dev/simulate-ready: "false"`.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { RestClient } from '../../src/client/rest-client.js'
import { kubectlMissing, manifestsDir, type Petset } from './harness.js'
import {
  assertInTurn,
  claimNames,
  eventually,
  getSet,
  imageOf,
  isReady,
  names,
  observed,
  ok,
  PodWatch,
  restClient,
  revisionOf,
  rowsByName,
  setPods,
  settled,
  startCluster,
} from './statefulset-helpers.js'

const m = (f: string) => join(manifestsDir, f)

describe('S4: kubia with 3 replicas and policies (seed 002)', { skip: kubectlMissing() }, () => {
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

  const uids = async (ns = 'default') =>
    (await setPods(c, 'kubia', ns, true)).map(x => `${x.metadata.name}/${x.metadata.uid}`)
  const setReady = async (pod: string, ready: boolean, ns = 'default') => {
    const out = await ok(p, ['annotate', 'pod', pod, `petset.dev/simulate-ready=${ready}`, '--overwrite', '-n', ns])
    assert.equal(out, `pod/${pod} annotated\n`)
    await eventually(async () => {
      const pod_ = (await setPods(c, 'kubia', ns)).find(x => x.metadata.name === pod)
      return pod_ && isReady(pod_) === ready
    })
  }
  /** Scales and waits until the controller has synced the new spec; resolves the generation. */
  const scaleObserved = async (replicas: number, ns = 'default') => {
    const out = await ok(p, ['scale', 'sts', 'kubia', `--replicas=${replicas}`, '-n', ns])
    assert.equal(out, 'statefulset.apps/kubia scaled\n')
    return eventually(() => observed(c, 'kubia', ns))
  }

  test('OrderedReady: kubia-1 is created only after kubia-0 is Running and Ready, then kubia-2', async () => {
    const w = await PodWatch.start(p, ['-l', 'app=kubia'])
    try {
      const out = await ok(p, ['apply', '-f', m('kubia-sts-3.yaml')])
      assert.equal(out, 'service/kubia-svc created\nstatefulset.apps/kubia created\n')
      assert.deepEqual(names(await settled(c, 'kubia', 3)), ['kubia-0', 'kubia-1', 'kubia-2'])
      await w.until(l => l.name === 'kubia-2' && l.ready === '1/1')
      assert.deepEqual(
        w.firstOrder(l => l.event === 'ADDED'),
        ['kubia-0', 'kubia-1', 'kubia-2'],
      )
      for (const [prev, next] of [
        ['kubia-0', 'kubia-1'],
        ['kubia-1', 'kubia-2'],
      ]) {
        const ready = w.find(l => l.name === prev && l.ready === '1/1' && l.status === 'Running')
        const added = w.find(l => l.name === next && l.event === 'ADDED')
        assert.ok(ready >= 0 && added > ready, `${next} ADDED only after ${prev} was 1/1 Running`)
      }
    } finally {
      await w.stop()
    }
    // One claim per pod, from the claim template `data`, provisioned through the default class.
    assert.deepEqual(await claimNames(c, 'data-kubia-'), ['data-kubia-0', 'data-kubia-1', 'data-kubia-2'])
    const pvc = rowsByName(
      await eventually(async () => {
        const o = await ok(p, ['get', 'pvc'])
        return Object.values(rowsByName(o)).every(r => r.STATUS === 'Bound') && o
      }),
    )
    for (const n of ['data-kubia-0', 'data-kubia-1', 'data-kubia-2'])
      assert.deepEqual([pvc[n]!.CAPACITY, pvc[n]!['ACCESS MODES'], pvc[n]!.STORAGECLASS], ['1Mi', 'RWO', 'standard'])
    const svc = rowsByName(await ok(p, ['get', 'svc']))
    assert.deepEqual([svc['kubia-svc']!['CLUSTER-IP'], svc['kubia-svc']!['PORT(S)']], ['None', '80/TCP'])
  })

  test('scale up adds kubia-3; scale down removes the highest ordinal first, claims stay', async () => {
    const w = await PodWatch.start(p, ['-l', 'app=kubia'])
    try {
      await scaleObserved(4)
      assert.deepEqual(names(await settled(c, 'kubia', 4)), ['kubia-0', 'kubia-1', 'kubia-2', 'kubia-3'])
      assert.deepEqual(
        w.firstOrder(l => l.event === 'ADDED').filter(n => n === 'kubia-3'),
        ['kubia-3'],
      )
      const from = w.lines.length
      await scaleObserved(2)
      assert.deepEqual(names(await settled(c, 'kubia', 2)), ['kubia-0', 'kubia-1'])
      await w.until(l => l.name === 'kubia-2' && l.event === 'DELETED', from)
      assertInTurn(w, ['kubia-3', 'kubia-2'], 'deleted', from)
    } finally {
      await w.stop()
    }
    assert.deepEqual(await claimNames(c, 'data-kubia-'), [
      'data-kubia-0',
      'data-kubia-1',
      'data-kubia-2',
      'data-kubia-3',
    ])
    await scaleObserved(3)
    await settled(c, 'kubia', 3)
  })

  test('one unhealthy pod halts scale-up and scale-down until it recovers', async () => {
    await setReady('kubia-1', false)
    const before = await uids()
    // Scale-up: the controller synced replicas 4 (status for that generation is written after
    // the sync's creates) and created nothing.
    const set = await scaleObserved(4)
    assert.equal(set.status!.readyReplicas, 2)
    assert.deepEqual(await uids(), before, 'no pod created or deleted while kubia-1 is unhealthy')
    // Another sync, caused by an unrelated pod change, still creates nothing.
    await ok(p, ['annotate', 'pod', 'kubia-0', 'e2e.petset.dev/poke=1'])
    await eventually(
      async () =>
        (await setPods(c, 'kubia')).find(x => x.metadata.name === 'kubia-0')!.metadata.annotations?.[
          'e2e.petset.dev/poke'
        ],
    )
    assert.deepEqual(await uids(), before)
    await setReady('kubia-1', true)
    assert.deepEqual(names(await settled(c, 'kubia', 4)), ['kubia-0', 'kubia-1', 'kubia-2', 'kubia-3'])

    // Scale-down: kubia-3 and kubia-2 are healthy, but kubia-1 is not: nothing is deleted.
    await setReady('kubia-1', false)
    const four = await uids()
    await scaleObserved(2)
    assert.deepEqual(await uids(), four, 'no pod deleted while kubia-1 is unhealthy')
    const w = await PodWatch.start(p, ['-l', 'app=kubia'])
    try {
      const from = w.lines.length
      await setReady('kubia-1', true)
      assert.deepEqual(names(await settled(c, 'kubia', 2)), ['kubia-0', 'kubia-1'])
      await w.until(l => l.name === 'kubia-2' && l.event === 'DELETED', from)
      assertInTurn(w, ['kubia-3', 'kubia-2'], 'deleted', from)
    } finally {
      await w.stop()
    }
  })

  test('Parallel (podManagementPolicy: Parallel) creates at once and ignores unhealthy pods', async () => {
    const ns = 'parallel'
    assert.equal(await ok(p, ['create', 'namespace', ns]), `namespace/${ns} created\n`)
    const w = await PodWatch.start(p, ['-l', 'app=kubia', '-n', ns])
    try {
      const out = await ok(p, ['apply', '-f', m('kubia-sts-3-parallel.yaml'), '-n', ns])
      assert.equal(out, 'service/kubia-svc created\nstatefulset.apps/kubia created\n')
      await settled(c, 'kubia', 3, ns)
      // All three pods existed before the first of them was Ready.
      const firstReady = w.find(l => l.ready === '1/1')
      const added = w.firstOrder(l => l.event === 'ADDED')
      assert.deepEqual([...added].sort(), ['kubia-0', 'kubia-1', 'kubia-2'])
      assert.ok(w.find(l => l.name === added[2] && l.event === 'ADDED') < firstReady, 'created before any was Ready')
    } finally {
      await w.stop()
    }
    await setReady('kubia-0', false, ns)
    await scaleObserved(5, ns)
    // kubia-0 stays unready; kubia-3 and kubia-4 are created anyway and become Ready.
    await eventually(async () => {
      const s = await observed(c, 'kubia', ns)
      return s?.status?.replicas === 5 && s.status.readyReplicas === 4
    })
    assert.deepEqual(names(await setPods(c, 'kubia', ns)), ['kubia-0', 'kubia-1', 'kubia-2', 'kubia-3', 'kubia-4'])
    await scaleObserved(1, ns)
    await eventually(async () => names(await setPods(c, 'kubia', ns, true)).join() === 'kubia-0')
    await eventually(async () => {
      const s = await getSet(c, 'kubia', ns)
      return s.status?.replicas === 1 && (s.status.readyReplicas ?? 0) === 0
    })
    await setReady('kubia-0', true, ns)
    await settled(c, 'kubia', 1, ns)
  })

  test('partitioned rolling update: a deleted pod below the partition comes back with the old template', async () => {
    let out = await ok(p, [
      'patch',
      'sts',
      'kubia',
      '-p',
      '{"spec":{"replicas":3,"updateStrategy":{"rollingUpdate":{"partition":2}}}}',
    ])
    assert.equal(out, 'statefulset.apps/kubia patched\n')
    await settled(c, 'kubia', 3)
    const old = (await getSet(c, 'kubia')).status!.currentRevision!
    out = await ok(p, ['set', 'image', 'sts/kubia', 'kubia-ctr=luksa/kubia-pet-peers'])
    assert.equal(out, 'statefulset.apps/kubia image updated\n')
    const set = await eventually(async () => {
      const s = await observed(c, 'kubia')
      return s?.status?.updatedReplicas === 1 && s.status.readyReplicas === 3 && s
    })
    const updated = set.status!.updateRevision!
    assert.notEqual(updated, old)
    const pods = await settled(c, 'kubia', 3)
    assert.deepEqual(
      pods.map(x => [x.metadata.name, imageOf(x), revisionOf(x)]),
      [
        ['kubia-0', 'luksa/kubia-pet', old],
        ['kubia-1', 'luksa/kubia-pet', old],
        ['kubia-2', 'luksa/kubia-pet-peers', updated],
      ],
    )
    const uid0 = pods[0]!.metadata.uid
    assert.equal(await ok(p, ['delete', 'pod', 'kubia-0']), 'pod "kubia-0" deleted\n')
    const again = await eventually(async () => {
      const ps = await settled(c, 'kubia', 3)
      return ps[0]!.metadata.uid !== uid0 && ps
    })
    assert.deepEqual([imageOf(again[0]!), revisionOf(again[0]!)], ['luksa/kubia-pet', old])
    assert.deepEqual([imageOf(again[2]!), revisionOf(again[2]!)], ['luksa/kubia-pet-peers', updated])
  })

  test('maxUnavailable: 2 lets two pods update at once (petset keeps the alpha field)', async () => {
    const w = await PodWatch.start(p, ['-l', 'app=kubia'])
    try {
      const from = w.lines.length
      const out = await ok(p, [
        'patch',
        'sts',
        'kubia',
        '-p',
        '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0,"maxUnavailable":2}}}}',
      ])
      assert.equal(out, 'statefulset.apps/kubia patched\n')
      const set = await getSet(c, 'kubia')
      assert.equal(set.spec.updateStrategy?.rollingUpdate?.maxUnavailable, 2)
      const status = await ok(p, ['rollout', 'status', 'sts/kubia'], { timeoutMs: 60_000 })
      assert.equal(status.trim().split('\n').at(-1), 'partitioned roll out complete: 3 new pods have been updated...')
      const pods = await settled(c, 'kubia', 3)
      assert.deepEqual(pods.map(imageOf), ['luksa/kubia-pet-peers', 'luksa/kubia-pet-peers', 'luksa/kubia-pet-peers'])
      await w.until(
        l => l.name === 'kubia-0' && l.ready === '1/1',
        w.find(l => l.name === 'kubia-0' && l.event === 'DELETED', from),
      )
      // kubia-1 and kubia-0 were both taken down before either came back.
      const t1 = w.find(l => l.name === 'kubia-1' && l.status === 'Terminating', from)
      const t0 = w.find(l => l.name === 'kubia-0' && l.status === 'Terminating', from)
      const back1 = w.find(l => l.name === 'kubia-1' && l.event === 'ADDED', t1)
      const back0 = w.find(l => l.name === 'kubia-0' && l.event === 'ADDED', t0)
      assert.ok(t1 >= 0 && t0 >= 0, 'both were updated')
      assert.ok(t0 < back1 && t1 < back0, 'two pods unavailable at the same time')
    } finally {
      await w.stop()
    }
  })
})
