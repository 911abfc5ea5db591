import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Pod } from '../../api/pod.js'
import { expectedStreams } from './exec-spdy.js'
import { logRequestFor } from './logs.js'

const pod: Pod = { metadata: { name: 'web-0', namespace: 'ns' }, spec: { containers: [{ name: 'nginx', image: 'x' }] } }

test('kubectl logs flags become the agent request', () => {
  const q = new URLSearchParams('follow=true&tailLines=10&timestamps=true&sinceSeconds=3600')
  assert.deepEqual(logRequestFor(pod, q), {
    namespace: 'ns',
    pod: 'web-0',
    container: 'nginx',
    follow: true,
    previous: false,
    timestamps: true,
    tailLines: 10,
    sinceSeconds: 3600,
  })
})

test('invalid PodLogOptions are 422 Invalid with upstream texts', () => {
  assert.throws(() => logRequestFor(pod, new URLSearchParams('tailLines=-1')), {
    message: 'PodLogOptions "web-0" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
  })
  assert.throws(() => logRequestFor(pod, new URLSearchParams('sinceSeconds=1&sinceTime=2025-01-01T00:00:00Z')), {
    message:
      'PodLogOptions "web-0" is invalid: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
  })
  assert.throws(() => logRequestFor(pod, new URLSearchParams('limitBytes=0')), /limitBytes: Invalid value: 0/)
  assert.throws(
    () => logRequestFor(pod, new URLSearchParams('tailLines=ten')),
    (e: { status: { code: number } }) => e.status.code === 400,
  )
  assert.throws(() => logRequestFor(pod, new URLSearchParams('container=sidecar')), {
    message: 'container sidecar is not valid for pod web-0',
  })
})

test('SPDY exec waits for exactly the streams the flags imply', () => {
  const f = { stdin: false, stdout: true, stderr: true, tty: false }
  assert.deepEqual([...expectedStreams(f)], ['error', 'stdout', 'stderr'])
  assert.deepEqual([...expectedStreams({ ...f, stdin: true, tty: true })], ['error', 'stdin', 'stdout', 'resize'])
})
