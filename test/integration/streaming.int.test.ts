/**
 * Streaming subresources driven by the real kubectl (1.32: WebSocket exec, WebSocket-tunnelled
 * port-forward; 1.27: SPDY exec and port-forward) through the API server's streaming handler and
 * the node agent's streaming server, with host processes as containers (test/integration/streaming).
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { appendFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { WebSocket } from 'ws'
import {
  fakeKubelet,
  finished,
  type Harness,
  hasKubectl,
  kubectl,
  kubectlBin,
  runningPod,
  spawnKubectl,
  startHarness,
  waitForOutput,
} from './streaming/harness.js'

const skip = hasKubectl ? false : 'kubectl 1.27 and 1.32 (google-cloud-sdk layout) are not installed'

describe('streaming with the real kubectl', { skip }, () => {
  let h: Harness
  before(async () => {
    h = await startHarness()
  })
  after(() => h?.close())

  for (const minor of [32, 27]) {
    const transport = minor >= 30 ? 'WebSocket' : 'SPDY'

    test(`1.${minor} exec (${transport}): stdout, stderr and exit code 0`, async () => {
      const r = await kubectl(h, minor, ['exec', 'p', '--', 'sh', '-c', 'echo out; echo err >&2'])
      assert.equal(r.stdout, 'out\n')
      assert.equal(r.stderr, 'err\n')
      assert.equal(r.code, 0)
      assert.equal(h.front.upgrades.at(-1), minor >= 30 ? 'websocket exec' : 'spdy/3.1 exec', 'no fallback')
    })

    test(`1.${minor} exec (${transport}): a non-zero exit code propagates`, async () => {
      const r = await kubectl(h, minor, ['exec', 'p', '--', 'sh', '-c', 'exit 3'])
      assert.equal(r.code, 3)
      assert.match(r.stderr, /command terminated with exit code 3/)
    })

    test(`1.${minor} exec -i (${transport}): piped stdin reaches the process and EOF ends it`, async () => {
      const r = await kubectl(h, minor, ['exec', '-i', 'p', '--', 'cat'], 'hi\n')
      assert.equal(r.stdout, 'hi\n')
      assert.equal(r.code, 0)
    })

    test(`1.${minor} exec (${transport}): a runtime error is an error, exit 1`, async () => {
      h.pods.set('default/two', { containers: ['main'] })
      await runningPod(h.api, `two-${minor}`, {
        containers: [
          { name: 'main', image: 'busybox' },
          { name: 'sidecar', image: 'busybox' },
        ],
      })
      h.pods.set(`default/two-${minor}`, { containers: ['main'] })
      const r = await kubectl(h, minor, ['exec', `two-${minor}`, '-c', 'sidecar', '--', 'true'])
      assert.equal(r.code, 1)
      assert.match(r.stderr, /container "sidecar" not found in pod "two-/)
    })

    test(`1.${minor} port-forward (${minor >= 31 ? 'WebSocket tunnel' : 'SPDY'}) + HTTP through it`, async () => {
      const local = 18000 + minor
      const pf = spawnKubectl(h, minor, ['port-forward', 'pod/p', `${local}:${h.httpPort}`])
      const done = finished(pf)
      await waitForOutput(pf, /Forwarding from 127\.0\.0\.1/)
      const last = h.front.upgrades.length
      for (const path of ['/a', '/b']) {
        const res = await fetch(`http://127.0.0.1:${local}${path}`, { method: 'POST', body: 'payload' })
        assert.equal(await res.text(), `POST ${path}\npayload`)
      }
      const big = 'x'.repeat(300_000)
      const res = await fetch(`http://127.0.0.1:${local}/big`, { method: 'POST', body: big })
      assert.equal((await res.text()).length, 'POST /big\n'.length + big.length)
      assert.equal(h.front.upgrades.at(last - 1), minor >= 31 ? 'websocket portforward' : 'spdy/3.1 portforward')
      pf.kill('SIGINT')
      await done
    })
  }

  // Every other kubectl the SDK ships: exec with an exit code, and one port-forwarded request.
  for (const minor of [28, 29, 30, 31, 33].filter(m => existsSync(kubectlBin(m)))) {
    test(`1.${minor}: exec exit code and port-forward`, async () => {
      const r = await kubectl(h, minor, ['exec', 'p', '--', 'sh', '-c', 'echo $((40+2)); exit 7'])
      assert.equal(r.stdout, '42\n')
      assert.equal(r.code, 7, r.stderr)
      assert.equal(h.front.upgrades.at(-1), minor >= 30 ? 'websocket exec' : 'spdy/3.1 exec')
      const local = 18100 + minor
      const pf = spawnKubectl(h, minor, ['port-forward', 'pod/p', `${local}:${h.httpPort}`])
      const done = finished(pf)
      await waitForOutput(pf, /Forwarding from 127\.0\.0\.1/)
      assert.equal(await (await fetch(`http://127.0.0.1:${local}/v${minor}`)).text(), `GET /v${minor}\n`)
      const pfTransport = h.front.upgrades.filter(u => u.endsWith('portforward')).at(-1)
      assert.equal(pfTransport, minor >= 31 ? 'websocket portforward' : 'spdy/3.1 portforward')
      pf.kill('SIGINT')
      await done
    })
  }

  test('the version dispatcher (/usr/bin/kubectl) picks 1.32 and execs', {
    skip: !existsSync('/usr/bin/kubectl'),
  }, async () => {
    const child = spawn('/usr/bin/kubectl', ['exec', 'p', '--', 'echo', 'dispatched'], { env: h.env })
    child.stdin.end()
    const r = await finished(child)
    assert.equal(r.stdout, 'dispatched\n', r.stderr)
  })

  test('exec on an unscheduled pod is a 400 that kubectl prints', async () => {
    await h.api.registry
      .core('pods')
      .create('default', { metadata: { name: 'pending' }, spec: { containers: [{ name: 'main', image: 'busybox' }] } })
    const r = await kubectl(h, 32, ['exec', 'pending', '--', 'true'])
    assert.notEqual(r.code, 0)
    assert.match(r.stderr, /pod pending does not have a host assigned/)
  })

  for (const [minor, cols, rows] of [
    [32, 91, 33],
    [27, 87, 29],
  ] as const)
    test(`1.${minor} exec -it: the session gets a TTY and the terminal size`, async () => {
      // kubectl needs a terminal of its own: `script` gives it one, sized with stty.
      const bin = join(h.dir, `bin-${minor}`)
      mkdirSync(bin, { recursive: true })
      symlinkSync(kubectlBin(minor), join(bin, 'kubectl'))
      // The sleep lets kubectl's first resize (sent asynchronously) arrive before the exit.
      const inner = "kubectl exec -it p -- sh -c 'tty; sleep 1; echo done; exit 4'"
      const env = { ...h.env, PATH: `${bin}:${h.env.PATH}` }
      const child = spawn('script', ['-qec', `stty cols ${cols} rows ${rows}; ${inner}`, '/dev/null'], { env })
      const r = await finished(child)
      assert.equal(r.code, 4, r.stdout + r.stderr)
      assert.match(r.stdout, /\/dev\/pts\/\d+/)
      assert.match(r.stdout, /done/)
      assert.ok(
        h.resizes.some(r => r.width === cols && r.height === rows),
        `resizes: ${JSON.stringify(h.resizes)}`,
      )
    })

  test('kubectl cp copies a file into the pod and back out', async () => {
    const inside = join(h.dir, 'pod-fs')
    mkdirSync(inside)
    const src = join(h.dir, 'local.txt')
    writeFileSync(src, 'copied content\n'.repeat(1000))
    const up = await kubectl(h, 32, ['cp', src, `default/p:${inside}/remote.txt`])
    assert.equal(up.code, 0, up.stderr)
    assert.equal(readFileSync(join(inside, 'remote.txt'), 'utf8'), readFileSync(src, 'utf8'))
    const back = join(h.dir, 'back.txt')
    const down = await kubectl(h, 27, ['cp', `default/p:${inside}/remote.txt`, back])
    assert.equal(down.code, 0, down.stderr)
    assert.equal(readFileSync(back, 'utf8'), readFileSync(src, 'utf8'))
  })

  test('kubectl logs --tail, and logs -f keeps streaming', async () => {
    const r = await kubectl(h, 32, ['logs', 'p', '--tail=2'])
    assert.equal(r.stdout, 'line 2\nline 3\n')
    const f = spawnKubectl(h, 32, ['logs', '-f', 'p'])
    const done = finished(f)
    await waitForOutput(f, /line 3\n/)
    appendFileSync(h.pods.get('default/p')!.logs!.main!, 'line 4\n')
    await waitForOutput(f, /line 4\n/)
    f.kill('SIGINT')
    await done
  })

  test('kubectl proxy reaches the pod and a service through pods/proxy and services/proxy', async () => {
    await h.api.registry.core('services').create('default', {
      metadata: { name: 'web' },
      spec: { selector: { app: 'none' }, ports: [{ name: 'http', port: 80, targetPort: h.httpPort }] },
    })
    await h.api.registry.core('endpoints').create('default', {
      metadata: { name: 'web' },
      subsets: [
        {
          addresses: [{ ip: '10.244.0.10', targetRef: { kind: 'Pod', namespace: 'default', name: 'p' } }],
          ports: [{ name: 'http', port: h.httpPort }],
        },
      ],
    } as never)
    const proxy = spawnKubectl(h, 32, ['proxy', '--port=0'])
    const done = finished(proxy)
    const out = await waitForOutput(proxy, /Starting to serve on 127\.0\.0\.1:\d+/)
    const base = `http://${/127\.0\.0\.1:\d+/.exec(out)![0]}/api/v1/namespaces/default`
    const pod = await fetch(`${base}/pods/p:${h.httpPort}/proxy/hello?x=1`)
    assert.equal(pod.status, 200)
    assert.equal(await pod.text(), 'GET /hello?x=1\n')
    assert.equal(pod.headers.get('x-seen-authorization'), '', 'credentials must not reach the pod')
    const bare = await fetch(`${base}/pods/p:${h.httpPort}/proxy`, { redirect: 'manual' })
    assert.equal(bare.status, 301)
    assert.match(bare.headers.get('location') ?? '', /\/pods\/p:\d+\/proxy\/$/)
    const named = await fetch(`${base}/pods/p:http/proxy/`, { method: 'POST', body: 'b' })
    assert.equal(await named.text(), 'POST /\nb')
    const svc = await fetch(`${base}/services/web:http/proxy/s`)
    assert.equal(await svc.text(), 'GET /s\n')
    const svcByNumber = await fetch(`${base}/services/web:80/proxy/n`)
    assert.equal(await svcByNumber.text(), 'GET /n\n')
    const none = await fetch(`${base}/services/web:81/proxy/`)
    assert.equal(none.status, 503)
    assert.equal((await none.json()).message, 'no service port 81 found for service "web"')
    proxy.kill('SIGINT')
    await done
  })

  for (const minor of [32, 27])
    test(`1.${minor} attach -i connects stdin to the main process`, async () => {
      const name = `att-${minor}`
      await runningPod(h.api, name, { containers: [{ name: 'main', image: 'busybox', stdin: true }] })
      h.pods.set(`default/${name}`, { containers: ['main'], main: { main: ['sh', '-c', 'read l; echo "got $l"'] } })
      const r = await kubectl(h, minor, ['attach', '-i', name], 'ping\n')
      assert.match(r.stdout, /got ping/)
      assert.equal(r.code, 0, r.stderr)
      assert.equal(h.front.upgrades.at(-1), minor >= 30 ? 'websocket attach' : 'spdy/3.1 attach')
    })

  test('nodes/proxy reaches the node agent with the agent token', async () => {
    const r = await kubectl(h, 32, [
      'get',
      '--raw',
      '/api/v1/nodes/node-1/proxy/containerLogs/default/p/main?tailLines=1',
    ])
    const last = readFileSync(h.pods.get('default/p')!.logs!.main!, 'utf8').trimEnd().split('\n').at(-1)
    assert.equal(r.stdout, `${last}\n`, r.stderr)
  })

  test('a WebSocket passes through pods/proxy', async () => {
    const url = `${h.front.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/p:${h.httpPort}/proxy/ws`
    const ws = new WebSocket(url, { ca: h.front.ca })
    await once(ws, 'open')
    ws.send('echo me')
    const [msg] = await once(ws, 'message')
    assert.equal(String(msg), 'echo me')
    ws.close()
  })

  test('kubectl run -i --rm attaches, the pod completes, and kubectl deletes it', async () => {
    const stop = fakeKubelet(h, 'x')
    const args = [
      'run',
      '-i',
      '--rm',
      '--restart=Never',
      'x',
      '--image=busybox',
      '--',
      'sh',
      '-c',
      'read l; echo "got $l"',
    ]
    const r = await kubectl(h, 32, args, 'run\n')
    stop()
    assert.match(r.stdout, /got run/)
    assert.match(r.stdout, /pod "x" deleted/)
    assert.equal(r.code, 0, r.stderr)
    assert.equal(h.front.upgrades.at(-1), 'websocket attach')
  })
})

// The same paths through the API server itself, once server.ts routes them to the streaming
// handler (skipped until then): authentication on upgrades, and the handler wired in one place.
describe('streaming through the API server as wired in server.ts', { skip }, () => {
  let h: Harness
  before(async () => {
    h = await startHarness()
  })
  after(() => h?.close())

  for (const minor of [32, 27])
    test(`1.${minor} exec, stdin and exit code`, async t => {
      if (!h.wired) return t.skip('server.ts does not route streaming requests yet')
      const r = await kubectl(h, minor, ['exec', '-i', 'p', '--', 'sh', '-c', 'cat; exit 5'], 'in\n', h.directEnv)
      assert.equal(r.stdout, 'in\n')
      assert.equal(r.code, 5, r.stderr)
    })

  for (const minor of [32, 27])
    test(`1.${minor} port-forward`, async t => {
      if (!h.wired) return t.skip('server.ts does not route streaming requests yet')
      const local = 18200 + minor
      const pf = spawnKubectl(h, minor, ['port-forward', 'pod/p', `${local}:${h.httpPort}`], h.directEnv)
      const done = finished(pf)
      await waitForOutput(pf, /Forwarding from 127\.0\.0\.1/)
      assert.equal(await (await fetch(`http://127.0.0.1:${local}/direct`)).text(), 'GET /direct\n')
      pf.kill('SIGINT')
      await done
    })

  test('logs and pods/proxy', async t => {
    if (!h.wired) return t.skip('server.ts does not route streaming requests yet')
    const logs = await kubectl(h, 32, ['logs', 'p', '--tail=1'], undefined, h.directEnv)
    assert.equal(logs.stdout, 'line 3\n', logs.stderr)
    const path = `/api/v1/namespaces/default/pods/p:${h.httpPort}/proxy/raw?q=1`
    const proxied = await kubectl(h, 32, ['get', '--raw', path], undefined, h.directEnv)
    assert.equal(proxied.stdout, 'GET /raw?q=1\n', proxied.stderr)
  })
})
