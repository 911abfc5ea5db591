import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  Channel,
  ChannelProtocol,
  decodeChannelMessage,
  encodeChannelMessage,
  encodeCloseChannel,
  negotiateProtocol,
  parseProtocolList,
} from './channel.js'
import { encodeTerminalSize, JsonLineSplitter, parseTerminalSize } from './terminal-size.js'

test('a channel message is the channel byte then the data (v4 and v5 alike)', () => {
  const m = encodeChannelMessage(Channel.stdin, 'hello stdin\n')
  assert.equal(m.toString('hex'), '0068656c6c6f20737464696e0a')
  assert.deepEqual(decodeChannelMessage(m), { channel: 0, data: Buffer.from('hello stdin\n') })
  assert.deepEqual([...encodeChannelMessage(Channel.stdout)], [1])
  assert.equal(decodeChannelMessage(Buffer.alloc(0)), undefined)
})

test('v5 closes a channel with [255, channel]', () => {
  assert.deepEqual([...encodeCloseChannel(Channel.stdin)], [0xff, 0x00])
  assert.deepEqual(decodeChannelMessage(encodeCloseChannel(0)), { channel: 255, data: Buffer.from([0]) })
})

test('the server picks its preferred subprotocol among those offered', () => {
  const prefs = [ChannelProtocol.v5, ChannelProtocol.v4]
  assert.equal(negotiateProtocol(parseProtocolList('v4.channel.k8s.io, v5.channel.k8s.io'), prefs), 'v5.channel.k8s.io')
  assert.equal(
    negotiateProtocol(parseProtocolList(['v4.channel.k8s.io', 'channel.k8s.io']), prefs),
    'v4.channel.k8s.io',
  )
  assert.equal(negotiateProtocol(parseProtocolList('base64.channel.k8s.io'), prefs), undefined)
  assert.deepEqual(parseProtocolList(undefined), [])
})

test('resize messages use Go field names', () => {
  assert.equal(encodeTerminalSize({ width: 120, height: 40 }), '{"Width":120,"Height":40}')
  assert.deepEqual(parseTerminalSize('{"Width":120,"Height":40}'), { width: 120, height: 40 })
  assert.equal(parseTerminalSize('{"width":1}'), undefined)
  assert.equal(parseTerminalSize('nope'), undefined)
})

test('the SPDY resize stream is split into JSON values at newlines', () => {
  const s = new JsonLineSplitter()
  assert.deepEqual(s.push('{"Width":80,"Height":24}\n{"Wid'), ['{"Width":80,"Height":24}'])
  assert.deepEqual(s.push('th":81,"Height":25}\n'), ['{"Width":81,"Height":25}'])
  assert.deepEqual(s.push('{"Width":1,"Height":2}'), [])
  assert.deepEqual(s.flush(), ['{"Width":1,"Height":2}'])
})
