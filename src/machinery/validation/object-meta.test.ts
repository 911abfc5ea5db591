/** Tests for object-meta.ts: each case renders the field errors as the apiserver would print them. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { ObjectMeta } from '../../api/meta.js'
import { formatFieldErrors, Path } from '../field-error.js'
import { nameIsDNSLabel } from './names.js'
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js'

const render = (errs: ReturnType<typeof validateObjectMeta>) => (errs.length ? formatFieldErrors(errs) : '')
const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
const labelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
const nameMsg =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"

const ok: ObjectMeta = { name: 'web', namespace: 'default' }
const owner = (name: string, controller?: boolean) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  name,
  uid: `u-${name}`,
  controller,
})

describe('validateObjectMeta', () => {
  const table: {
    name: string
    meta: ObjectMeta
    namespaced?: boolean
    want: string
    nameFn?: typeof nameIsDNSLabel
    coreFinalizers?: boolean
  }[] = [
    { name: 'valid namespaced', meta: ok, want: '' },
    { name: 'valid cluster-scoped', meta: { name: 'pv-1' }, namespaced: false, want: '' },
    {
      name: 'no name',
      meta: { namespace: 'default' },
      want: 'metadata.name: Required value: name or generateName is required',
    },
    {
      name: 'generateName only (name not yet generated)',
      meta: { generateName: 'web-', namespace: 'default' },
      want: 'metadata.name: Required value: name or generateName is required',
    },
    { name: 'generateName with trailing dash', meta: { ...ok, generateName: 'web-' }, want: '' },
    {
      name: 'bad generateName',
      meta: { ...ok, generateName: 'Web-' },
      want: `metadata.generateName: Invalid value: "Web-": ${subdomainMsg}`,
    },
    {
      name: 'bad name',
      meta: { ...ok, name: 'Web_0' },
      want: `metadata.name: Invalid value: "Web_0": ${subdomainMsg}`,
    },
    {
      name: 'DNS label names',
      meta: { name: 'a.b' },
      namespaced: false,
      nameFn: nameIsDNSLabel,
      want: 'metadata.name: Invalid value: "a.b": must not contain dots',
    },
    { name: 'namespace required', meta: { name: 'web' }, want: 'metadata.namespace: Required value' },
    {
      name: 'namespace forbidden',
      meta: { name: 'pv', namespace: 'default' },
      namespaced: false,
      want: 'metadata.namespace: Forbidden: not allowed on this type',
    },
    {
      name: 'bad namespace',
      meta: { name: 'web', namespace: 'Prod' },
      want: `metadata.namespace: Invalid value: "Prod": ${labelMsg}`,
    },
    {
      name: 'negative generation',
      meta: { ...ok, generation: -1 },
      want: 'metadata.generation: Invalid value: -1: must be greater than or equal to 0',
    },
    {
      name: 'bad label',
      meta: { ...ok, labels: { 'a b': 'x' } },
      want: `metadata.labels: Invalid value: "a b": ${nameMsg}`,
    },
    { name: 'annotation keys ignore case', meta: { ...ok, annotations: { 'Example.COM/Key': 'v' } }, want: '' },
    {
      name: 'bad annotation key',
      meta: { ...ok, annotations: { 'a b': 'v' } },
      want: `metadata.annotations: Invalid value: "a b": ${nameMsg}`,
    },
    {
      name: 'annotations too large',
      meta: { ...ok, annotations: { a: 'x'.repeat(256 * 1024) } },
      want: 'metadata.annotations: Too long: must have at most 262144 bytes',
    },
    { name: 'annotations at the limit', meta: { ...ok, annotations: { a: 'x'.repeat(256 * 1024 - 1) } }, want: '' },
    {
      name: 'owner reference fields',
      meta: { ...ok, ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '' }] },
      want: '[metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty, metadata.ownerReferences.kind: Invalid value: "": must not be empty, metadata.ownerReferences.name: Invalid value: "": must not be empty, metadata.ownerReferences.uid: Invalid value: "": must not be empty]',
    },
    {
      name: 'two controllers',
      meta: { ...ok, ownerReferences: [owner('a', true), owner('b'), owner('c', true)] },
      want: 'Only one reference can have Controller set to true. Found "true" in references for StatefulSet/a and StatefulSet/c',
    },
    {
      name: 'events cannot own',
      meta: { ...ok, ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' }] },
      want: '/v1, Kind=Event is disallowed from being an owner',
    },
    { name: 'finalizers', meta: { ...ok, finalizers: ['kubernetes.io/pvc-protection', 'orphan'] }, want: '' },
    {
      name: 'bad finalizer',
      meta: { ...ok, finalizers: ['example.com/a b'] },
      want: `metadata.finalizers: Invalid value: "example.com/a b": ${nameMsg}`,
    },
    {
      name: 'unqualified non-standard finalizer on a built-in kind',
      meta: { ...ok, finalizers: ['kubernetes', 'my-finalizer'] },
      want: 'metadata.finalizers[1]: Invalid value: "my-finalizer": name is neither a standard finalizer name nor is it fully qualified',
    },
    {
      name: 'unqualified finalizer allowed for custom resources',
      meta: { ...ok, finalizers: ['my-finalizer'] },
      coreFinalizers: false,
      want: '',
    },
    {
      name: 'orphan and foregroundDeletion conflict',
      meta: { ...ok, finalizers: ['orphan', 'foregroundDeletion'] },
      want: 'metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set',
    },
    {
      name: 'managed fields',
      meta: {
        ...ok,
        managedFields: [{ manager: 'kubectl', operation: 'Patch' as any, fieldsType: 'FieldsV2' as any }],
      },
      want: '[metadata.managedFields[0].operation: Invalid value: "Patch": must be `Apply` or `Update`, metadata.managedFields[0].fieldsType: Invalid value: "FieldsV2": must be `FieldsV1`]',
    },
  ]
  for (const { name, meta, namespaced = true, nameFn, coreFinalizers, want } of table) {
    test(name, () => {
      const got = render(validateObjectMeta(meta, { namespaced, nameFn, coreFinalizers }))
      if (want.startsWith('metadata') || want.startsWith('[') || want === '') assert.equal(got, want)
      else assert.ok(got.includes(want), got)
    })
  }

  test('a custom path root', () => {
    const errs = validateObjectMeta({}, { namespaced: false }, Path.root('spec').child('template', 'metadata'))
    assert.equal(render(errs), 'spec.template.metadata.name: Required value: name or generateName is required')
  })
})

describe('validateObjectMetaUpdate', () => {
  const old: ObjectMeta = {
    name: 'web',
    namespace: 'default',
    uid: 'u1',
    resourceVersion: '7',
    generation: 3,
    creationTimestamp: '2024-01-01T00:00:00Z',
  }
  const table: { name: string; oldMeta?: ObjectMeta; meta: ObjectMeta; want: string }[] = [
    { name: 'unchanged', meta: old, want: '' },
    { name: 'labels may change', meta: { ...old, labels: { a: 'b' } }, want: '' },
    { name: 'generation may grow', meta: { ...old, generation: 4 }, want: '' },
    {
      name: 'name immutable',
      meta: { ...old, name: 'x' },
      want: 'metadata.name: Invalid value: "x": field is immutable',
    },
    {
      name: 'namespace immutable',
      meta: { ...old, namespace: 'other' },
      want: 'metadata.namespace: Invalid value: "other": field is immutable',
    },
    {
      name: 'uid immutable',
      meta: { ...old, uid: 'u2' },
      want: 'metadata.uid: Invalid value: "u2": field is immutable',
    },
    {
      name: 'creationTimestamp immutable',
      meta: { ...old, creationTimestamp: '2025-01-01T00:00:00Z' },
      want: 'metadata.creationTimestamp: Invalid value: "2025-01-01T00:00:00Z": field is immutable',
    },
    {
      name: 'deletionTimestamp cannot be set by update',
      meta: { ...old, deletionTimestamp: '2025-01-01T00:00:00Z' },
      want: 'metadata.deletionTimestamp: Invalid value: "2025-01-01T00:00:00Z": field is immutable',
    },
    {
      name: 'deletionTimestamp cannot be cleared',
      oldMeta: { ...old, deletionTimestamp: '2025-01-01T00:00:00Z' },
      meta: old,
      want: 'metadata.deletionTimestamp: Invalid value: "null": field is immutable',
    },
    {
      name: 'deletionGracePeriodSeconds immutable',
      meta: { ...old, deletionGracePeriodSeconds: 30 },
      want: 'metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable',
    },
    {
      name: 'generation may not decrease',
      meta: { ...old, generation: 2 },
      want: 'metadata.generation: Invalid value: 2: must not be decremented',
    },
    {
      name: 'resourceVersion required',
      meta: { ...old, resourceVersion: undefined },
      want: 'metadata.resourceVersion: Invalid value: "": must be specified for an update',
    },
    {
      name: 'no new finalizers while deleting',
      oldMeta: { ...old, deletionTimestamp: 'T', finalizers: ['x.io/a'] },
      meta: { ...old, deletionTimestamp: 'T', finalizers: ['x.io/a', 'x.io/c', 'orphan'] },
      want: 'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"orphan", "x.io/c"}',
    },
    {
      name: 'finalizers may be removed while deleting',
      oldMeta: { ...old, deletionTimestamp: 'T', finalizers: ['x.io/a', 'x.io/b'] },
      meta: { ...old, deletionTimestamp: 'T', finalizers: ['x.io/b'] },
      want: '',
    },
    {
      name: 'finalizer names checked on update',
      meta: { ...old, finalizers: ['cleanup'] },
      want: 'metadata.finalizers[0]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
    },
    {
      name: 'new metadata still validated',
      meta: { ...old, labels: { a: '-' } },
      want: "metadata.labels: Invalid value: \"-\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    },
  ]
  for (const { name, oldMeta = old, meta, want } of table)
    test(name, () => assert.equal(render(validateObjectMetaUpdate(meta, oldMeta)), want))
})
