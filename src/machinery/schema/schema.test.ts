import assert from 'node:assert/strict'
import { test } from 'node:test'
import structure from '../../api/generated/structure.json' with { type: 'json' }
import { describedTypes, docsKey } from './descriptions.js'
import { formatOf, schemaFor, schemaForType, servedKinds, typeNameFor } from './index.js'
import type { SchemaNode } from './types.js'

/** Follows a dotted path of object fields (lists and maps are stepped through). */
function at(root: SchemaNode, path: string): SchemaNode {
  let node = root
  for (const part of path.split('.')) {
    while (node.kind === 'list' || node.kind === 'map') node = node.elem!
    const next = node.fields?.[part]
    assert.ok(next, `no field ${part} in ${node.typeName} (path ${path})`)
    node = next
  }
  return node
}

const rootKinds = [
  ['v1', 'Namespace'],
  ['v1', 'Node'],
  ['v1', 'Pod'],
  ['v1', 'PodTemplate'],
  ['v1', 'Service'],
  ['v1', 'Endpoints'],
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['v1', 'ServiceAccount'],
  ['v1', 'PersistentVolume'],
  ['v1', 'PersistentVolumeClaim'],
  ['v1', 'Event'],
  ['v1', 'Binding'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'ReplicaSet'],
  ['apps/v1', 'ControllerRevision'],
  ['autoscaling/v1', 'Scale'],
  ['storage.k8s.io/v1', 'StorageClass'],
  ['coordination.k8s.io/v1', 'Lease'],
  ['discovery.k8s.io/v1', 'EndpointSlice'],
  ['events.k8s.io/v1', 'Event'],
  ['policy/v1', 'Eviction'],
  ['v1', 'DeleteOptions'],
  ['v1', 'Status'],
  ['meta.k8s.io/v1', 'Table'],
] as const

test('every root kind has a schema with its type name', () => {
  for (const [apiVersion, kind] of rootKinds) {
    const s = schemaFor(apiVersion, kind)
    assert.ok(s, `${apiVersion} ${kind}`)
    assert.equal(s.kind, 'object')
    assert.ok(s.typeName?.endsWith(`.${kind}`), s.typeName)
  }
  assert.equal(servedKinds.length, rootKinds.length)
  assert.equal(schemaFor('apps/v1', 'Nope'), undefined)
  assert.equal(schemaFor('v2', 'Pod'), undefined)
})

test('core and events.k8s.io Events are different types', () => {
  assert.equal(typeNameFor('v1', 'Event'), 'io.k8s.api.core.v1.Event')
  assert.equal(typeNameFor('events.k8s.io/v1', 'Event'), 'io.k8s.api.events.v1.Event')
  assert.ok(schemaFor('events.k8s.io/v1', 'Event')!.fields!.regarding)
  assert.ok(schemaFor('v1', 'Event')!.fields!.involvedObject)
})

test('DeleteOptions is accepted under every group-version, lists are synthesised', () => {
  assert.equal(typeNameFor('apps/v1', 'DeleteOptions'), 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions')
  const list = schemaFor('apps/v1', 'StatefulSetList')!
  assert.equal(list.fields!.items!.elem!.typeName, 'io.k8s.api.apps.v1.StatefulSet')
  assert.equal(list.fields!.metadata!.typeName, 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta')
})

test('scalar kinds: int32, quantity, int-or-string, date-time, byte, any', () => {
  const sts = schemaFor('apps/v1', 'StatefulSet')!
  const partition = at(sts, 'spec.updateStrategy.rollingUpdate.partition')
  assert.equal(partition.scalar, 'integer')
  assert.equal(formatOf(partition), 'int32')
  assert.equal(at(sts, 'spec.updateStrategy.rollingUpdate.maxUnavailable').scalar, 'int-or-string')
  assert.equal(at(sts, 'metadata.creationTimestamp').scalar, 'date-time')
  assert.equal(formatOf(at(sts, 'metadata.generation')), 'int64')
  const requests = at(sts, 'spec.template.spec.containers.resources.requests')
  assert.equal(requests.kind, 'map')
  assert.equal(requests.elem!.scalar, 'quantity')
  assert.equal(at(sts, 'spec.volumeClaimTemplates.spec.resources.requests').elem!.scalar, 'quantity')
  assert.equal(at(schemaFor('v1', 'PersistentVolume')!, 'spec.capacity').elem!.scalar, 'quantity')
  assert.equal(at(schemaFor('v1', 'Node')!, 'status.allocatable').elem!.scalar, 'quantity')
  assert.equal(at(schemaFor('v1', 'Secret')!, 'data').elem!.scalar, 'byte')
  assert.equal(schemaFor('apps/v1', 'ControllerRevision')!.fields!.data!.kind, 'any')
  assert.equal(at(sts, 'metadata.managedFields.fieldsV1').kind, 'any')
  assert.equal(at(schemaFor('events.k8s.io/v1', 'Event')!, 'eventTime').scalar, 'date-time')
})

test('required fields come from the generated structure', () => {
  assert.deepEqual(schemaForType('io.k8s.api.apps.v1.StatefulSetSpec')!.required, ['selector', 'template'])
  assert.deepEqual(schemaForType('io.k8s.api.core.v1.Container')!.required, ['name'])
  assert.deepEqual(schemaForType('io.k8s.api.core.v1.ContainerPort')!.required, ['containerPort'])
})

test('object types are shared nodes, so walking the graph terminates', () => {
  const a = schemaFor('apps/v1', 'StatefulSet')!
  const b = schemaFor('apps/v1', 'StatefulSet')!
  assert.equal(a, b)
  const pod = at(a, 'spec.template.spec')
  assert.equal(pod.fields, schemaForType('io.k8s.api.core.v1.PodSpec')!.fields)
  // A bounded walk over every node reachable from every kind.
  const seen = new Set<object>()
  const visit = (n: SchemaNode): void => {
    const key = n.fields ?? n
    if (seen.has(key)) return
    seen.add(key)
    if (n.elem) visit(n.elem)
    for (const f of Object.values(n.fields ?? {})) visit(f)
  }
  for (const [v, k] of rootKinds) visit(schemaFor(v, k)!)
  assert.ok(seen.size > 200)
})

test('kubectl explain sts.spec.updateStrategy.rollingUpdate.partition has a description of our own', () => {
  const d = at(schemaFor('apps/v1', 'StatefulSet')!, 'spec.updateStrategy.rollingUpdate.partition').description!
  assert.match(d, /ordinal is greater than or equal to this number/)
  assert.match(at(schemaFor('apps/v1', 'StatefulSet')!, 'spec.updateStrategy.type').description!, /OnDelete/)
  assert.deepEqual(at(schemaFor('apps/v1', 'StatefulSet')!, 'spec.updateStrategy.type').enum, [
    'OnDelete',
    'RollingUpdate',
  ])
})

test('every StatefulSet field at every depth is described by hand', () => {
  const types = [
    'StatefulSet',
    'StatefulSetSpec',
    'StatefulSetStatus',
    'StatefulSetUpdateStrategy',
    'RollingUpdateStatefulSetStrategy',
    'StatefulSetOrdinals',
    'StatefulSetPersistentVolumeClaimRetentionPolicy',
    'StatefulSetCondition',
  ]
  for (const t of types) {
    const node = schemaForType(`io.k8s.api.apps.v1.${t}`)!
    for (const [name, field] of Object.entries(node.fields!)) {
      assert.notEqual(field.description, `${name} of this ${t}.`, `${t}.${name} falls back`)
    }
  }
})

test('undescribed fields get the plain fallback; described tables name real types and fields', () => {
  assert.equal(at(schemaFor('v1', 'Pod')!, 'spec.hostUsers').description, 'hostUsers of this PodSpec.')
  const types = (structure as { types: Record<string, { fields: Record<string, string> }> }).types
  const byKey = new Map(Object.keys(types).map(t => [docsKey(t), t]))
  for (const key of describedTypes()) {
    const type = byKey.get(key)
    assert.ok(type, `described type ${key} does not exist`)
    const node = schemaForType(type)!
    for (const [name, f] of Object.entries(node.fields!)) assert.ok(f.description, `${key}.${name}`)
  }
})
