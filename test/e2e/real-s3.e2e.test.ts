/**
 * Seed scenario S3 (seed 001) with real pods: the kubia pets on the hostPath PVs pv-a..pv-c
 * (/tmp/pv-a..c on this host), reached through `kubectl proxy` and the API server's pod proxy
 * (GET and POST), their data surviving a pod deletion and a scale down/up, peer discovery with
 * `kubectl run -it srvlookup ... -- dig SRV`, and `kubectl edit` to the peers image with three
 * replicas: a rolling update highest ordinal first, after which each pet answers with every
 * peer's data.
 *
 * The kubia app runs as PID 1 without a SIGTERM handler (as in the real image), so every stop
 * would wait the default 30 s grace period; the StatefulSet is created from the seed manifest
 * with `terminationGracePeriodSeconds: 2` added to its pod template.
 */
import assert from 'node:assert/strict'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Pod } from '../../src/api/pod.js'
import type { RestClient } from '../../src/client/rest-client.js'
import { manifestsDir, type Petset } from './harness.js'
import {
  eventually,
  http,
  KubectlProcess,
  ok,
  realPodsMissing,
  startRealPetset,
  withGracePeriod,
} from './real-harness.js'
import {
  assertInTurn,
  imageOf,
  names,
  PodWatch,
  restClient,
  rowsByName,
  setPods,
  settled,
} from './statefulset-helpers.js'

const m = (f: string) => join(manifestsDir, f)
const pvDirs = ['/tmp/pv-a', '/tmp/pv-b', '/tmp/pv-c']
const claimOf = (pod: Pod) => pod.spec.volumes?.find(v => v.name === 'data')?.persistentVolumeClaim?.claimName

/** Empties the seed's hostPath PV directories (left over from an earlier run otherwise). */
function scrubPvDirs() {
  for (const d of pvDirs) {
    mkdirSync(d, { recursive: true })
    for (const f of readdirSync(d)) rmSync(join(d, f), { recursive: true, force: true })
  }
}

describe('S3 with real pods: kubia pets with data (seed 001)', { skip: realPodsMissing() }, () => {
  let p: Petset
  let c: RestClient
  let proxy: KubectlProcess
  let base = ''
  const podUrl = (pod: string) => `${base}/api/v1/namespaces/default/pods/${pod}/proxy/`
  before(async () => {
    scrubPvDirs()
    p = await startRealPetset()
    c = restClient(p)
    proxy = KubectlProcess.start(p, ['proxy', '--port=0'])
    const [, port] = await proxy.waitFor(/^Starting to serve on 127\.0\.0\.1:(\d+)$/m)
    base = `http://127.0.0.1:${port}`
  })
  after(async () => {
    await proxy?.stop()
    c?.close()
    await p?.stop()
    scrubPvDirs()
  })

  test('PVs, headless Service and StatefulSet: kubia-1 only after kubia-0 is Ready; claims bind pv-a, pv-b', async t => {
    const r = await p.kubectl(['create', '-f', m('kubia-persistent-volumes.yaml')])
    if (r.code !== 0 && r.stderr.includes('error validating data: the server could not find the requested resource')) {
      // kubectl validates the items of a List from /openapi/v2, which petset answers with 404
      // (reported; statefulset-s1-s3.e2e.test.ts has the same todo).
      t.todo('kubectl validates kind: List from /openapi/v2, which petset does not serve')
      await ok(p, ['create', '-f', m('kubia-persistent-volumes.yaml'), '--validate=false'])
    } else {
      assert.equal(r.code, 0, r.stderr)
      assert.equal(
        r.stdout,
        'persistentvolume/pv-a created\npersistentvolume/pv-b created\npersistentvolume/pv-c created\n',
      )
    }
    assert.equal(await ok(p, ['create', '-f', m('kubia-service-headless.yaml')]), 'service/kubia created\n')
    const w = await PodWatch.start(p, ['-l', 'app=kubia'])
    try {
      const manifest = withGracePeriod(readFileSync(m('kubia-statefulset.yaml'), 'utf8'), 2)
      assert.equal(await ok(p, ['create', '-f', '-'], { input: manifest }), 'statefulset.apps/kubia created\n')
      assert.deepEqual(names(await settled(c, 'kubia', 2)), ['kubia-0', 'kubia-1'])
      const ready0 = w.find(l => l.name === 'kubia-0' && l.ready === '1/1' && l.status === 'Running')
      const added1 = w.find(l => l.name === 'kubia-1' && l.event === 'ADDED')
      assert.ok(ready0 >= 0 && added1 > ready0, 'kubia-1 ADDED only after kubia-0 was 1/1 Running')
    } finally {
      await w.stop()
    }
    const pvc = rowsByName(await ok(p, ['get', 'pvc']))
    assert.deepEqual(
      ['data-kubia-0', 'data-kubia-1'].map(n => [pvc[n]!.STATUS, pvc[n]!.VOLUME, pvc[n]!.CAPACITY]),
      [
        ['Bound', 'pv-a', '1Mi'],
        ['Bound', 'pv-b', '1Mi'],
      ],
    )
  })

  test('kubectl proxy: GET and POST reach kubia-0 through the API server; the data lands in pv-a', async () => {
    assert.deepEqual(await http(podUrl('kubia-0')), {
      status: 200,
      body: "You've hit kubia-0\nData stored on this pod: No data posted yet\n",
    })
    const greeting = 'Hey there! This greeting was submitted to kubia-0.'
    assert.deepEqual(await http(podUrl('kubia-0'), { method: 'POST', body: greeting }), {
      status: 200,
      body: 'Data stored on pod kubia-0\n',
    })
    assert.equal((await http(podUrl('kubia-0'))).body, `You've hit kubia-0\nData stored on this pod: ${greeting}\n`)
    assert.equal(readFileSync('/tmp/pv-a/kubia.txt', 'utf8'), greeting)
    assert.equal(
      (await http(podUrl('kubia-1'))).body,
      "You've hit kubia-1\nData stored on this pod: No data posted yet\n",
    )
  })

  test('kubectl delete po kubia-0: the new kubia-0 serves the same data', async () => {
    const [old] = await setPods(c, 'kubia')
    assert.equal(await ok(p, ['delete', 'po', 'kubia-0']), 'pod "kubia-0" deleted\n')
    const pods = await eventually(async () => {
      const ps = await settled(c, 'kubia', 2)
      return ps[0]!.metadata.uid !== old!.metadata.uid && ps
    })
    assert.equal(claimOf(pods[0]!), 'data-kubia-0')
    const body = await eventually(async () => (await http(podUrl('kubia-0'))).body)
    assert.equal(
      body,
      "You've hit kubia-0\nData stored on this pod: Hey there! This greeting was submitted to kubia-0.\n",
    )
  })

  test('scale down to 1 keeps data-kubia-1; scale up brings kubia-1 back with its data', async () => {
    const data1 = 'The sun is shining'
    assert.equal((await http(podUrl('kubia-1'), { method: 'POST', body: data1 })).body, 'Data stored on pod kubia-1\n')
    assert.equal(await ok(p, ['scale', 'sts', 'kubia', '--replicas=1']), 'statefulset.apps/kubia scaled\n')
    assert.deepEqual(names(await settled(c, 'kubia', 1)), ['kubia-0'])
    assert.deepEqual(Object.keys(rowsByName(await ok(p, ['get', 'pods', '-l', 'app=kubia']))), ['kubia-0'])
    const pvc = rowsByName(await ok(p, ['get', 'pvc']))
    assert.deepEqual([pvc['data-kubia-1']!.STATUS, pvc['data-kubia-1']!.VOLUME], ['Bound', 'pv-b'])
    assert.equal(await ok(p, ['scale', 'sts', 'kubia', '--replicas=2']), 'statefulset.apps/kubia scaled\n')
    const pods = await settled(c, 'kubia', 2)
    assert.equal(claimOf(pods[1]!), 'data-kubia-1')
    const body = await eventually(async () => (await http(podUrl('kubia-1'))).body)
    assert.equal(body, `You've hit kubia-1\nData stored on this pod: ${data1}\n`)
  })

  test('kubectl run -it srvlookup --image=tutum/dnsutils --rm -- dig SRV: one record per pod, pod removed', async () => {
    const r = await p.kubectl([
      'run',
      '-it',
      'srvlookup',
      '--image=tutum/dnsutils',
      '--rm',
      '--restart=Never',
      '--',
      'dig',
      'SRV',
      'kubia.default.svc.cluster.local',
    ])
    assert.equal(r.code, 0, r.stderr)
    // stdin is not a terminal here, so kubectl runs without a TTY (whether it warns about that
    // on stderr depends on how the test runner's stdin is set up, so that is not asserted).
    assert.match(r.stdout, /;; ->>HEADER<<- opcode: QUERY, status: NOERROR/)
    const srv = [...r.stdout.matchAll(/^kubia\.default\.svc\.cluster\.local\.\s+\d+\s+IN\s+SRV\s+(\d+ \d+ \d+ \S+)$/gm)]
      .map(x => x[1]!)
      .sort()
    assert.deepEqual(srv, [
      '0 50 80 kubia-0.kubia.default.svc.cluster.local.',
      '0 50 80 kubia-1.kubia.default.svc.cluster.local.',
    ])
    const pods = Object.fromEntries((await setPods(c, 'kubia')).map(x => [x.metadata.name, x.status!.podIP]))
    const a = [...r.stdout.matchAll(/^(kubia-\d)\.kubia\.default\.svc\.cluster\.local\.\s+\d+\s+IN\s+A\s+(\S+)$/gm)]
    assert.deepEqual(Object.fromEntries(a.map(x => [x[1], x[2]])), pods, 'the additional section has the pod IPs')
    assert.match(r.stdout, /pod "srvlookup" deleted\n$/)
    const gone = await p.kubectl(['get', 'pod', 'srvlookup'])
    assert.equal(gone.code, 1)
    assert.equal(gone.stderr, 'Error from server (NotFound): pods "srvlookup" not found\n')
  })

  test('kubectl edit sts kubia (peers image, 3 replicas): highest ordinal first; each pet lists every peer', async () => {
    const editor = join(p.dataDir, 'edit-kubia.sh')
    writeFileSync(
      editor,
      `#!/bin/sh\nsed -i -e 's#image: luksa/kubia-pet$#image: luksa/kubia-pet-peers#' -e '0,/^  replicas: 2$/s//  replicas: 3/' "$1"\n`,
      { mode: 0o755 },
    )
    const w = await PodWatch.start(p, ['-l', 'app=kubia'])
    try {
      const r = await p.kubectl(['edit', 'statefulset', 'kubia'], { env: { KUBE_EDITOR: editor } })
      assert.equal(r.code, 0, r.stderr)
      assert.equal(r.stdout, 'statefulset.apps/kubia edited\n')
      const pods = await eventually(async () => {
        const ps = await settled(c, 'kubia', 3, 'default', 60_000)
        return ps.every(x => imageOf(x) === 'luksa/kubia-pet-peers') && ps
      }, 90_000)
      assert.deepEqual(names(pods), ['kubia-0', 'kubia-1', 'kubia-2'])
      // kubia-2 is created at the new revision first, then kubia-1 and kubia-0 are replaced in turn.
      const added2 = w.find(l => l.name === 'kubia-2' && l.event === 'ADDED')
      const ready2 = w.find(l => l.name === 'kubia-2' && l.ready === '1/1' && l.status === 'Running', added2)
      assert.ok(added2 >= 0 && ready2 > added2, 'kubia-2 was created and became Ready')
      assertInTurn(w, ['kubia-1', 'kubia-0'], 'ready', ready2)
    } finally {
      await w.stop()
    }
    assert.equal(
      rowsByName(await ok(p, ['get', 'pvc']))['data-kubia-2']!.VOLUME,
      'pv-c',
      'kubia-2 claims the last seed PV',
    )
    const expected = [
      '- kubia-0.kubia.default.svc.cluster.local: Hey there! This greeting was submitted to kubia-0.',
      '- kubia-1.kubia.default.svc.cluster.local: The sun is shining',
      '- kubia-2.kubia.default.svc.cluster.local: No data posted yet',
    ]
    for (const pet of ['kubia-0', 'kubia-1', 'kubia-2']) {
      // Peers are found through the SRV records, in their (unspecified) order.
      const body = await eventually(async () => {
        const b = (await http(podUrl(pet))).body
        return b.split('\n').filter(l => l.startsWith('- ')).length === 3 && b
      })
      const [hit, header, ...peers] = body.trimEnd().split('\n')
      assert.deepEqual([hit, header], [`You've hit ${pet}`, 'Data stored in the cluster:'])
      assert.deepEqual(peers.sort(), expected)
    }
  })
})
