import assert from 'node:assert/strict'
import { test } from 'node:test'
import structure from '../../api/generated/structure.json' with { type: 'json' }
import { schemaForType } from './index.js'
import { factKey, listFacts, objectPatchStrategies } from './list-types.js'
import type { SchemaNode } from './types.js'

const types = (structure as { types: Record<string, { fields: Record<string, string> }> }).types

function field(type: string, name: string): SchemaNode {
  const f = schemaForType(type)!.fields![name]
  assert.ok(f, `${type}.${name}`)
  return f
}
const core = (t: string) => `io.k8s.api.core.v1.${t}`
const apps = (t: string) => `io.k8s.api.apps.v1.${t}`
const meta = (t: string) => `io.k8s.apimachinery.pkg.apis.meta.v1.${t}`

test('every list field of the structure has list facts, and every fact names a list field', () => {
  const lists = new Set<string>()
  for (const [type, def] of Object.entries(types))
    for (const [name, t] of Object.entries(def.fields)) if (t.startsWith('[]')) lists.add(factKey(type, name))
  const missing = [...lists].filter(k => !(k in listFacts))
  assert.deepEqual(missing, [], 'list fields without facts (add them to list-types.ts)')
  const stray = Object.keys(listFacts).filter(k => !lists.has(k))
  assert.deepEqual(stray, [], 'facts for fields that are not lists')
  const objects = new Set<string>()
  for (const [type, def] of Object.entries(types))
    for (const [name, t] of Object.entries(def.fields)) if (t in types) objects.add(factKey(type, name))
  for (const k of Object.keys(objectPatchStrategies)) assert.ok(objects.has(k), k)
})

test('map lists key on fields that exist in their items', () => {
  for (const [type, def] of Object.entries(types)) {
    for (const name of Object.keys(def.fields)) {
      const f = schemaForType(type)!.fields![name]!
      if (f.kind !== 'list') continue
      for (const key of [...(f.listMapKeys ?? []), ...(f.mergeKey ? [f.mergeKey] : [])])
        assert.ok(f.elem?.fields?.[key], `${type}.${name} keys on missing ${key}`)
    }
  }
})

const spots: [string, string, Partial<SchemaNode>][] = [
  [meta('ObjectMeta'), 'ownerReferences', { listType: 'map', mergeKey: 'uid', patchStrategy: 'merge' }],
  [meta('ObjectMeta'), 'finalizers', { listType: 'set', patchStrategy: 'merge' }],
  [core('PodSpec'), 'containers', { listType: 'map', mergeKey: 'name', listMapKeys: ['name'], patchStrategy: 'merge' }],
  [core('PodSpec'), 'initContainers', { mergeKey: 'name', patchStrategy: 'merge' }],
  [core('PodSpec'), 'ephemeralContainers', { mergeKey: 'name', patchStrategy: 'merge' }],
  [core('PodSpec'), 'volumes', { mergeKey: 'name', patchStrategy: 'merge,retainKeys' }],
  [core('PodSpec'), 'imagePullSecrets', { mergeKey: 'name', patchStrategy: 'merge' }],
  [core('PodSpec'), 'hostAliases', { mergeKey: 'ip', patchStrategy: 'merge' }],
  [core('PodSpec'), 'tolerations', { listType: 'atomic', mergeKey: undefined }],
  [
    core('PodSpec'),
    'topologySpreadConstraints',
    { mergeKey: 'topologyKey', listMapKeys: ['topologyKey', 'whenUnsatisfiable'] },
  ],
  [core('PodSpec'), 'schedulingGates', { mergeKey: 'name', listType: 'map' }],
  [core('PodSpec'), 'resourceClaims', { mergeKey: 'name', patchStrategy: 'merge,retainKeys' }],
  [core('PodSpec'), 'readinessGates', { listType: 'atomic' }],
  [core('Container'), 'ports', { mergeKey: 'containerPort', listMapKeys: ['containerPort', 'protocol'] }],
  [core('Container'), 'env', { mergeKey: 'name', patchStrategy: 'merge' }],
  [core('Container'), 'envFrom', { listType: 'atomic' }],
  [core('Container'), 'volumeMounts', { mergeKey: 'mountPath', patchStrategy: 'merge' }],
  [core('Container'), 'volumeDevices', { mergeKey: 'devicePath' }],
  [core('Container'), 'resizePolicy', { listType: 'atomic' }],
  [core('PodStatus'), 'conditions', { mergeKey: 'type', patchStrategy: 'merge' }],
  [core('PodStatus'), 'podIPs', { mergeKey: 'ip', patchStrategy: 'merge' }],
  [core('PodStatus'), 'containerStatuses', { listType: 'atomic' }],
  [core('ServiceSpec'), 'ports', { mergeKey: 'port', listMapKeys: ['port', 'protocol'] }],
  [core('ServiceSpec'), 'clusterIPs', { listType: 'atomic' }],
  [core('ServiceSpec'), 'ipFamilies', { listType: 'atomic' }],
  [core('NodeSpec'), 'taints', { listType: 'atomic' }],
  [core('NodeSpec'), 'podCIDRs', { listType: 'set', patchStrategy: 'merge' }],
  [core('NodeStatus'), 'addresses', { mergeKey: 'type', patchStrategy: 'merge' }],
  [core('NodeStatus'), 'conditions', { mergeKey: 'type', patchStrategy: 'merge' }],
  [core('PersistentVolumeClaimSpec'), 'accessModes', { listType: 'atomic' }],
  [core('PersistentVolumeSpec'), 'accessModes', { listType: 'atomic' }],
  [core('EndpointSubset'), 'addresses', { listType: 'atomic' }],
  [core('Endpoints'), 'subsets', { listType: 'atomic' }],
  [apps('StatefulSetStatus'), 'conditions', { mergeKey: 'type', listMapKeys: ['type'] }],
  [apps('DeploymentStatus'), 'conditions', { mergeKey: 'type' }],
  [apps('ReplicaSetStatus'), 'conditions', { mergeKey: 'type' }],
  [apps('StatefulSetSpec'), 'volumeClaimTemplates', { listType: 'atomic', mergeKey: undefined }],
  [apps('DeploymentSpec'), 'strategy', { patchStrategy: 'retainKeys' }],
]

for (const [type, name, want] of spots) {
  test(`${type.slice(type.lastIndexOf('.') + 1)}.${name} merges as upstream declares`, () => {
    const f = field(type, name)
    for (const [k, v] of Object.entries(want)) assert.deepEqual(f[k as keyof SchemaNode], v, `${name}.${k}`)
  })
}
