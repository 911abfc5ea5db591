/**
 * Seed scenario S1 (seed 000) with real pods: `petset up` on runc, both `web`/`nginx` manifests
 * verbatim, the real kubectl. Hostnames through `kubectl exec`, web-1 only after web-0 is Ready,
 * the cluster DNS from inside a pod (per-pod names, the headless Service's ready pods, following
 * deletions and scaling), and the `www` claim's files served by nginx again after web-0 is
 * deleted and comes back on the same PVC.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Pod } from '../../src/api/pod.js'
import type { RestClient } from '../../src/client/rest-client.js'
import { manifestsDir, type Petset } from './harness.js'
import { eventually, http, inPod, ok, podIP, realPodsMissing, startRealPetset } from './real-harness.js'
import { names, PodWatch, restClient, rowsByName, setPods, settled } from './statefulset-helpers.js'

const m = (f: string) => join(manifestsDir, f)
const claimOf = (pod: Pod, volume: string) =>
  pod.spec.volumes?.find(v => v.name === volume)?.persistentVolumeClaim?.claimName

/**
 * What `nslookup <name>` (bind9's, in the pod) answers: the Name/Address pairs after the server
 * lines; [] for NXDOMAIN (nslookup exits 1).
 */
async function nslookup(p: Petset, from: string, name: string): Promise<{ name: string; address: string }[]> {
  const r = await p.kubectl(['exec', from, '--', 'nslookup', name])
  if (r.code !== 0) {
    assert.match(r.stdout, /server can't find .*NXDOMAIN/, r.stderr)
    return []
  }
  const [server, ...answer] = r.stdout.split('\n\n')
  assert.match(server!, /^Server:\s+10\.96\.0\.10\nAddress:\s+10\.96\.0\.10#53$/m, 'the cluster DNS answers')
  const out: { name: string; address: string }[] = []
  let current = ''
  for (const line of answer.join('\n').split('\n')) {
    const n = /^Name:\s+(\S+)$/.exec(line)
    const a = /^Address:\s+(\S+)$/.exec(line)
    if (n) current = n[1]!
    else if (a) out.push({ name: current, address: a[1]! })
  }
  return out
}
const addresses = (answers: { address: string }[]) => answers.map(a => a.address).sort()

describe('S1 with real pods: web/nginx (seed 000)', { skip: realPodsMissing() }, () => {
  let p: Petset
  let c: RestClient
  before(async () => {
    p = await startRealPetset()
    c = restClient(p)
  })
  after(async () => {
    c?.close()
    await p?.stop()
  })

  test('create -f: web-1 only after web-0 is Running and Ready; get svc, sts, pods as the seed shows', async () => {
    const w = await PodWatch.start(p, ['-l', 'app=nginx'])
    try {
      assert.equal(
        await ok(p, ['create', '-f', m('nginx-statefulset.yaml')]),
        'service/nginx created\nstatefulset.apps/web created\n',
      )
      assert.deepEqual(names(await settled(c, 'web', 2)), ['web-0', 'web-1'])
      const ready0 = w.find(l => l.name === 'web-0' && l.ready === '1/1' && l.status === 'Running')
      const added1 = w.find(l => l.name === 'web-1' && l.event === 'ADDED')
      assert.ok(ready0 >= 0 && added1 > ready0, 'web-1 ADDED only after web-0 was 1/1 Running')
    } finally {
      await w.stop()
    }
    const svc = rowsByName(await ok(p, ['get', 'svc']))
    assert.deepEqual(
      [svc.kubernetes!.TYPE, svc.kubernetes!['CLUSTER-IP'], svc.kubernetes!['PORT(S)']],
      ['ClusterIP', '10.96.0.1', '443/TCP'],
    )
    assert.deepEqual(
      [svc.nginx!.TYPE, svc.nginx!['CLUSTER-IP'], svc.nginx!['PORT(S)']],
      ['ClusterIP', 'None', '80/TCP'],
    )
    assert.equal(rowsByName(await ok(p, ['get', 'statefulset'])).web!.READY, '2/2')
    const pods = rowsByName(await ok(p, ['get', 'pods']))
    for (const n of ['web-0', 'web-1'])
      assert.deepEqual([pods[n]!.READY, pods[n]!.STATUS, pods[n]!.RESTARTS], ['1/1', 'Running', '0'])
  })

  test("kubectl exec web-N -- sh -c 'hostname' prints the pod's name", async () => {
    assert.equal(await ok(p, ['exec', 'web-0', '--', 'sh', '-c', 'hostname']), 'web-0\n')
    assert.equal(await ok(p, ['exec', 'web-1', '--', 'sh', '-c', 'hostname']), 'web-1\n')
  })

  test('inside web-0: web-1.nginx and its FQDN resolve to web-1; nginx.default.svc.cluster.local to both', async () => {
    const ip0 = await podIP(p, 'web-0')
    const ip1 = await podIP(p, 'web-1')
    assert.notEqual(ip0, ip1)
    assert.match(ip0, /^10\.244\.\d+\.\d+$/)
    assert.deepEqual(await nslookup(p, 'web-0', 'web-1.nginx'), [
      { name: 'web-1.nginx.default.svc.cluster.local', address: ip1 },
    ])
    assert.deepEqual(await nslookup(p, 'web-0', 'web-1.nginx.default.svc.cluster.local'), [
      { name: 'web-1.nginx.default.svc.cluster.local', address: ip1 },
    ])
    assert.deepEqual(await nslookup(p, 'web-1', 'web-0.nginx'), [
      { name: 'web-0.nginx.default.svc.cluster.local', address: ip0 },
    ])
    assert.deepEqual(addresses(await nslookup(p, 'web-0', 'nginx.default.svc.cluster.local')), [ip0, ip1].sort())
    // The pod's resolv.conf is the ClusterFirst one: the short name goes through the search list.
    assert.equal(
      await inPod(p, 'web-0', 'cat', '/etc/resolv.conf'),
      'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    )
  })

  test('a deleted web-1 comes back with the same DNS name and its new address', async () => {
    const [, old] = await setPods(c, 'web')
    assert.equal(await ok(p, ['delete', 'pod', 'web-1']), 'pod "web-1" deleted\n')
    const pods = await eventually(async () => {
      const ps = await settled(c, 'web', 2)
      return ps[1]!.metadata.uid !== old!.metadata.uid && ps
    })
    const ip1 = pods[1]!.status!.podIP!
    assert.equal(await ok(p, ['exec', 'web-1', '--', 'sh', '-c', 'hostname']), 'web-1\n')
    await eventually(async () => {
      const a = await nslookup(p, 'web-0', 'web-1.nginx')
      return a.length === 1 && a[0]!.address === ip1
    })
    // nginx answers on the new address, from the host and from web-0 by name.
    assert.match((await http(`http://${ip1}/`)).body, /Welcome to nginx!/)
    assert.match(await inPod(p, 'web-0', 'curl', '-s', 'http://web-1.nginx/'), /Welcome to nginx!/)
  })

  test('DNS answers follow scale-up and scale-down', async () => {
    assert.equal(await ok(p, ['scale', 'sts', 'web', '--replicas=3']), 'statefulset.apps/web scaled\n')
    const three = await settled(c, 'web', 3)
    const ips = three.map(x => x.status!.podIP!)
    await eventually(async () => {
      const all = addresses(await nslookup(p, 'web-0', 'nginx.default.svc.cluster.local'))
      return JSON.stringify(all) === JSON.stringify([...ips].sort())
    })
    assert.deepEqual(addresses(await nslookup(p, 'web-0', 'web-2.nginx')), [ips[2]])

    assert.equal(await ok(p, ['scale', 'sts', 'web', '--replicas=1']), 'statefulset.apps/web scaled\n')
    await settled(c, 'web', 1)
    await eventually(async () => {
      const all = addresses(await nslookup(p, 'web-0', 'nginx.default.svc.cluster.local'))
      return JSON.stringify(all) === JSON.stringify([ips[0]])
    })
    assert.deepEqual(await nslookup(p, 'web-0', 'web-2.nginx'), [], 'web-2.nginx is NXDOMAIN once web-2 is gone')
    assert.deepEqual(await nslookup(p, 'web-0', 'web-1.nginx'), [])
  })

  test('second manifest: www claims provisioned through standard; web-0 serves its file after being recreated', async () => {
    // The first manifest's objects go first (foreground: kubectl returns once the pods are gone).
    assert.equal(
      await ok(p, ['delete', '-f', m('nginx-statefulset.yaml'), '--cascade=foreground']),
      'service "nginx" deleted\nstatefulset.apps "web" deleted\n',
    )
    await eventually(async () => (await setPods(c, 'web', 'default', true)).length === 0)
    assert.equal(
      await ok(p, ['create', '-f', m('nginx-statefulset-www.yaml')]),
      'service/nginx created\nstatefulset.apps/web created\n',
    )
    const pods = await settled(c, 'web', 2)
    const pvc = rowsByName(
      await eventually(async () => {
        const o = await ok(p, ['get', 'pvc'])
        const rows = rowsByName(o)
        return ['www-web-0', 'www-web-1'].every(n => rows[n]?.STATUS === 'Bound') && o
      }),
    )
    for (const n of ['www-web-0', 'www-web-1'])
      assert.deepEqual([pvc[n]!.CAPACITY, pvc[n]!['ACCESS MODES'], pvc[n]!.STORAGECLASS], ['1Gi', 'RWO', 'standard'], n)
    assert.deepEqual(
      pods.map(x => claimOf(x, 'www')),
      ['www-web-0', 'www-web-1'],
    )
    // The claim hides the image's page, as with the real image: nginx answers 403 on an empty dir.
    const ip0 = pods[0]!.status!.podIP!
    assert.equal((await http(`http://${ip0}/`)).status, 403)

    await inPod(p, 'web-0', 'sh', '-c', 'echo "hello from web-0" > /usr/share/nginx/html/index.html')
    await inPod(p, 'web-1', 'sh', '-c', 'echo "hello from web-1" > /usr/share/nginx/html/index.html')
    assert.equal((await http(`http://${ip0}/`)).body, 'hello from web-0\n')
    assert.equal(await inPod(p, 'web-1', 'curl', '-s', 'http://web-0.nginx/'), 'hello from web-0\n')

    const volume = pvc['www-web-0']!.VOLUME
    assert.equal(await ok(p, ['delete', 'pod', 'web-0']), 'pod "web-0" deleted\n')
    const again = await eventually(async () => {
      const ps = await settled(c, 'web', 2)
      return ps[0]!.metadata.uid !== pods[0]!.metadata.uid && ps
    })
    const web0 = again[0]!
    assert.equal(claimOf(web0, 'www'), 'www-web-0')
    assert.equal(rowsByName(await ok(p, ['get', 'pvc']))['www-web-0']!.VOLUME, volume)
    assert.equal(await ok(p, ['exec', 'web-0', '--', 'sh', '-c', 'hostname']), 'web-0\n')
    assert.equal((await http(`http://${web0.status!.podIP}/`)).body, 'hello from web-0\n')
    assert.equal(await inPod(p, 'web-1', 'curl', '-s', 'http://web-0.nginx/'), 'hello from web-0\n')
    assert.equal(await inPod(p, 'web-0', 'curl', '-s', 'http://web-1.nginx/'), 'hello from web-1\n')
  })
})
