import assert from 'node:assert/strict'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { WebSocketServer } from 'ws'
import { openAgentTunnel } from './agent-client.js'

test('a port-forward tunnel sends no half-close for an empty write, only for end()', async () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  await once(wss, 'listening')
  const got: string[] = []
  const closed = new Promise<void>(resolve =>
    wss.on('connection', ws =>
      ws.on('message', (data: Buffer) => {
        got.push(data.length ? data.toString() : '<half-close>')
        if (!data.length) {
          ws.send(Buffer.from('reply'))
          ws.close(1000)
          resolve()
        }
      }),
    ),
  )
  try {
    const url = `http://127.0.0.1:${(wss.address() as AddressInfo).port}`
    const tunnel = await openAgentTunnel({ url, token: 't' }, { namespace: 'default', pod: 'p', port: 80 })
    // What Node's HTTP client does for a POST: head, body, then an empty chunk when the body ends.
    tunnel.write('POST / HTTP/1.1\r\n\r\n')
    tunnel.write('body')
    tunnel.write(Buffer.alloc(0))
    tunnel.end()
    let reply = ''
    tunnel.on('data', d => (reply += d))
    await closed
    await once(tunnel, 'end')
    assert.deepEqual(got, ['POST / HTTP/1.1\r\n\r\n', 'body', '<half-close>'])
    assert.equal(reply, 'reply')
  } finally {
    wss.close()
  }
})
