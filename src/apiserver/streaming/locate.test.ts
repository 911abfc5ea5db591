import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Node } from '../../api/core.js'
import type { Pod } from '../../api/pod.js'
import { agentFromNode, containerFor, nodeNameOf } from './locate.js'

const pod = (containers: string[], init: string[] = [], nodeName?: string): Pod => ({
  metadata: { name: 'web-0', namespace: 'default' },
  spec: {
    nodeName,
    containers: containers.map(name => ({ name, image: 'x' })),
    initContainers: init.map(name => ({ name, image: 'x' })),
  },
})

test('the container defaults to the only one, and must exist when named (kube-apiserver texts)', () => {
  assert.equal(containerFor(pod(['nginx']), null), 'nginx')
  assert.equal(containerFor(pod(['a', 'b'], ['init']), 'init'), 'init')
  assert.throws(() => containerFor(pod(['nginx']), 'nope'), { message: 'container nope is not valid for pod web-0' })
  assert.throws(() => containerFor(pod(['a', 'b'], ['i']), ''), {
    message:
      'a container name must be specified for pod web-0, choose one of: [a b] or one of the init containers: [i]',
  })
  assert.throws(
    () => containerFor(pod(['a', 'b']), undefined),
    (e: { status: { code: number } }) => e.status.code === 400,
  )
})

test('an unscheduled pod has no host', () => {
  assert.equal(nodeNameOf(pod(['a'], [], 'node-1')), 'node-1')
  assert.throws(() => nodeNameOf(pod(['a'])), { message: 'pod web-0 does not have a host assigned' })
})

test('the agent is the node InternalIP and its kubelet endpoint port', () => {
  const node: Node = {
    metadata: { name: 'n' },
    status: {
      addresses: [
        { type: 'Hostname', address: 'n' },
        { type: 'InternalIP', address: '10.0.0.5' },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10251 } },
    },
  }
  assert.deepEqual(agentFromNode(node, { token: 't' }), { url: 'https://10.0.0.5:10251', token: 't' })
  const v6: Node = { metadata: { name: 'n' }, status: { addresses: [{ type: 'InternalIP', address: 'fd00::2' }] } }
  assert.deepEqual(agentFromNode(v6, { token: 't', scheme: 'http', ca: 'PEM' }), {
    url: 'http://[fd00::2]:10250',
    token: 't',
    ca: 'PEM',
  })
  assert.throws(() => agentFromNode({ metadata: { name: 'n' } }, { token: 't' }), /no preferred addresses found/)
})
