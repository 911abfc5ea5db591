/**
 * One TCP listener of the proxy: accepts on address:port and splices each connection to a backend
 * the Balancer picks, trying the next ones if connecting fails (kube-proxy userspace's retry).
 * No backend (or a refused peer): the connection is reset, as kube-proxy's REJECT rule does.
 * Half-closes pass through; when the rule goes away its open connections are cut.
 */
import { connect, createServer, type Server, type Socket } from 'node:net'
import type { Balancer } from './balancer.js'
import type { PeerFilter } from './peer-filter.js'
import type { Backend } from './service-table.js'

/** Logging the forwarders do (a pino logger fits). */
export interface ProxyLog {
  debug(obj: object, msg: string): void
  warn(obj: object, msg: string): void
}

/** Options of a forwarder. */
export interface ForwarderOptions {
  balancer: Balancer
  allowPeer: PeerFilter
  log: ProxyLog
  /** Time to establish a backend connection before trying the next. Default 3 s. */
  connectTimeoutMs?: number
}

/** A TCP listener forwarding to the balancer's backends. */
export class TcpForwarder {
  private readonly server: Server
  private readonly sockets = new Set<Socket>()
  private readonly clients = new Set<Socket>()

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly opts: ForwarderOptions,
  ) {
    this.server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, c => void this.accept(c))
  }

  /** Binds; rejects with the listen error (EADDRINUSE, EADDRNOTAVAIL). */
  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen({ host: this.host, port: this.port, exclusive: true }, () => {
        this.server.off('error', reject)
        resolve()
      })
    })
  }

  /** Stops listening and cuts every open connection. */
  close(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    return new Promise(resolve => this.server.close(() => resolve()))
  }

  /** The bound port (differs from port when that was 0). */
  boundPort(): number {
    const a = this.server.address()
    return a && typeof a === 'object' ? a.port : this.port
  }

  /** Open client connections (for tests and logs). */
  connections(): number {
    return this.clients.size
  }

  private async accept(client: Socket): Promise<void> {
    this.track(client)
    this.clients.add(client)
    client.once('close', () => this.clients.delete(client))
    client.on('error', () => client.destroy())
    const peer = client.remoteAddress ?? ''
    const order = this.opts.allowPeer(peer) ? this.opts.balancer.order(peer) : []
    for (const backend of order.slice(0, 3)) {
      if (client.destroyed) return
      const upstream = await this.dial(backend).catch(err => {
        this.opts.log.debug({ err, backend, listener: `${this.host}:${this.port}` }, 'Backend connection failed')
        return undefined
      })
      if (!upstream) continue
      if (client.destroyed) return void upstream.destroy()
      this.opts.balancer.used(peer, backend)
      this.splice(client, upstream)
      return
    }
    client.resetAndDestroy()
  }

  private dial(backend: Backend): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: backend.ip, port: backend.port, allowHalfOpen: true })
      s.setTimeout(this.opts.connectTimeoutMs ?? 3000, () => s.destroy(new Error('connect timeout')))
      s.once('error', reject)
      s.once('connect', () => {
        s.setTimeout(0)
        s.off('error', reject)
        resolve(s)
      })
    })
  }

  private splice(client: Socket, upstream: Socket): void {
    this.track(upstream)
    const cut = () => {
      client.destroy()
      upstream.destroy()
    }
    upstream.on('error', cut)
    client.on('error', cut)
    client.on('close', () => !upstream.writableEnded && upstream.destroy())
    upstream.on('close', () => !client.writableEnded && client.destroy())
    client.pipe(upstream)
    upstream.pipe(client)
    client.resume()
  }

  private track(s: Socket): void {
    this.sockets.add(s)
    s.once('close', () => this.sockets.delete(s))
  }
}
