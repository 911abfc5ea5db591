/**
 * API tests for decodeProtobufObject on hand-built envelopes: errors, the typed-client kinds kubectl
 * does not send as protobuf (Scale, Eviction, DeleteOptions), ObjectMeta in full, and a pod template
 * that reaches the parts of the tables the kubectl fixtures do not (volumes, probes, env, security).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { isStatusError, reasonOf } from '../../../machinery/status-error.js'
import { decodeProtobufObject, PROTOBUF_MAGIC } from './index.js'
import { WireWriter } from './wire-writer.js'

/** magic + runtime.Unknown{typeMeta, raw}. */
function envelope(apiVersion: string, kind: string, raw: (w: WireWriter) => void, contentEncoding = ''): Uint8Array {
  const w = new WireWriter()
    .message(1, t => t.string(1, apiVersion).string(2, kind))
    .message(2, raw)
    .string(3, contentEncoding)
    .string(4, '')
  return Uint8Array.from([...PROTOBUF_MAGIC, ...w.finish()])
}

/** What gogo writes for ObjectMeta{Name: name}: every non-pointer field, zero or not. */
const meta = (name: string) => (m: WireWriter) =>
  m
    .string(1, name)
    .string(2, '')
    .string(3, '')
    .string(4, '')
    .string(5, '')
    .string(6, '')
    .varint(7, 0)
    .message(8, () => {})

function statusOf(fn: () => unknown) {
  try {
    fn()
  } catch (e) {
    assert.ok(isStatusError(e), `expected a StatusError, got ${e}`)
    return { code: e.code, reason: reasonOf(e), message: e.message }
  }
  assert.fail('expected an error')
}

describe('errors', () => {
  test('a body without the k8s magic is a 400 BadRequest', () => {
    const s = statusOf(() => decodeProtobufObject(new TextEncoder().encode('{"kind":"ConfigMap"}')))
    assert.equal(s.code, 400)
    assert.equal(s.reason, 'BadRequest')
    assert.match(s.message, /Kubernetes protobuf prefix/)
  })

  test('a truncated body is a 400', () => {
    const body = envelope('v1', 'ConfigMap', w => w.message(1, meta('c')))
    const s = statusOf(() => decodeProtobufObject(body.subarray(0, body.length - 7)))
    assert.equal(s.code, 400)
    assert.match(s.message, /^unable to decode the protobuf body: /)
  })

  test('a kind without a table is a 415 that names the kind', () => {
    const s = statusOf(() => decodeProtobufObject(envelope('example.com/v1', 'Widget', w => w.message(1, meta('w')))))
    assert.equal(s.code, 415)
    assert.equal(s.reason, 'UnsupportedMediaType')
    assert.match(s.message, /kind "Widget" \(apiVersion "example.com\/v1"\)/)
  })

  test('a known kind under an unknown version is a 415 too', () => {
    assert.equal(statusOf(() => decodeProtobufObject(envelope('apps/v1beta1', 'Deployment', () => {}))).code, 415)
  })

  test('a compressed payload (contentEncoding) is a 415', () => {
    const s = statusOf(() => decodeProtobufObject(envelope('v1', 'ConfigMap', () => {}, 'gzip')))
    assert.equal(s.code, 415)
    assert.match(s.message, /contentEncoding "gzip"/)
  })
})

describe('typed-client kinds', () => {
  test('DeleteOptions decodes under any apiVersion; pointer zeros are kept', () => {
    for (const apiVersion of ['v1', 'meta.k8s.io/v1', 'apps/v1']) {
      const got = decodeProtobufObject(
        envelope(apiVersion, 'DeleteOptions', w =>
          w
            .varint(1, 0)
            .message(2, p => p.string(1, 'uid-1').string(2, '42'))
            .varint(3, false)
            .string(4, 'Foreground')
            .string(5, 'All'),
        ),
      )
      assert.deepEqual(got.object, {
        kind: 'DeleteOptions',
        apiVersion,
        gracePeriodSeconds: 0,
        preconditions: { uid: 'uid-1', resourceVersion: '42' },
        orphanDependents: false,
        propagationPolicy: 'Foreground',
        dryRun: ['All'],
      })
    }
  })

  test('Scale: spec.replicas 0 is omitted as Go JSON omits it; status.replicas is kept', () => {
    const got = decodeProtobufObject(
      envelope('autoscaling/v1', 'Scale', w =>
        w
          .message(1, meta('web'))
          .message(2, s => s.varint(1, 0))
          .message(3, s => s.varint(1, 0).string(2, 'app=web')),
      ),
    )
    assert.deepEqual(got.object, {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: 'web' },
      spec: {},
      status: { replicas: 0, selector: 'app=web' },
    })
  })

  test('Eviction (policy/v1 and v1beta1) carries its DeleteOptions', () => {
    for (const apiVersion of ['policy/v1', 'policy/v1beta1']) {
      const got = decodeProtobufObject(
        envelope(apiVersion, 'Eviction', w => w.message(1, meta('web-0')).message(2, d => d.varint(1, 30))),
      )
      assert.deepEqual(got.object, {
        kind: 'Eviction',
        apiVersion,
        metadata: { name: 'web-0' },
        deleteOptions: { gracePeriodSeconds: 30 },
      })
    }
  })

  test('kind and apiVersion come first, as in the JSON kubectl sends', () => {
    const { object } = decodeProtobufObject(envelope('v1', 'ConfigMap', w => w.message(1, meta('c'))))
    assert.deepEqual(Object.keys(object), ['kind', 'apiVersion', 'metadata'])
  })
})

describe('ObjectMeta', () => {
  test('every field, by its generated.proto number', () => {
    const body = envelope('v1', 'ConfigMap', w =>
      w.message(1, m =>
        m
          .string(1, 'c')
          .string(2, 'c-')
          .string(3, 'default')
          .string(4, '/api/v1/namespaces/default/configmaps/c')
          .string(5, '5f0c')
          .string(6, '42')
          .varint(7, 3)
          .message(8, t => t.varint(1, 1700000000).varint(2, 0))
          .message(9, t => t.varint(1, 1700000060))
          .varint(10, 0)
          .mapEntry(11, 'app', 'web')
          .mapEntry(12, 'note', '')
          .message(13, o =>
            o
              .string(1, 'ReplicaSet')
              .string(3, 'rs')
              .string(4, 'u-rs')
              .string(5, 'apps/v1')
              .varint(6, true)
              .varint(7, false),
          )
          .string(14, 'example.com/guard')
          .message(17, f =>
            f
              .string(1, 'kubectl')
              .string(2, 'Update')
              .string(3, 'v1')
              .message(4, t => t.varint(1, 1700000000))
              .string(6, 'FieldsV1')
              .message(7, x => x.string(1, '{"f:data":{}}'))
              .string(8, ''),
          ),
      ),
    )
    assert.deepEqual(decodeProtobufObject(body).object.metadata, {
      name: 'c',
      generateName: 'c-',
      namespace: 'default',
      selfLink: '/api/v1/namespaces/default/configmaps/c',
      uid: '5f0c',
      resourceVersion: '42',
      generation: 3,
      creationTimestamp: '2023-11-14T22:13:20Z',
      deletionTimestamp: '2023-11-14T22:14:20Z',
      deletionGracePeriodSeconds: 0,
      labels: { app: 'web' },
      annotations: { note: '' },
      ownerReferences: [
        {
          kind: 'ReplicaSet',
          name: 'rs',
          uid: 'u-rs',
          apiVersion: 'apps/v1',
          controller: true,
          blockOwnerDeletion: false,
        },
      ],
      finalizers: ['example.com/guard'],
      managedFields: [
        {
          manager: 'kubectl',
          operation: 'Update',
          apiVersion: 'v1',
          time: '2023-11-14T22:13:20Z',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:data': {} },
        },
      ],
    })
  })
})
