import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  type ExecRequest,
  type LogRequest,
  logsPath,
  parseAgentPath,
  portForwardPath,
  streamPath,
} from './agent-protocol.js'

const exec: ExecRequest = {
  namespace: 'default',
  pod: 'web-0',
  container: 'nginx',
  command: ['sh', '-c', 'echo a&b'],
  stdin: true,
  stdout: true,
  stderr: false,
  tty: true,
}

test('exec and attach paths carry the command and flags, and parse back', () => {
  const path = streamPath('exec', exec)
  assert.equal(
    path,
    '/exec/default/web-0/nginx?command=sh&command=-c&command=echo+a%26b&stdin=true&stdout=true&tty=true',
  )
  assert.deepEqual(parseAgentPath(path), { kind: 'exec', request: exec })
  const { command: _, ...attach } = exec
  assert.deepEqual(parseAgentPath(streamPath('attach', attach)), { kind: 'attach', request: attach })
})

test('an exec without a command is refused', () => {
  assert.throws(() => parseAgentPath('/exec/ns/p/c?stdout=true'), /at least one command/)
})

test('logs paths are the kubelet containerLogs paths', () => {
  const r: LogRequest = {
    namespace: 'ns',
    pod: 'p',
    container: 'c',
    follow: true,
    previous: false,
    timestamps: true,
    tailLines: 10,
    sinceTime: '2025-01-01T00:00:00Z',
  }
  assert.equal(
    logsPath(r),
    '/containerLogs/ns/p/c?follow=true&timestamps=true&tailLines=10&sinceTime=2025-01-01T00%3A00%3A00Z',
  )
  assert.deepEqual(parseAgentPath(logsPath(r)), { kind: 'logs', request: r })
  assert.throws(() => parseAgentPath('/containerLogs/ns/p/c?tailLines=x'), /tailLines/)
})

test('port-forward paths name one port', () => {
  const r = { namespace: 'ns', pod: 'p', port: 8080 }
  assert.equal(portForwardPath(r), '/portForward/ns/p?port=8080')
  assert.deepEqual(parseAgentPath(portForwardPath(r)), { kind: 'portForward', request: r })
  assert.throws(() => parseAgentPath('/portForward/ns/p?port=0'), /invalid port/)
})

test('other paths are not agent streaming routes', () => {
  for (const p of ['/healthz', '/exec/ns/p', '/portForward/ns', '/pods']) assert.equal(parseAgentPath(p), undefined, p)
})
