import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer, type Server } from 'node:net'
import { PassThrough, Readable } from 'node:stream'
import { after, before, test } from 'node:test'
import { WebSocket } from 'ws'
import { badRequest } from '../../machinery/status-error.js'
import { agentExecProtocol, agentPortForwardProtocol } from '../../machinery/streaming/agent-protocol.js'
import { decodeChannelMessage, encodeChannelMessage, encodeCloseChannel } from '../../machinery/streaming/channel.js'
import type { StreamingBackend } from './backend.js'
import { type StandaloneStreamingServer, startAgentStreamingServer } from './server.js'

const resizes: unknown[] = []
let echo: Server
let echoPort: number

/** A backend whose "containers" are a few scripted behaviours. */
const backend: StreamingBackend = {
  async exec(req, streams) {
    streams.onResize(s => resizes.push(s))
    if (req.container === 'nope') throw new Error(`container "nope" not found in pod "${req.pod}"`)
    if (req.command[0] === 'cat') {
      streams.stdin!.pipe(streams.stdout!)
      await once(streams.stdin!, 'end')
      return 0
    }
    streams.stderr?.write('oops\n')
    return Number(req.command[1] ?? 0)
  },
  async attach() {
    return undefined
  },
  async logs(req) {
    if (req.container === 'waiting') throw badRequest('container "waiting" in pod "p" is waiting to start')
    return Readable.from([`line 1 tail=${req.tailLines}\n`, 'line 2\n'])
  },
  async portForward(req) {
    if (req.port === 1) throw new Error('connection refused')
    if (req.port === 2) await new Promise(r => setTimeout(r, 100))
    const { connect } = await import('node:net')
    const sock = connect({ port: echoPort, host: '127.0.0.1', allowHalfOpen: true })
    await once(sock, 'connect')
    return sock
  },
}

let server: StandaloneStreamingServer
const token = 'agent-secret'
const headers = { Authorization: `Bearer ${token}` }

before(async () => {
  echo = createServer({ allowHalfOpen: true }, s => s.pipe(s))
  echo.listen(0, '127.0.0.1')
  await once(echo, 'listening')
  echoPort = (echo.address() as { port: number }).port
  server = await startAgentStreamingServer({ backend, token, listen: { host: '127.0.0.1', port: 0 } })
})
after(async () => {
  await server.close()
  echo.close()
})

/** Runs a v5 session; returns what arrived per channel. */
async function session(path: string, send: Buffer[] = []): Promise<Record<number, string>> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}${path}`, [agentExecProtocol], { headers })
  const out: Record<number, string> = {}
  ws.on('message', (m: Buffer) => {
    const msg = decodeChannelMessage(m)
    if (msg) out[msg.channel] = (out[msg.channel] ?? '') + msg.data.toString()
  })
  await once(ws, 'open')
  for (const b of send) ws.send(b)
  await once(ws, 'close')
  return out
}

test('exec pipes stdin to stdout, then sends Success on channel 3', async () => {
  const out = await session('/exec/ns/p/c?command=cat&stdin=true&stdout=true&tty=true', [
    encodeChannelMessage(4, '{"Width":100,"Height":30}'),
    encodeChannelMessage(0, 'hello\n'),
    encodeCloseChannel(0),
  ])
  assert.equal(out[1], 'hello\n')
  assert.deepEqual(JSON.parse(out[3]!), { metadata: {}, status: 'Success' })
  assert.deepEqual(resizes, [{ width: 100, height: 30 }])
})

test('a non-zero exit is a NonZeroExitCode status after the output', async () => {
  const out = await session('/exec/ns/p/c?command=exit&command=3&stdout=true&stderr=true')
  assert.equal(out[2], 'oops\n')
  assert.equal(JSON.parse(out[3]!).details.causes[0].message, '3')
})

test('a backend error is an InternalError status', async () => {
  const out = await session('/exec/ns/p/nope?command=ls&stdout=true')
  assert.equal(JSON.parse(out[3]!).message, 'container "nope" not found in pod "p"')
})

test('logs stream as text/plain; errors are Status JSON with their code', async () => {
  const res = await fetch(`${server.url}/containerLogs/ns/p/c?tailLines=5`, { headers })
  assert.equal(res.status, 200)
  assert.equal(await res.text(), 'line 1 tail=5\nline 2\n')
  const bad = await fetch(`${server.url}/containerLogs/ns/p/waiting`, { headers })
  assert.equal(bad.status, 400)
  assert.equal((await bad.json()).message, 'container "waiting" in pod "p" is waiting to start')
})

test('requests without the token are refused', async () => {
  const res = await fetch(`${server.url}/containerLogs/ns/p/c`)
  assert.equal(res.status, 401)
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/exec/ns/p/c?command=ls`, [agentExecProtocol])
  const [, resp] = await once(ws, 'unexpected-response')
  assert.equal(resp.statusCode, 401)
})

for (const [port, what] of [
  [80, ''],
  [2, ', even when the client writes before the dial completes'],
] as const)
  test(`port-forward copies bytes both ways and half-closes with an empty message${what}`, {
    timeout: 5000,
  }, async () => {
    const ws = new WebSocket(
      `${server.url.replace('http', 'ws')}/portForward/ns/p?port=${port}`,
      [agentPortForwardProtocol],
      {
        headers,
      },
    )
    const got = new PassThrough()
    ws.on('message', (m: Buffer, binary: boolean) => (binary && m.length ? got.write(m) : got.end()))
    await once(ws, 'open')
    ws.send(Buffer.from('ping'))
    ws.send(Buffer.alloc(0))
    await once(ws, 'close')
    assert.equal(got.read()?.toString(), 'ping')
  })

test('a failed dial comes back as a text message and close 1011', async () => {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/portForward/ns/p?port=1`, [agentPortForwardProtocol], {
    headers,
  })
  const texts: string[] = []
  ws.on('message', (m: Buffer, binary: boolean) => binary || texts.push(m.toString()))
  const [code, reason] = await once(ws, 'close')
  assert.equal(code, 1011)
  assert.equal(String(reason), 'connection refused')
  assert.deepEqual(texts, ['connection refused'])
})
