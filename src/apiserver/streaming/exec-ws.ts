/**
 * exec and attach for WebSocket clients (kubectl ≥1.30: `v5.channel.k8s.io`; `v4` accepted too).
 * The agent speaks v5, whose messages are a superset of v4's, so the relay forwards messages
 * verbatim in both directions; only close codes need care (1005/1006 cannot be sent).
 */
import type { WebSocket } from 'ws'
import type { AgentSession } from './agent-client.js'

const highWater = 1024 * 1024

/** A code that may go out in a close frame, for a code we received. */
function sendableCode(code: number): number {
  if (code === 1005) return 1000
  if (code === 1006 || code === 1015 || code < 1000 || code >= 5000) return 1011
  return code
}

/** Sends with backpressure: pauses `source` while `to` has too much queued. */
function forward(to: WebSocket, source: WebSocket, data: Buffer, isBinary: boolean): void {
  if (to.readyState !== to.OPEN) return
  to.send(data, { binary: isBinary }, () => {
    if (to.bufferedAmount < highWater) source.resume()
  })
  if (to.bufferedAmount >= highWater) source.pause()
}

/** Relays between the user's WebSocket and the agent's until either closes. */
export function relayWebSocketExec(client: WebSocket, { ws: agent, attach: attachAgent }: AgentSession): void {
  client.on('message', (data: Buffer, isBinary: boolean) => forward(agent, client, data, isBinary))
  client.on('close', () => {
    if (agent.readyState === agent.OPEN || agent.readyState === agent.CONNECTING) agent.close(1000)
  })
  client.on('error', () => agent.terminate())
  agent.on('error', () => client.terminate())
  attachAgent({
    message: (data, isBinary) => forward(client, agent, data, isBinary),
    close: (code, reason) => {
      if (client.readyState === client.OPEN) client.close(sendableCode(code), reason)
    },
  })
}
