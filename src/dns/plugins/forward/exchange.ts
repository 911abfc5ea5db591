/**
 * Sends one raw DNS message to an upstream and waits for its answer: over UDP through one shared
 * socket per address family (a fresh random id per exchange, answers matched by upstream address,
 * port and id), or over TCP on a connection of its own. Every exchange has a deadline on the
 * injected clock. Knows nothing of DNS content beyond the id in the first two bytes.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram'
import { connect } from 'node:net'
import type { Clock } from '../../../client/clock.js'
import { canonicalIP, ipFamily } from '../../ip.js'
import type { Upstream } from './resolv-conf.js'

/** Raised when an upstream does not answer in time. */
export class ExchangeTimeout extends Error {
  constructor(upstream: Upstream) {
    super(`no answer from ${upstream.host}:${upstream.port} in time`)
    this.name = 'ExchangeTimeout'
  }
}

interface Pending {
  resolve(msg: Buffer): void
}

/** UDP exchanges over shared sockets. */
export class UdpExchanger {
  private readonly sockets = new Map<4 | 6, UdpSocket>()
  private readonly pending = new Map<string, Pending>()

  constructor(private readonly clock: Clock) {}

  /** Sends query (its id is replaced) and resolves with the answer (the original id restored). */
  exchange(upstream: Upstream, query: Buffer, timeoutMs: number): Promise<Buffer> {
    const socket = this.socketFor(ipFamily(upstream.host) === 6 ? 6 : 4)
    const out = Buffer.from(query)
    const originalId = query.readUInt16BE(0)
    let key: string
    let id: number
    do {
      id = Math.floor(Math.random() * 0x10000)
      key = `${upstream.host}|${upstream.port}|${id}`
    } while (this.pending.has(key))
    out.writeUInt16BE(id, 0)
    return new Promise<Buffer>((resolve, reject) => {
      const timer = this.clock.setTimer(() => {
        this.pending.delete(key)
        reject(new ExchangeTimeout(upstream))
      }, timeoutMs)
      this.pending.set(key, {
        resolve: msg => {
          timer.cancel()
          this.pending.delete(key)
          const answer = Buffer.from(msg)
          answer.writeUInt16BE(originalId, 0)
          resolve(answer)
        },
      })
      socket.send(out, upstream.port, upstream.host, err => {
        if (!err) return
        timer.cancel()
        this.pending.delete(key)
        reject(err)
      })
    })
  }

  /** Closes the sockets; exchanges still waiting time out. */
  close(): void {
    for (const s of this.sockets.values()) s.close()
    this.sockets.clear()
  }

  private socketFor(family: 4 | 6): UdpSocket {
    let socket = this.sockets.get(family)
    if (socket) return socket
    socket = createSocket(family === 6 ? 'udp6' : 'udp4')
    socket.on('message', (msg, rinfo) => {
      if (msg.length < 12) return
      const host = canonicalIP(rinfo.address) ?? rinfo.address
      this.pending.get(`${host}|${rinfo.port}|${msg.readUInt16BE(0)}`)?.resolve(msg)
    })
    // Errors like ICMP unreachable surface per send; a socket-level error leaves waiting exchanges to time out.
    socket.on('error', () => {})
    socket.unref()
    this.sockets.set(family, socket)
    return socket
  }
}

/** One exchange over a new TCP connection (used when a UDP answer came back truncated). */
export function exchangeTcp(upstream: Upstream, query: Buffer, timeoutMs: number, clock: Clock): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: upstream.host, port: upstream.port })
    let buffered = Buffer.alloc(0)
    let done = false
    const finish = (err: Error | undefined, msg?: Buffer) => {
      if (done) return
      done = true
      timer.cancel()
      socket.destroy()
      if (err) reject(err)
      else resolve(msg!)
    }
    const timer = clock.setTimer(() => finish(new ExchangeTimeout(upstream)), timeoutMs)
    socket.on('connect', () => {
      const frame = Buffer.allocUnsafe(2 + query.length)
      frame.writeUInt16BE(query.length, 0)
      query.copy(frame, 2)
      socket.write(frame)
    })
    socket.on('data', chunk => {
      buffered = Buffer.concat([buffered, chunk])
      if (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0))
        finish(undefined, buffered.subarray(2, 2 + buffered.readUInt16BE(0)))
    })
    socket.on('error', err => finish(err))
    socket.on('close', () => finish(new Error(`connection to ${upstream.host}:${upstream.port} closed`)))
  })
}
