import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parse } from 'yaml'
import {
  findDuplicateFields,
  findUnknownFields,
  schemaFor,
  strictDecodingError,
  strictFieldErrors,
  undecodableMessage,
} from './index.js'

// Seed 004's claim, with its misspelt `request:` (indentation restored).
const seedClaim = `
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: my-pvc
spec:
  accessModes:
  - ReadWriteMany
  resources:
    request:
      storage: 5Gi
`

// Seed 000's StatefulSet with a container typo (volumeMount for volumeMounts).
const seedSet = `
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.9.1
        ports:
        - containerPort: 80
          name: web
        volumeMount:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
`

test('seed 004 claim with request: reports spec.resources.request', () => {
  const obj = parse(seedClaim)
  const pvc = schemaFor('v1', 'PersistentVolumeClaim')!
  assert.deepEqual(findUnknownFields(obj, pvc), ['spec.resources.request'])
  const messages = strictFieldErrors(JSON.stringify(obj), pvc)
  assert.deepEqual(messages, ['unknown field "spec.resources.request"'])
  assert.equal(
    undecodableMessage({ kind: 'PersistentVolumeClaim', version: 'v1' }, strictDecodingError(messages)),
    'PersistentVolumeClaim in version "v1" cannot be handled as a PersistentVolumeClaim: ' +
      'strict decoding error: unknown field "spec.resources.request"',
  )
})

test('a container typo in a StatefulSet is reported with its list index', () => {
  const obj = parse(seedSet)
  const sts = schemaFor('apps/v1', 'StatefulSet')!
  assert.deepEqual(findUnknownFields(obj, sts), ['spec.template.spec.containers[0].volumeMount'])
  obj.spec.volumeClaimTemplates[0].spec.resources.request = { storage: '1Gi' }
  obj.metadata.foo = 1
  assert.deepEqual(findUnknownFields(obj, sts), [
    'metadata.foo',
    'spec.template.spec.containers[0].volumeMount',
    'spec.volumeClaimTemplates[0].spec.resources.request',
  ])
})

test('a clean manifest has no strict errors; free-form fields are not checked', () => {
  const obj = parse(seedSet)
  delete obj.spec.template.spec.containers[0].volumeMount
  const sts = schemaFor('apps/v1', 'StatefulSet')!
  assert.deepEqual(findUnknownFields(obj, sts), [])
  assert.deepEqual(strictFieldErrors(JSON.stringify(obj), sts), [])
  const rev = { apiVersion: 'apps/v1', kind: 'ControllerRevision', revision: 1, data: { anything: { goes: 1 } } }
  const cr = schemaFor('apps/v1', 'ControllerRevision')!
  assert.deepEqual(findUnknownFields(rev, cr), [])
  assert.deepEqual(strictFieldErrors('{"revision":1,"data":{"a":1,"a":2}}', cr), [])
})

test('duplicate fields in raw JSON, with paths into maps and lists', () => {
  const text =
    '{"kind":"Pod","metadata":{"name":"a","labels":{"x":"1","x":"2"}},"spec":{"containers":[{"name":"c","name":"d"}]},"kind":"Pod"}'
  const pod = schemaFor('v1', 'Pod')!
  assert.deepEqual(findDuplicateFields(text, pod), ['metadata.labels.x', 'spec.containers[0].name', 'kind'])
  assert.deepEqual(findDuplicateFields(text), ['metadata.labels.x', 'spec.containers[0].name', 'kind'])
  assert.deepEqual(findDuplicateFields('{"a":{"b":1,"b":2}}'), ['a.b'])
  assert.deepEqual(findDuplicateFields('{"a":1}'), [])
})

test('strict errors come in document order, once each', () => {
  const pod = schemaFor('v1', 'Pod')!
  const text =
    '{"spec":{"bogus":1,"containers":[{"name":"a","nme":"b"},{"name":"c","nme":"d"}]},"spec2":{"x":1},"spec":{}}'
  assert.deepEqual(strictFieldErrors(text, pod), [
    'unknown field "spec.bogus"',
    'unknown field "spec.containers[0].nme"',
    'unknown field "spec.containers[1].nme"',
    'unknown field "spec2"',
    'duplicate field "spec"',
  ])
  assert.equal(
    strictDecodingError(strictFieldErrors(text, pod).slice(0, 2)),
    'strict decoding error: unknown field "spec.bogus", unknown field "spec.containers[0].nme"',
  )
})

test('at most 100 strict errors are kept', () => {
  const fields = Array.from({ length: 150 }, (_, i) => `"f${i}":1`).join(',')
  const pod = schemaFor('v1', 'Pod')!
  assert.equal(strictFieldErrors(`{${fields}}`, pod).length, 100)
  assert.equal(findUnknownFields(JSON.parse(`{${fields}}`), pod).length, 100)
})

test('malformed JSON yields what was found before the error', () => {
  assert.deepEqual(findDuplicateFields('{"a":1,"a":2,'), ['a'])
  assert.deepEqual(findDuplicateFields(''), [])
})

test('upstream field-validation case: unknown and duplicate fields of a Deployment, in order', () => {
  // The body of kube-apiserver's field validation integration test, and the message it expects.
  const body = `{
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "dupename", "name": "web", "labels": {"app": "nginx"}, "unknownMeta": "metaVal"},
    "spec": {
      "unknown1": "val1", "unknownDupe": "valDupe", "unknownDupe": "valDupe2",
      "paused": true, "paused": false,
      "selector": {"matchLabels": {"app": "nginx"}},
      "template": {"metadata": {"labels": {"app": "nginx"}}, "spec": {"containers": [{
        "name": "nginx", "image": "nginx:latest", "unknownNested": "val1",
        "imagePullPolicy": "Always", "imagePullPolicy": "Never"}]}}}}`
  assert.equal(
    strictDecodingError(strictFieldErrors(body, schemaFor('apps/v1', 'Deployment')!)),
    'strict decoding error: duplicate field "metadata.name", unknown field "metadata.unknownMeta", ' +
      'unknown field "spec.unknown1", unknown field "spec.unknownDupe", duplicate field "spec.paused", ' +
      'unknown field "spec.template.spec.containers[0].unknownNested", ' +
      'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
  )
})
