/**
 * The StatefulSet parts of seed scenarios S1 (seed 000: `web` with the `www` claim template,
 * provisioned through the default StorageClass) and S3 (seed 001: `kubia` on the pre-made
 * hostPath PVs pv-a..pv-c, scaling that keeps claims, deletion cascades and adoption), with the
 * real kubectl against `petset up --nodes 3 --runtime simulated`. The parts that need a process
 * in the pod (exec, the kubia-pet app, DNS from inside a pod) are covered with the real runtimes.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { ControllerRevision } from '../../src/api/apps.js'
import type { PersistentVolume, PersistentVolumeClaim } from '../../src/api/core.js'
import type { Pod } from '../../src/api/pod.js'
import type { RestClient } from '../../src/client/rest-client.js'
import { kubectlMissing, manifestsDir, type Petset } from './harness.js'
import {
  claimNames,
  eventsFor,
  eventually,
  getJson,
  getSet,
  names,
  ok,
  PodWatch,
  restClient,
  rowsByName,
  setPods,
  settled,
  startCluster,
  table,
} from './statefulset-helpers.js'

const m = (f: string) => join(manifestsDir, f)
const claimOf = (pod: Pod, volume: string) =>
  pod.spec.volumes?.find(v => v.name === volume)?.persistentVolumeClaim?.claimName

describe('S1 and S3: StatefulSets with claims (seeds 000 and 001)', { skip: kubectlMissing() }, () => {
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

  /** Waits for every listed claim to be Bound; resolves `kubectl get pvc` by name. */
  const boundClaims = async (...claims: string[]) =>
    rowsByName(
      await eventually(async () => {
        const o = await ok(p, ['get', 'pvc'])
        const rows = rowsByName(o)
        return claims.every(n => rows[n]?.STATUS === 'Bound') && o
      }),
    )

  test('S1: web with www claims: web-1 waits for web-0; www-web-0/1 provisioned through standard', async () => {
    const w = await PodWatch.start(p, ['-l', 'app=nginx'])
    try {
      const out = await ok(p, ['create', '-f', m('nginx-statefulset-www.yaml')])
      assert.equal(out, 'service/nginx created\nstatefulset.apps/web created\n')
      assert.deepEqual(names(await settled(c, 'web', 2)), ['web-0', 'web-1'])
      const ready0 = w.find(l => l.name === 'web-0' && l.ready === '1/1' && l.status === 'Running')
      const added1 = w.find(l => l.name === 'web-1' && l.event === 'ADDED')
      assert.ok(ready0 >= 0 && added1 > ready0, 'web-1 ADDED only after web-0 was 1/1 Running')
    } finally {
      await w.stop()
    }
    assert.equal(rowsByName(await ok(p, ['get', 'statefulset'])).web!.READY, '2/2')
    const pods = rowsByName(await ok(p, ['get', 'pods']))
    for (const n of ['web-0', 'web-1']) assert.deepEqual([pods[n]!.READY, pods[n]!.STATUS], ['1/1', 'Running'])
    const svc = rowsByName(await ok(p, ['get', 'svc']))
    assert.deepEqual(Object.keys(svc), ['kubernetes', 'nginx'])
    assert.deepEqual(
      [svc.kubernetes!.TYPE, svc.kubernetes!['CLUSTER-IP'], svc.kubernetes!['PORT(S)']],
      ['ClusterIP', '10.96.0.1', '443/TCP'],
    )
    assert.deepEqual([svc.nginx!['CLUSTER-IP'], svc.nginx!['PORT(S)']], ['None', '80/TCP'])

    const pvc = await boundClaims('www-web-0', 'www-web-1')
    const pv = rowsByName(await ok(p, ['get', 'pv']))
    const live = await setPods(c, 'web')
    for (const pod of live) {
      const claim = `www-${pod.metadata.name}`
      assert.equal(claimOf(pod, 'www'), claim)
      assert.deepEqual([pod.spec.hostname, pod.spec.subdomain], [pod.metadata.name, 'nginx'])
      const row = pvc[claim]!
      assert.deepEqual([row.CAPACITY, row['ACCESS MODES'], row.STORAGECLASS], ['1Gi', 'RWO', 'standard'])
      assert.match(row.VOLUME!, /^pvc-[0-9a-f-]{36}$/)
      assert.deepEqual(
        [pv[row.VOLUME!]!.CLAIM, pv[row.VOLUME!]!.STORAGECLASS, pv[row.VOLUME!]!['RECLAIM POLICY']],
        [`default/${claim}`, 'standard', 'Delete'],
      )
      // WaitForFirstConsumer: the volume is provisioned on the node the pod was scheduled to.
      const volume = await getJson<PersistentVolume>(p, ['pv', row.VOLUME!])
      const claimObj = await getJson<PersistentVolumeClaim>(p, ['pvc', claim])
      assert.equal(claimObj.metadata.annotations?.['volume.kubernetes.io/selected-node'], pod.spec.nodeName)
      assert.deepEqual(volume.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions, [
        { key: 'kubernetes.io/hostname', operator: 'In', values: [pod.spec.nodeName] },
      ])
    }
    // As in a cluster whose admission gives class-less claims the default class: the scheduler
    // waits for the claims' class instead of failing the pods.
    for (const pod of ['web-0', 'web-1'])
      assert.deepEqual(
        (await eventsFor(c, 'Pod', pod)).filter(e => e.reason === 'FailedScheduling').map(e => e.message),
        [],
      )
    const sc = rowsByName(await ok(p, ['get', 'storageclass']))
    assert.deepEqual(
      [sc['standard (default)']?.PROVISIONER, sc['standard (default)']?.VOLUMEBINDINGMODE],
      ['petset.dev/local-path', 'WaitForFirstConsumer'],
    )
  })

  test('S1: deleting web-0 brings back web-0 with the same claim, volume and node', async () => {
    const [old] = await setPods(c, 'web')
    const before = rowsByName(await ok(p, ['get', 'pvc']))['www-web-0']!.VOLUME
    assert.equal(await ok(p, ['delete', 'pod', 'web-0']), 'pod "web-0" deleted\n')
    const pods = await eventually(async () => {
      const ps = await settled(c, 'web', 2)
      return ps[0]!.metadata.uid !== old!.metadata.uid && ps
    })
    const web0 = pods[0]!
    assert.deepEqual(
      [web0.metadata.name, web0.spec.hostname, web0.spec.subdomain, claimOf(web0, 'www'), web0.spec.nodeName],
      ['web-0', 'web-0', 'nginx', 'www-web-0', old!.spec.nodeName],
    )
    assert.equal(rowsByName(await ok(p, ['get', 'pvc']))['www-web-0']!.VOLUME, before)
    assert.deepEqual(await claimNames(c, 'www-'), ['www-web-0', 'www-web-1'])
  })

  test('S3: kubectl create -f kubia-persistent-volumes.yaml (a kind: List of hostPath PVs)', async t => {
    const r = await p.kubectl(['create', '-f', m('kubia-persistent-volumes.yaml')])
    if (r.code !== 0 && r.stderr.includes('error validating data: the server could not find the requested resource')) {
      // kubectl validates the items of a List on the client, from /openapi/v2 (never from v3),
      // and petset answers /openapi/v2 with 404. Reported; until then the rest of S3 goes on
      // with validation off.
      t.todo('kubectl validates kind: List from /openapi/v2, which petset does not serve')
      await ok(p, ['create', '-f', m('kubia-persistent-volumes.yaml'), '--validate=false'])
    } else {
      assert.equal(r.code, 0, r.stderr)
      assert.equal(
        r.stdout,
        'persistentvolume/pv-a created\npersistentvolume/pv-b created\npersistentvolume/pv-c created\n',
      )
    }
    const pv = rowsByName(await ok(p, ['get', 'pv']))
    for (const n of ['pv-a', 'pv-b', 'pv-c'])
      assert.deepEqual(
        [pv[n]!.CAPACITY, pv[n]!['ACCESS MODES'], pv[n]!['RECLAIM POLICY'], pv[n]!.STATUS, pv[n]!.CLAIM],
        ['1Mi', 'RWO', 'Recycle', 'Available', ''],
      )
  })

  test('S3: kubia-0 first, then kubia-1; the claims bind the 1Mi PVs', async () => {
    assert.equal(await ok(p, ['create', '-f', m('kubia-service-headless.yaml')]), 'service/kubia created\n')
    const w = await PodWatch.start(p, ['-l', 'app=kubia'])
    try {
      assert.equal(await ok(p, ['create', '-f', m('kubia-statefulset.yaml')]), 'statefulset.apps/kubia created\n')
      assert.deepEqual(names(await settled(c, 'kubia', 2)), ['kubia-0', 'kubia-1'])
      const ready0 = w.find(l => l.name === 'kubia-0' && l.ready === '1/1' && l.status === 'Running')
      const added1 = w.find(l => l.name === 'kubia-1' && l.event === 'ADDED')
      assert.ok(ready0 >= 0 && added1 > ready0, 'kubia-1 ADDED only after kubia-0 was 1/1 Running')
    } finally {
      await w.stop()
    }
    const pvc = await boundClaims('data-kubia-0', 'data-kubia-1')
    assert.deepEqual(
      ['data-kubia-0', 'data-kubia-1'].map(n => [pvc[n]!.VOLUME, pvc[n]!.CAPACITY, pvc[n]!.STORAGECLASS]),
      [
        ['pv-a', '1Mi', ''],
        ['pv-b', '1Mi', ''],
      ],
    )
    const pv = rowsByName(await ok(p, ['get', 'pv']))
    assert.deepEqual(
      ['pv-a', 'pv-b', 'pv-c'].map(n => [pv[n]!.STATUS, pv[n]!.CLAIM]),
      [
        ['Bound', 'default/data-kubia-0'],
        ['Bound', 'default/data-kubia-1'],
        ['Available', ''],
      ],
    )
    for (const pod of await setPods(c, 'kubia')) assert.equal(claimOf(pod, 'data'), `data-${pod.metadata.name}`)
  })

  test('S3: scale down to 1 keeps data-kubia-1; scale up re-binds it to kubia-1', async () => {
    assert.equal(await ok(p, ['scale', 'sts', 'kubia', '--replicas=1']), 'statefulset.apps/kubia scaled\n')
    assert.deepEqual(names(await settled(c, 'kubia', 1)), ['kubia-0'])
    let pvc = rowsByName(await ok(p, ['get', 'pvc']))
    assert.deepEqual([pvc['data-kubia-1']!.STATUS, pvc['data-kubia-1']!.VOLUME], ['Bound', 'pv-b'])
    assert.equal(rowsByName(await ok(p, ['get', 'pv']))['pv-b']!.CLAIM, 'default/data-kubia-1')
    assert.equal(await ok(p, ['scale', 'sts', 'kubia', '--replicas=2']), 'statefulset.apps/kubia scaled\n')
    const pods = await settled(c, 'kubia', 2)
    assert.equal(claimOf(pods[1]!, 'data'), 'data-kubia-1')
    pvc = rowsByName(await ok(p, ['get', 'pvc']))
    assert.deepEqual([pvc['data-kubia-1']!.STATUS, pvc['data-kubia-1']!.VOLUME], ['Bound', 'pv-b'])
    assert.equal(rowsByName(await ok(p, ['get', 'pv']))['pv-c']!.STATUS, 'Available')
  })

  test('S3: deleting kubia-0 brings it back on the same claim', async () => {
    const [old] = await setPods(c, 'kubia')
    assert.equal(await ok(p, ['delete', 'po', 'kubia-0']), 'pod "kubia-0" deleted\n')
    const pods = await eventually(async () => {
      const ps = await settled(c, 'kubia', 2)
      return ps[0]!.metadata.uid !== old!.metadata.uid && ps
    })
    assert.equal(claimOf(pods[0]!, 'data'), 'data-kubia-0')
    assert.equal(rowsByName(await ok(p, ['get', 'pvc']))['data-kubia-0']!.VOLUME, 'pv-a')
  })

  test('S3: delete sts --cascade=orphan leaves the pods; a new StatefulSet adopts them', async () => {
    const before = await setPods(c, 'kubia')
    const oldUid = (await getSet(c, 'kubia')).metadata.uid
    assert.equal(await ok(p, ['delete', 'sts', 'kubia', '--cascade=orphan']), 'statefulset.apps "kubia" deleted\n')
    const orphans = await eventually(async () => {
      const ps = await setPods(c, 'kubia')
      return ps.every(x => !x.metadata.ownerReferences?.length) && ps
    })
    assert.deepEqual(
      orphans.map(x => x.metadata.uid),
      before.map(x => x.metadata.uid),
    )
    const revisions = table(await ok(p, ['get', 'controllerrevisions']))
    assert.deepEqual(
      revisions.filter(r => r.NAME!.startsWith('kubia-')).map(r => r.CONTROLLER),
      ['<none>'],
    )

    assert.equal(await ok(p, ['create', '-f', m('kubia-statefulset.yaml')]), 'statefulset.apps/kubia created\n')
    const set = await getSet(c, 'kubia')
    assert.notEqual(set.metadata.uid, oldUid)
    const adopted = await eventually(async () => {
      const ps = await setPods(c, 'kubia')
      return ps.length === 2 && ps.every(x => x.metadata.ownerReferences?.[0]?.uid === set.metadata.uid) && ps
    })
    assert.deepEqual(
      adopted.map(x => x.metadata.uid),
      before.map(x => x.metadata.uid),
      'the same pods, not new ones',
    )
    assert.deepEqual(adopted[0]!.metadata.ownerReferences, [
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        name: 'kubia',
        uid: set.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ])
    await eventually(async () => {
      const revs = await getJson<{ items: ControllerRevision[] }>(p, ['controllerrevisions', '-l', 'app=kubia'])
      return revs.items.length === 1 && revs.items[0]!.metadata.ownerReferences?.[0]?.uid === set.metadata.uid
    })
    await settled(c, 'kubia', 2)
  })

  test('S3: delete sts --cascade=foreground deletes the pods, then the set; claims stay', async () => {
    assert.equal(await ok(p, ['delete', 'sts', 'kubia', '--cascade=foreground']), 'statefulset.apps "kubia" deleted\n')
    // kubectl returned once the set was gone, which foreground deletion allows only after its
    // pods are gone from the API.
    assert.deepEqual(await setPods(c, 'kubia', 'default', true), [])
    assert.equal((await ok(p, ['get', 'sts', 'kubia', '--ignore-not-found'])).trim(), '')
    const pvc = rowsByName(await ok(p, ['get', 'pvc']))
    assert.deepEqual(
      ['data-kubia-0', 'data-kubia-1'].map(n => [pvc[n]!.STATUS, pvc[n]!.VOLUME]),
      [
        ['Bound', 'pv-a'],
        ['Bound', 'pv-b'],
      ],
    )
  })
})
