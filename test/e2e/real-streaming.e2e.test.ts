/**
 * Real pods through kubectl's streaming commands and the pod network: a liveness probe restarting
 * a container (RESTARTS, Unhealthy/Killing events, `logs --previous`), `logs -f`, `exec` exit
 * codes (WebSocket, and SPDY with kubectl 1.27), `port-forward`, `cp` both ways, `run -it --rm`;
 * pod-to-pod, pod-to-ClusterIP and host-to-ClusterIP traffic; and an image petset cannot pull.
 */
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Service } from '../../src/api/core.js'
import type { RestClient } from '../../src/client/rest-client.js'
import { kubectlPath, manifestsDir, type Petset } from './harness.js'
import {
  eventLines,
  eventually,
  freePort,
  getJson,
  http,
  inPod,
  KubectlProcess,
  ok,
  pod,
  podIP,
  realPodsMissing,
  startRealPetset,
} from './real-harness.js'
import { restClient, rowsByName, settled } from './statefulset-helpers.js'

const m = (f: string) => join(manifestsDir, f)
const ready = (p: Petset, name: string) =>
  eventually(async () => {
    const x = await pod(p, name)
    return x.status?.phase === 'Running' && x.status.conditions?.some(c => c.type === 'Ready' && c.status === 'True')
  })

describe('real pods: probes, logs, exec, port-forward, cp, run, pod network', { skip: realPodsMissing() }, () => {
  let p: Petset
  let c: RestClient
  before(async () => {
    p = await startRealPetset()
    c = restClient(p)
    for (const f of ['nginx-statefulset.yaml', 'nginx-clusterip.yaml', 'logger-pod.yaml', 'liveness-exec.yaml'])
      await ok(p, ['create', '-f', m(f)])
    await settled(c, 'web', 2)
    await ready(p, 'logger')
  })
  after(async () => {
    c?.close()
    await p?.stop()
  })

  test('a failing liveness probe restarts the container: RESTARTS 1, Unhealthy and Killing, logs --previous', async () => {
    const restarted = await eventually(async () => {
      const x = await pod(p, 'liveness-exec')
      const s = x.status?.containerStatuses?.[0]
      return s?.restartCount === 1 && s.state?.running && x
    }, 30_000)
    assert.equal(restarted.status!.containerStatuses![0]!.lastState?.terminated?.exitCode, 137)
    const row = rowsByName(await ok(p, ['get', 'pod', 'liveness-exec']))['liveness-exec']!
    assert.equal(row.STATUS, 'Running')
    // 1, or 2 on a slow machine: the new container fails its probe again ~5 s later.
    assert.match(row.RESTARTS!, /^[12] \(\d+s ago\)$/)
    const events = await eventLines(p, 'Pod', 'liveness-exec')
    assert.ok(
      // The kubelet puts the probe's output in the message as it is, newline included.
      events.includes("Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n"),
      events.join('\n'),
    )
    assert.ok(
      events.includes('Killing: Container liveness failed liveness probe, will be restarted'),
      events.join('\n'),
    )
    assert.equal(await ok(p, ['logs', 'liveness-exec', '--previous']), 'healthy for a while\nnot any more\n')
    assert.match(await ok(p, ['logs', 'liveness-exec']), /^healthy for a while\n/)
  })

  test('kubectl logs -f streams lines as the container writes them', async () => {
    const f = KubectlProcess.start(p, ['logs', '-f', 'logger'])
    try {
      await f.waitFor(/^started\n/)
      await inPod(p, 'logger', 'sh', '-c', 'echo "said after -f started" > /tmp/s && mv /tmp/s /tmp/say')
      await f.waitFor(/^said after -f started$/m)
      await inPod(p, 'logger', 'sh', '-c', 'echo "and once more" > /tmp/s && mv /tmp/s /tmp/say')
      await f.waitFor(/^and once more$/m)
      assert.equal(f.out, 'started\nsaid after -f started\nand once more\n')
      assert.equal(f.child.exitCode, null, 'logs -f keeps following')
    } finally {
      await f.stop()
    }
  })

  for (const version of [undefined, '1.27'])
    test(`kubectl ${version ?? '1.32'} exec: output, stdin and the remote exit code`, async t => {
      if (version && !kubectlPath(version)) return t.skip(`kubectl ${version} is not installed`)
      const r = await p.kubectl(['exec', 'web-0', '--', 'sh', '-c', 'hostname; echo oops >&2; exit 3'], { version })
      assert.deepEqual([r.code, r.stdout, r.stderr], [3, 'web-0\n', 'oops\ncommand terminated with exit code 3\n'])
      const i = await p.kubectl(['exec', '-i', 'web-1', '--', 'sh', '-c', 'tr a-z A-Z'], {
        version,
        input: 'piped in\n',
      })
      assert.deepEqual([i.code, i.stdout], [0, 'PIPED IN\n'])
      const missing = await p.kubectl(['exec', 'web-0', '--', 'no-such-command'], { version })
      assert.notEqual(missing.code, 0)
      assert.match(missing.stderr, /no-such-command/)
    })

  test('kubectl port-forward pod/web-0 <port>:80 carries HTTP', async () => {
    const port = await freePort()
    const pf = KubectlProcess.start(p, ['port-forward', 'pod/web-0', `${port}:80`])
    try {
      await pf.waitFor(new RegExp(`^Forwarding from 127\\.0\\.0\\.1:${port} -> 80$`, 'm'))
      for (let i = 0; i < 2; i++) {
        const r = await http(`http://127.0.0.1:${port}/`)
        assert.equal(r.status, 200)
        assert.match(r.body, /<title>Welcome to nginx!<\/title>/)
      }
      assert.match(pf.out, new RegExp(`Handling connection for ${port}`))
    } finally {
      await pf.stop()
    }
  })

  test('kubectl cp copies a file into a pod and out of it', async () => {
    const dir = join(p.dataDir, 'cp')
    mkdirSync(dir)
    writeFileSync(join(dir, 'in.txt'), 'copied into web-0\n')
    const into = await p.kubectl(['cp', join(dir, 'in.txt'), 'web-0:/tmp/in.txt'])
    assert.deepEqual([into.code, into.stdout, into.stderr], [0, '', ''])
    assert.equal(await inPod(p, 'web-0', 'cat', '/tmp/in.txt'), 'copied into web-0\n')
    await inPod(p, 'web-0', 'sh', '-c', 'echo "made in $(hostname)" > /tmp/out.txt')
    const out = await p.kubectl(['cp', 'web-0:/tmp/out.txt', join(dir, 'out.txt')])
    assert.equal(out.code, 0, out.stderr)
    // kubectl copies tar's stderr ("tar: Removing leading `/' from member names") to its stdout,
    // and may exit before it has (kubectl's own race): not asserted.
    assert.equal(out.stderr, '')
    assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), 'made in web-0\n')
  })

  test('pod to pod, pod to ClusterIP (by name), host to ClusterIP', async () => {
    const ip1 = await podIP(p, 'web-1')
    assert.match(await inPod(p, 'web-0', 'curl', '-s', `http://${ip1}/`), /Welcome to nginx!/)
    const svc = await getJson<Service>(p, ['svc', 'web-svc'])
    const clusterIP = svc.spec!.clusterIP!
    assert.match(clusterIP, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/)
    const row = rowsByName(await ok(p, ['get', 'svc', 'web-svc']))['web-svc']!
    assert.deepEqual([row.TYPE, row['CLUSTER-IP'], row['PORT(S)']], ['ClusterIP', clusterIP, '80/TCP'])
    // busybox's wget in another pod, through the cluster DNS and the service proxy.
    assert.match(await inPod(p, 'logger', 'wget', '-qO-', 'http://web-svc'), /Welcome to nginx!/)
    assert.match(
      await inPod(p, 'logger', 'wget', '-qO-', 'http://web-svc.default.svc.cluster.local/'),
      /Welcome to nginx!/,
    )
    assert.match((await http(`http://${clusterIP}/`)).body, /Welcome to nginx!/)
    // Both backends answer through the ClusterIP (round robin).
    await inPod(p, 'web-0', 'sh', '-c', 'echo web-0 > /usr/share/nginx/html/who.html')
    await inPod(p, 'web-1', 'sh', '-c', 'echo web-1 > /usr/share/nginx/html/who.html')
    const seen = new Set<string>()
    await eventually(async () => {
      seen.add((await http(`http://${clusterIP}/who.html`)).body)
      return seen.size === 2
    })
    assert.deepEqual([...seen].sort(), ['web-0\n', 'web-1\n'])
  })

  test("kubectl run -it --rm with busybox -- sh -c 'echo hi'", async () => {
    const r = await p.kubectl([
      'run',
      '-it',
      'hi',
      '--image=busybox',
      '--rm',
      '--restart=Never',
      '--',
      'sh',
      '-c',
      'echo hi',
    ])
    assert.equal(r.code, 0, r.stderr)
    // The container has a terminal (-t), so its line ends in \r\n, as on a real cluster.
    assert.equal(r.stdout, 'hi\r\npod "hi" deleted\n')
    const gone = await p.kubectl(['get', 'pod', 'hi'])
    assert.equal(gone.stderr, 'Error from server (NotFound): pods "hi" not found\n')
  })

  test('an image petset cannot pull: ErrImagePull, then ImagePullBackOff, saying how to load it', async () => {
    assert.equal(await ok(p, ['run', 'cache', '--image=redis:7']), 'pod/cache created\n')
    const message =
      'failed to pull and unpack image "docker.io/library/redis:7": no registry is reachable from petset; ' +
      'load the image with: petset image load <file> (an OCI layout or docker save archive)'
    const events = await eventually(async () => {
      const e = await eventLines(p, 'Pod', 'cache')
      return e.some(l => l.startsWith('BackOff: ')) && e
    }, 30_000)
    assert.ok(events.includes(`Failed: Failed to pull image "redis:7": ${message}`), events.join('\n'))
    assert.ok(events.includes('Failed: Error: ErrImagePull'), events.join('\n'))
    assert.ok(events.includes('BackOff: Back-off pulling image "redis:7"'), events.join('\n'))
    await eventually(async () => {
      const row = rowsByName(await ok(p, ['get', 'pod', 'cache'])).cache!
      return row.STATUS === 'ImagePullBackOff' && row.READY === '0/1'
    })
    const waiting = (await pod(p, 'cache')).status!.containerStatuses![0]!.state!.waiting!
    assert.equal(waiting.reason, 'ImagePullBackOff')
    assert.equal(waiting.message, `Back-off pulling image "redis:7": ErrImagePull: ${message}`)
  })
})
