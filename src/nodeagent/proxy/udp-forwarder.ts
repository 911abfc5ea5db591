/**
 * One UDP listener of the proxy: each client (address:port) gets a session, a socket connected
 * to the backend the Balancer picked; the backend's replies go back to the client from the
 * service address. Sessions end after an idle time (kube-proxy's --udp-timeout) or when their
 * backend leaves the Endpoints. Datagrams with no backend or from a refused peer are dropped.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram'
import type { Clock, Timer } from '../../machinery/clock.js'
import type { Backend } from './service-table.js'
import type { ForwarderOptions } from './tcp-forwarder.js'

interface Session {
  upstream: Socket
  backend: Backend
  lastUsed: number
  /** Datagrams that arrived before the upstream socket was connected. */
  pending?: Buffer[]
}

/** Options of a UDP forwarder. */
export interface UdpForwarderOptions extends Omit<ForwarderOptions, 'connectTimeoutMs'> {
  clock: Clock
  /** Idle time after which a session closes. Default 30 s. */
  idleMs?: number
}

/** A UDP listener forwarding to the balancer's backends. */
export class UdpForwarder {
  private readonly socket: Socket
  private readonly sessions = new Map<string, Session>()
  private sweeper: Timer | undefined
  private closed = false

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly opts: UdpForwarderOptions,
  ) {
    this.socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' })
    this.socket.on('message', (msg, rinfo) => this.receive(msg, rinfo))
    this.socket.on('error', err => opts.log.warn({ err, listener: `${host}:${port}` }, 'UDP listener error'))
  }

  /** Binds; rejects with the bind error. */
  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('error', reject)
      this.socket.bind({ address: this.host, port: this.port, exclusive: true }, () => {
        this.socket.off('error', reject)
        this.scheduleSweep()
        resolve()
      })
    })
  }

  /** Closes sessions whose backend is no longer among the balancer's (call after an update). */
  backendsChanged(): void {
    for (const [key, s] of this.sessions) if (!this.opts.balancer.has(s.backend)) this.endSession(key)
  }

  /** The bound port (differs from port when that was 0). */
  boundPort(): number {
    return this.socket.address().port
  }

  /** Live sessions (for tests). */
  sessionCount(): number {
    return this.sessions.size
  }

  /** Closes the listener and every session. */
  close(): Promise<void> {
    this.closed = true
    this.sweeper?.cancel()
    for (const key of [...this.sessions.keys()]) this.endSession(key)
    return new Promise(resolve => this.socket.close(() => resolve()))
  }

  private receive(msg: Buffer, rinfo: RemoteInfo): void {
    const key = `${rinfo.address}:${rinfo.port}`
    let session = this.sessions.get(key)
    if (!session) {
      if (!this.opts.allowPeer(rinfo.address)) return
      const backend = this.opts.balancer.order(rinfo.address)[0]
      if (!backend) return
      session = this.openSession(key, backend, rinfo)
    }
    session.lastUsed = this.opts.clock.now()
    if (session.pending) session.pending.push(msg)
    else session.upstream.send(msg)
  }

  private openSession(key: string, backend: Backend, client: RemoteInfo): Session {
    const upstream = createSocket({ type: backend.ip.includes(':') ? 'udp6' : 'udp4' })
    const session: Session = { upstream, backend, lastUsed: this.opts.clock.now(), pending: [] }
    upstream.connect(backend.port, backend.ip, () => {
      const queued = session.pending ?? []
      session.pending = undefined
      for (const m of queued) upstream.send(m)
    })
    upstream.on('message', reply => {
      session.lastUsed = this.opts.clock.now()
      if (!this.closed) this.socket.send(reply, client.port, client.address)
    })
    upstream.on('error', err => {
      this.opts.log.debug({ err, backend }, 'UDP backend error')
      this.endSession(key)
    })
    this.sessions.set(key, session)
    return session
  }

  private endSession(key: string): void {
    const s = this.sessions.get(key)
    if (!s) return
    this.sessions.delete(key)
    try {
      s.upstream.close()
    } catch {
      // already closed after an error
    }
  }

  private scheduleSweep(): void {
    const idle = this.opts.idleMs ?? 30_000
    this.sweeper = this.opts.clock.setTimer(
      () => {
        const now = this.opts.clock.now()
        for (const [key, s] of this.sessions) if (now - s.lastUsed >= idle) this.endSession(key)
        if (!this.closed) this.scheduleSweep()
      },
      Math.max(100, idle / 2),
    )
  }
}
