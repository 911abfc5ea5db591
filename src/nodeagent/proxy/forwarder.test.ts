import assert from 'node:assert/strict'
import { createSocket } from 'node:dgram'
import { once } from 'node:events'
import { connect, createServer, type Server } from 'node:net'
import { after, test } from 'node:test'
import { realClock } from '../../machinery/clock.js'
import { Balancer } from './balancer.js'
import { TcpForwarder } from './tcp-forwarder.js'
import { UdpForwarder } from './udp-forwarder.js'

const log = { debug() {}, warn() {} }
const servers: Server[] = []
after(() => {
  for (const s of servers) s.close()
})

/** A TCP server on loopback answering "<name>:<request>" once the client half-closes. */
async function backend(name: string): Promise<number> {
  const server = createServer({ allowHalfOpen: true }, s => {
    const chunks: Buffer[] = []
    s.on('data', c => chunks.push(c))
    s.on('end', () => s.end(`${name}:${Buffer.concat(chunks)}`))
  })
  servers.push(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return (server.address() as { port: number }).port
}

/** Sends text, half-closes, resolves with the reply (or "reset"/"closed"). */
function request(port: number, text: string): Promise<string> {
  return new Promise(resolve => {
    const s = connect({ port, host: '127.0.0.1', allowHalfOpen: true })
    const chunks: Buffer[] = []
    s.on('data', c => chunks.push(c))
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNRESET' ? 'reset' : String(e.code)))
    s.on('end', () => {
      resolve(chunks.length ? String(Buffer.concat(chunks)) : 'closed')
      s.end()
    })
    s.end(text)
  })
}

async function unusedPort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1')
  await once(s, 'listening')
  const port = (s.address() as { port: number }).port
  await new Promise(r => s.close(r))
  return port
}

test('TCP: round robin over backends, half-close passes through', async () => {
  const balancer = new Balancer(() => Date.now())
  balancer.update([
    { ip: '127.0.0.1', port: await backend('a') },
    { ip: '127.0.0.1', port: await backend('b') },
  ])
  const fwd = new TcpForwarder('127.0.0.1', 0, { balancer, allowPeer: () => true, log })
  await fwd.listen()
  try {
    const replies = [await request(fwd.boundPort(), 'x'), await request(fwd.boundPort(), 'y')]
    assert.deepEqual(replies, ['a:x', 'b:y'])
  } finally {
    await fwd.close()
  }
})

test('TCP: a dead backend is skipped for the next one', async () => {
  const balancer = new Balancer(() => Date.now())
  balancer.update([
    { ip: '127.0.0.1', port: await unusedPort() },
    { ip: '127.0.0.1', port: await backend('live') },
  ])
  const fwd = new TcpForwarder('127.0.0.1', 0, { balancer, allowPeer: () => true, log })
  await fwd.listen()
  try {
    assert.equal(await request(fwd.boundPort(), 'q'), 'live:q')
  } finally {
    await fwd.close()
  }
})

test('TCP: no backend or a refused peer gets a reset', async () => {
  const balancer = new Balancer(() => Date.now())
  const fwd = new TcpForwarder('127.0.0.1', 0, { balancer, allowPeer: () => true, log })
  await fwd.listen()
  try {
    assert.equal(await request(fwd.boundPort(), 'q'), 'reset')
  } finally {
    await fwd.close()
  }
  balancer.update([{ ip: '127.0.0.1', port: await backend('c') }])
  const refusing = new TcpForwarder('127.0.0.1', 0, { balancer, allowPeer: ip => ip !== '127.0.0.1', log })
  await refusing.listen()
  try {
    assert.equal(await request(refusing.boundPort(), 'q'), 'reset')
  } finally {
    await refusing.close()
  }
})

test('TCP: closing the forwarder cuts open connections and frees the port', async () => {
  const hold = createServer(() => {})
  servers.push(hold)
  hold.listen(0, '127.0.0.1')
  await once(hold, 'listening')
  const balancer = new Balancer(() => Date.now())
  balancer.update([{ ip: '127.0.0.1', port: (hold.address() as { port: number }).port }])
  const fwd = new TcpForwarder('127.0.0.1', 0, { balancer, allowPeer: () => true, log })
  await fwd.listen()
  const c = connect(fwd.boundPort(), '127.0.0.1')
  c.on('error', () => {})
  await once(c, 'connect')
  while (fwd.connections() === 0) await new Promise(r => setTimeout(r, 5))
  await fwd.close()
  await once(c, 'close')
  const again = new TcpForwarder('127.0.0.1', fwd.boundPort(), { balancer, allowPeer: () => true, log })
  await again.listen()
  await again.close()
})

test('UDP: datagrams reach a backend and replies come back; sessions end when the backend leaves', async () => {
  const echo = createSocket('udp4')
  echo.on('message', (m, r) => echo.send(`echo:${m}`, r.port, r.address))
  echo.bind(0, '127.0.0.1')
  await once(echo, 'listening')
  const balancer = new Balancer(() => Date.now())
  balancer.update([{ ip: '127.0.0.1', port: echo.address().port }])
  const fwd = new UdpForwarder('127.0.0.1', 0, { balancer, allowPeer: () => true, log, clock: realClock })
  await fwd.listen()
  const client = createSocket('udp4')
  try {
    client.send('hi', fwd.boundPort(), '127.0.0.1')
    const [reply, rinfo] = await once(client, 'message')
    assert.equal(String(reply), 'echo:hi')
    assert.equal(rinfo.port, fwd.boundPort(), 'the reply comes from the service address')
    assert.equal(fwd.sessionCount(), 1)
    balancer.update([])
    fwd.backendsChanged()
    assert.equal(fwd.sessionCount(), 0)
  } finally {
    client.close()
    echo.close()
    await fwd.close()
  }
})
