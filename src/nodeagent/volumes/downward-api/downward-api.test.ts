/** downwardAPI volumes and the field helpers: pod fields, label maps, resources with divisors. */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { Pod } from '../../../api/pod.js'
import { contextFor, fakeHost, podWith, tempPodDir } from '../fake-host.js'
import { formatMap, podFieldValue, resourceFieldValue } from '../fieldpath.js'
import { downwardApiPayload, downwardApiPlugin } from './downward-api.js'

const pod: Pod = {
  metadata: { name: 'web-0', namespace: 'prod', uid: 'u1', labels: { b: '2', a: 'x"y' }, annotations: { note: 'hi' } },
  spec: {
    nodeName: 'node-1',
    serviceAccountName: 'sa',
    containers: [
      {
        name: 'app',
        resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi' } },
      },
      { name: 'bare' },
    ],
  },
}
const allocatable = { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi' }

describe('podFieldValue', () => {
  const cases: [string, string][] = [
    ['metadata.name', 'web-0'],
    ['metadata.namespace', 'prod'],
    ['metadata.uid', 'u1'],
    ['metadata.labels', 'a="x\\"y"\nb="2"'],
    ["metadata.labels['b']", '2'],
    ["metadata.annotations['note']", 'hi'],
    ["metadata.annotations['none']", ''],
    ['spec.nodeName', 'node-1'],
    ['spec.serviceAccountName', 'sa'],
    ['status.podIP', '10.0.0.5'],
    ['status.podIPs', '10.0.0.5,fd00::5'],
    ['status.hostIP', '192.168.1.2'],
  ]
  for (const [path, want] of cases)
    it(path, () =>
      assert.equal(podFieldValue(pod, path, { podIPs: ['10.0.0.5', 'fd00::5'], hostIPs: ['192.168.1.2'] }), want),
    )
  it('unsupported paths fail', () => assert.throws(() => podFieldValue(pod, 'spec.bogus'), /unsupported fieldPath/))
  it('formatMap of nothing is empty', () => assert.equal(formatMap(undefined), ''))
})

describe('resourceFieldValue', () => {
  const cases: [string, string, string | undefined, string][] = [
    ['app', 'limits.cpu', undefined, '1'],
    ['app', 'limits.cpu', '1m', '500'],
    ['app', 'requests.cpu', '100m', '3'],
    ['app', 'limits.memory', undefined, String(128 * 1024 * 1024)],
    ['app', 'limits.memory', '1Mi', '128'],
    ['app', 'requests.memory', '1Mi', '64'],
    ['bare', 'limits.cpu', undefined, '4'],
    ['bare', 'limits.memory', '1Gi', '8'],
    ['bare', 'requests.cpu', undefined, '0'],
  ]
  for (const [c, resource, divisor, want] of cases)
    it(`${c} ${resource} / ${divisor ?? '1'} = ${want}`, () =>
      assert.equal(resourceFieldValue(pod, c, { resource, divisor }, allocatable), want))
  it('unknown resources fail', () =>
    assert.throws(() => resourceFieldValue(pod, 'app', { resource: 'limits.gpu' }, allocatable), {
      message: 'unsupported container resource : limits.gpu',
    }))
})

describe('downwardAPI plugin', () => {
  it('writes one file per item with modes', async () => {
    const { dir, cleanup } = await tempPodDir()
    try {
      const p = podWith([
        {
          name: 'info',
          downwardAPI: {
            items: [
              { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
              {
                path: 'cpu',
                resourceFieldRef: { containerName: 'app', resource: 'limits.cpu', divisor: '1m' },
                mode: 0o400,
              },
            ],
          },
        },
      ])
      const { hostPath } = await downwardApiPlugin.setUp(contextFor(p, 'info', dir, fakeHost()))
      assert.equal(await readFile(join(hostPath, 'labels'), 'utf8'), 'app="web"')
      assert.equal(await readFile(join(hostPath, 'cpu'), 'utf8'), '4000')
    } finally {
      await cleanup()
    }
  })
  it('collects every item error', () => {
    assert.throws(
      () =>
        downwardApiPayload(
          pod,
          [
            { path: 'a', fieldRef: { fieldPath: 'x' } },
            { path: 'b', fieldRef: { fieldPath: 'y' } },
          ],
          { allocatable },
        ),
      { message: '[unsupported fieldPath: x, unsupported fieldPath: y]' },
    )
  })
})
