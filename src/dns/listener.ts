/**
 * UDP and TCP listeners for DNS: one UDP socket and one TCP server per address, on the same port
 * (port 0 picks one free for both). TCP carries length-prefixed messages (RFC 1035 4.2.2), several
 * per connection, answered as they complete (RFC 7766 allows any order); idle connections close.
 * Knows nothing of DNS content: bytes in, bytes out through the given handler.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram'
import { createServer, type Server, type Socket } from 'node:net'
import type { Logger } from '../client/log.js'
import { ipFamily } from './ip.js'

/** A host and port to listen on or send to. */
export interface HostPort {
  host: string
  port: number
}

/** Answers one raw query (undefined: send nothing). */
export type WireHandler = (raw: Buffer, transport: 'udp' | 'tcp') => Promise<Buffer | undefined>

/** Bound listeners. */
export interface Listener {
  /** The addresses actually bound (ports resolved). */
  addresses: HostPort[]
  /** Stops accepting, closes every socket; resolves when all are closed. */
  close(): Promise<void>
}

/** Options of listenDns. */
export interface ListenOptions {
  log: Logger
  /** Idle time after which a TCP connection is closed. Default 10 s. */
  tcpIdleMs?: number
}

interface Bound {
  udp: UdpSocket
  tcp: Server
  address: HostPort
}

/** Binds every address for UDP and TCP and serves handle on them. */
export async function listenDns(listen: HostPort[], handle: WireHandler, opts: ListenOptions): Promise<Listener> {
  const bound: Bound[] = []
  const connections = new Set<Socket>()
  try {
    for (const address of listen) bound.push(await bindPair(address, handle, connections, opts))
  } catch (err) {
    await Promise.all(bound.map(b => closeBound(b)))
    throw err
  }
  return {
    addresses: bound.map(b => b.address),
    async close() {
      for (const c of connections) c.destroy()
      await Promise.all(bound.map(b => closeBound(b)))
    },
  }
}

/** Binds UDP first (port 0 → a free port), then TCP on that port; retries when TCP's is taken. */
async function bindPair(
  address: HostPort,
  handle: WireHandler,
  connections: Set<Socket>,
  opts: ListenOptions,
): Promise<Bound> {
  for (let attempt = 0; ; attempt++) {
    const udp = await bindUdp(address, handle, opts.log)
    const port = udp.address().port
    try {
      const tcp = await bindTcp({ host: address.host, port }, handle, connections, opts)
      return { udp, tcp, address: { host: address.host, port } }
    } catch (err) {
      udp.close()
      if (address.port !== 0 || attempt >= 10 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
    }
  }
}

function bindUdp(address: HostPort, handle: WireHandler, log: Logger): Promise<UdpSocket> {
  const udp = createSocket(ipFamily(address.host) === 6 ? 'udp6' : 'udp4')
  udp.on('message', (msg, rinfo) => {
    handle(msg, 'udp').then(
      out => out && udp.send(out, rinfo.port, rinfo.address),
      err => log.error({ err }, 'DNS UDP query failed'),
    )
  })
  return new Promise((resolve, reject) => {
    udp.once('error', reject)
    udp.bind({ address: address.host, port: address.port, exclusive: true }, () => {
      udp.off('error', reject)
      udp.on('error', err => log.warn({ err }, 'DNS UDP socket error'))
      resolve(udp)
    })
  })
}

function bindTcp(
  address: HostPort,
  handle: WireHandler,
  connections: Set<Socket>,
  opts: ListenOptions,
): Promise<Server> {
  const server = createServer(socket => serveConnection(socket, handle, connections, opts))
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen({ host: address.host, port: address.port, exclusive: true }, () => {
      server.off('error', reject)
      resolve(server)
    })
  })
}

/** Reads length-prefixed queries from one TCP connection and writes each answer back framed. */
function serveConnection(socket: Socket, handle: WireHandler, connections: Set<Socket>, opts: ListenOptions): void {
  connections.add(socket)
  socket.setNoDelay(true)
  socket.setTimeout(opts.tcpIdleMs ?? 10_000, () => socket.destroy())
  socket.on('close', () => connections.delete(socket))
  socket.on('error', () => socket.destroy())
  let buffered = Buffer.alloc(0)
  socket.on('data', chunk => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk
    while (buffered.length >= 2) {
      const len = buffered.readUInt16BE(0)
      if (buffered.length < 2 + len) break
      const msg = buffered.subarray(2, 2 + len)
      buffered = buffered.subarray(2 + len)
      handle(msg, 'tcp').then(
        out => {
          if (!out || socket.destroyed) return
          const frame = Buffer.allocUnsafe(2 + out.length)
          frame.writeUInt16BE(out.length, 0)
          out.copy(frame, 2)
          socket.write(frame)
        },
        err => opts.log.error({ err }, 'DNS TCP query failed'),
      )
    }
  })
}

function closeBound(b: Bound): Promise<void> {
  return new Promise(resolve => {
    let pending = 2
    const done = () => --pending === 0 && resolve()
    try {
      b.udp.close(done)
    } catch {
      done()
    }
    b.tcp.close(() => done())
  })
}
