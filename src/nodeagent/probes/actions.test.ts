/** Probe actions against local servers and a scripted exec: success ranges and upstream failure messages. */
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import type { Container } from '../../api/pod.js'
import type { ContainerRuntime, ExecStreams } from '../runtime/runtime.js'
import { runProbe } from './actions.js'

let server: Server
let port: number
let closedPort: number
const seen: Record<string, string | undefined>[] = []

before(async () => {
  server = createServer((req, res) => {
    seen.push({ path: req.url, agent: req.headers['user-agent'], custom: req.headers['x-custom'] as string })
    const code = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('code') ?? 200)
    res.writeHead(code)
    res.end('body')
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  port = (server.address() as AddressInfo).port
  const tmp = createServer()
  await new Promise<void>(r => tmp.listen(0, '127.0.0.1', r))
  closedPort = (tmp.address() as AddressInfo).port
  await new Promise(r => tmp.close(r))
})
after(() => new Promise(r => server.close(r)))

const container: Container = { name: 'app', ports: [{ name: 'http', containerPort: 0 }] }
const target = (runtime = {} as ContainerRuntime) => ({ container, containerId: 'c1', podIP: '127.0.0.1', runtime })

describe('httpGet', () => {
  it('200–399 succeed; headers, path and the kube-probe agent are sent', async () => {
    const r = await runProbe(
      { httpGet: { port, path: 'healthz?code=302', httpHeaders: [{ name: 'X-Custom', value: 'v' }] } },
      target(),
      1000,
    )
    assert.equal(r.result, 'success')
    assert.deepEqual(seen.at(-1), { path: '/healthz?code=302', agent: 'kube-probe/1.32', custom: 'v' })
  })
  it('other codes fail with the status code', async () => {
    assert.deepEqual(await runProbe({ httpGet: { port, path: '/?code=503' } }, target(), 1000), {
      result: 'failure',
      output: 'HTTP probe failed with statuscode: 503',
    })
  })
  it('named ports resolve through the container', async () => {
    const named = { ...container, ports: [{ name: 'http', containerPort: port }] }
    const r = await runProbe({ httpGet: { port: 'http' } }, { ...target(), container: named }, 1000)
    assert.equal(r.result, 'success')
    assert.equal(
      (await runProbe({ httpGet: { port: 'nope' } }, target(), 1000)).output,
      "couldn't find port: nope in app",
    )
  })
  it('refused connections read like Go', async () => {
    const r = await runProbe({ httpGet: { port: closedPort, path: '/healthz' } }, target(), 1000)
    assert.equal(
      r.output,
      `Get "http://127.0.0.1:${closedPort}/healthz": dial tcp 127.0.0.1:${closedPort}: connect: connection refused`,
    )
  })
})

describe('tcpSocket', () => {
  it('connects, or fails like Go', async () => {
    assert.equal((await runProbe({ tcpSocket: { port } }, target(), 1000)).result, 'success')
    assert.deepEqual(await runProbe({ tcpSocket: { port: closedPort } }, target(), 1000), {
      result: 'failure',
      output: `dial tcp 127.0.0.1:${closedPort}: connect: connection refused`,
    })
  })
})

describe('exec', () => {
  const runtime = (code: number, output: string, delayMs = 0) =>
    ({
      name: 'fake',
      async exec(_id: string, _cmd: string[], streams: ExecStreams) {
        streams.stdout?.write(output)
        await new Promise(r => setTimeout(r, delayMs))
        return code
      },
    }) as unknown as ContainerRuntime
  it('exit 0 succeeds; non-zero fails with the output', async () => {
    assert.equal((await runProbe({ exec: { command: ['true'] } }, target(runtime(0, 'fine')), 1000)).result, 'success')
    assert.deepEqual(
      await runProbe({ exec: { command: ['cat', '/tmp/healthy'] } }, target(runtime(1, 'cat: no such file')), 1000),
      {
        result: 'failure',
        output: 'cat: no such file',
      },
    )
  })
  it('times out', async () => {
    const r = await runProbe({ exec: { command: ['sleep', '5'] } }, target(runtime(0, '', 300)), 50)
    assert.deepEqual(r, { result: 'failure', output: 'command "sleep 5" timed out' })
  })
  it('runtimes without exec fail clearly', async () => {
    const r = await runProbe({ exec: { command: ['x'] } }, target({ name: 'simulated' } as ContainerRuntime), 50)
    assert.equal(r.output, 'exec probes are not supported by the simulated runtime')
  })
})
