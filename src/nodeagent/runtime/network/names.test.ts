import assert from 'node:assert/strict'
import { test } from 'node:test'
import { bridgeName, maxInterfaceName, netnsName, netnsPrefixOf, nodeTag, vethName } from './names.js'

test('short node names are kept, long or odd ones hashed to 10 characters', () => {
  assert.equal(nodeTag('node-1'), 'node-1')
  assert.equal(nodeTag('abcdefghij'), 'abcdefghij')
  for (const name of ['abcdefghijk', 'worker.example.com', 'Node_1', '']) {
    const tag = nodeTag(name)
    assert.match(tag, /^h[0-9a-f]{9}$/, name)
  }
  assert.notEqual(nodeTag('worker-00001'), nodeTag('worker-00002'))
})

test('interface names fit IFNAMSIZ whatever the node and sandbox', () => {
  const nodes = ['node-1', 'n', 'a-very-long-node-name.with.dots.example.com']
  const ids = ['0123456789abcdef0123456789abcdef', 'x', '7c9e6679-7425-40de-944b-e07fc1f90ae7']
  for (const node of nodes) {
    assert.ok(bridgeName(node).length <= maxInterfaceName, bridgeName(node))
    assert.ok(bridgeName(node).startsWith('psbr-'))
    for (const id of ids) {
      const veth = vethName(node, id)
      assert.equal(veth.length, maxInterfaceName, veth)
      assert.match(veth, /^psv[0-9a-f]{12}$/)
    }
  }
  assert.notEqual(vethName('node-1', 'a'), vethName('node-2', 'a'))
  assert.notEqual(vethName('node-1', 'a'), vethName('node-1', 'b'))
})

test('netns names carry the node prefix and no other node matches it', () => {
  const ns = netnsName('node-1', '7c9e6679-7425-40de-944b-e07fc1f90ae7')
  assert.equal(ns, 'ps-node-1_7c9e66797425')
  assert.ok(ns.startsWith(netnsPrefixOf('node-1')))
  assert.ok(!ns.startsWith(netnsPrefixOf('node')), 'node "node" must not claim node-1 namespaces')
  assert.ok(!netnsName('node-10', 'abc').startsWith(netnsPrefixOf('node-1')))
})
