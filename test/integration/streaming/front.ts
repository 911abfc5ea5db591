/**
 * A test-only HTTPS front for the real API server: streaming requests go to the streaming
 * handler under test, everything else is passed through to the API server with its token. This is
 * what the lead's wiring will do inside server.ts; until then it lets kubectl drive the handler.
 */
import { createServer, request } from 'node:https'
import type { AddressInfo } from 'node:net'
import { generatePki } from '../../../src/apiserver/pki.js'
import type { ApiServer } from '../../../src/apiserver/server.js'
import type { StreamingHandler } from '../../../src/apiserver/streaming/index.js'

/** A running front: its URL and the CA that signed its certificate. */
export interface Front {
  url: string
  ca: string
  /** `<Upgrade header> <subresource>` of every upgrade the handler took, e.g. `websocket exec`. */
  upgrades: string[]
  close(): Promise<void>
}

/** Starts the front on 127.0.0.1 with a fresh certificate. */
export async function startFront(api: ApiServer, handler: StreamingHandler): Promise<Front> {
  const pki = await generatePki()
  const upstream = new URL(api.url)
  const server = createServer({ cert: pki.cert, key: pki.key }, async (req, res) => {
    if (await handler.handleRequest(req, res)) return
    const out = request(
      new URL(req.url ?? '/', upstream),
      {
        method: req.method,
        headers: { ...req.headers, host: upstream.host, authorization: `Bearer ${api.token}` },
        ca: api.ca,
      },
      r => {
        res.writeHead(r.statusCode ?? 502, r.headers)
        r.pipe(res)
      },
    )
    out.on('error', () => res.destroy())
    res.on('close', () => out.destroy())
    req.pipe(out)
  })
  const upgrades: string[] = []
  server.on('upgrade', (req, socket, head) => {
    const sub = /\/(exec|attach|portforward|proxy)\b/.exec(req.url ?? '')?.[1]
    if (handler.handleUpgrade(req, socket, head)) upgrades.push(`${req.headers.upgrade?.toLowerCase()} ${sub}`)
    else socket.destroy()
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ca: pki.ca,
    upgrades,
    async close() {
      handler.close()
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
    },
  }
}
