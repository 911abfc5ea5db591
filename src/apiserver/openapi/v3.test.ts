import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { JsonSchema } from './components.js'
import { testResources } from './testdata.js'
import { buildOpenApiV3Doc, buildOpenApiV3Root, openApiV3Built, openApiV3Hash } from './v3.js'

type Doc = { paths: Record<string, Record<string, any>>; components: Record<string, Record<string, any>> }
const doc = (gv: string) => buildOpenApiV3Doc(gv, testResources) as unknown as Doc

const groupVersions = [
  'v1',
  'apps/v1',
  'autoscaling/v1',
  'storage.k8s.io/v1',
  'coordination.k8s.io/v1',
  'discovery.k8s.io/v1',
  'events.k8s.io/v1',
  'policy/v1',
]

test('the root lists every served group-version with a hashed URL', () => {
  const root = buildOpenApiV3Root(testResources)
  assert.deepEqual(Object.keys(root.paths), [
    'api/v1',
    'apis/apps/v1',
    'apis/autoscaling/v1',
    'apis/coordination.k8s.io/v1',
    'apis/discovery.k8s.io/v1',
    'apis/events.k8s.io/v1',
    'apis/policy/v1',
    'apis/storage.k8s.io/v1',
  ])
  const apps = openApiV3Built('apps/v1', testResources)
  assert.equal(root.paths['apis/apps/v1']!.serverRelativeURL, `/openapi/v3/apis/apps/v1?hash=${apps.hash}`)
  assert.equal(apps.hash, openApiV3Hash(apps.text))
  assert.match(apps.hash, /^[0-9A-F]{128}$/)
  assert.equal(openApiV3Built('apps/v1', testResources), apps, 'documents are cached')
})

/** Every `$ref` in a value, recursively. */
function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out)
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) k === '$ref' ? out.push(v as string) : refs(v, out)
  return out
}

for (const gv of groupVersions) {
  test(`${gv}: every $ref resolves inside the document`, () => {
    const d = doc(gv)
    for (const ref of refs(d)) {
      const [, section, name] = /^#\/components\/(schemas|parameters)\/(.+)$/.exec(ref) ?? []
      assert.ok(section && d.components[section]![name!], `${gv}: dangling ${ref}`)
    }
  })
}

test('every PATCH operation carries a single-object GVK, fieldValidation and the four patch types', () => {
  let count = 0
  for (const gv of groupVersions) {
    const d = doc(gv)
    for (const [path, item] of Object.entries(d.paths)) {
      const patch = item.patch
      if (!patch) continue
      count++
      const gvk = patch['x-kubernetes-group-version-kind']
      assert.ok(gvk && !Array.isArray(gvk) && typeof gvk.kind === 'string', path)
      assert.equal(patch['x-kubernetes-action'], 'patch')
      const names = patch.parameters.map((p: { name: string; in: string }) => p.in === 'query' && p.name)
      for (const n of ['dryRun', 'fieldManager', 'fieldValidation', 'force'])
        assert.ok(names.includes(n), `${path} ${n}`)
      assert.deepEqual(Object.keys(patch.requestBody.content).sort(), [
        'application/apply-patch+yaml',
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/strategic-merge-patch+json',
      ])
    }
  }
  assert.ok(count > 30, `only ${count} PATCH operations`)
})

test('operation ids and actions follow upstream naming', () => {
  const apps = doc('apps/v1').paths
  const item = apps['/apis/apps/v1/namespaces/{namespace}/statefulsets/{name}']!
  assert.equal(item.patch.operationId, 'patchAppsV1NamespacedStatefulSet')
  assert.deepEqual(item.patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'StatefulSet' })
  assert.equal(item.get.operationId, 'readAppsV1NamespacedStatefulSet')
  assert.equal(item.put.operationId, 'replaceAppsV1NamespacedStatefulSet')
  assert.equal(item.delete.operationId, 'deleteAppsV1NamespacedStatefulSet')
  const coll = apps['/apis/apps/v1/namespaces/{namespace}/statefulsets']!
  assert.equal(coll.get.operationId, 'listAppsV1NamespacedStatefulSet')
  assert.equal(coll.get['x-kubernetes-action'], 'list')
  assert.equal(coll.post.operationId, 'createAppsV1NamespacedStatefulSet')
  assert.equal(coll.delete.operationId, 'deleteAppsV1CollectionNamespacedStatefulSet')
  assert.equal(apps['/apis/apps/v1/statefulsets']!.get.operationId, 'listAppsV1StatefulSetForAllNamespaces')
  const scale = apps['/apis/apps/v1/namespaces/{namespace}/statefulsets/{name}/scale']!
  assert.equal(scale.patch.operationId, 'patchAppsV1NamespacedStatefulSetScale')
  assert.deepEqual(scale.patch['x-kubernetes-group-version-kind'], {
    group: 'autoscaling',
    version: 'v1',
    kind: 'Scale',
  })
  assert.equal(
    apps['/apis/apps/v1/watch/namespaces/{namespace}/statefulsets/{name}']!.get['x-kubernetes-action'],
    'watch',
  )
  const core = doc('v1').paths
  assert.equal(core['/api/v1/persistentvolumes/{name}']!.patch.operationId, 'patchCoreV1PersistentVolume')
  assert.equal(
    core['/api/v1/namespaces/{namespace}/pods/{name}/eviction']!.post.operationId,
    'createCoreV1NamespacedPodEviction',
  )
  assert.equal(core['/api/v1/namespaces/{namespace}/pods/{name}/log']!.get.operationId, 'readCoreV1NamespacedPodLog')
  assert.equal(
    core['/api/v1/namespaces/{namespace}/pods/{name}/exec'],
    undefined,
    'connect subresources are not described',
  )
  const storage = doc('storage.k8s.io/v1').paths
  assert.equal(
    storage['/apis/storage.k8s.io/v1/storageclasses/{name}']!.patch.operationId,
    'patchStorageV1StorageClass',
  )
})

test('kind schemas carry a GVK array; properties carry list extensions and descriptions', () => {
  const schemas = doc('apps/v1').components.schemas!
  const sts: JsonSchema = schemas['io.k8s.api.apps.v1.StatefulSet']
  assert.deepEqual(sts['x-kubernetes-group-version-kind'], [{ group: 'apps', version: 'v1', kind: 'StatefulSet' }])
  assert.deepEqual(schemas['io.k8s.api.apps.v1.StatefulSetList']['x-kubernetes-group-version-kind'], [
    { group: 'apps', version: 'v1', kind: 'StatefulSetList' },
  ])
  const spec = schemas['io.k8s.api.apps.v1.StatefulSetSpec']
  assert.deepEqual(spec.required, ['selector', 'template'])
  assert.deepEqual(spec.properties.template.allOf, [
    { $ref: '#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec' },
  ])
  assert.match(spec.properties.template.description, /pod every ordinal is created from/)
  const partition = schemas['io.k8s.api.apps.v1.RollingUpdateStatefulSetStrategy'].properties.partition
  assert.deepEqual({ type: partition.type, format: partition.format }, { type: 'integer', format: 'int32' })
  const podSpec = schemas['io.k8s.api.core.v1.PodSpec']
  assert.deepEqual(
    {
      key: podSpec.properties.containers['x-kubernetes-patch-merge-key'],
      strategy: podSpec.properties.containers['x-kubernetes-patch-strategy'],
      type: podSpec.properties.containers['x-kubernetes-list-type'],
      keys: podSpec.properties.containers['x-kubernetes-list-map-keys'],
    },
    { key: 'name', strategy: 'merge', type: 'map', keys: ['name'] },
  )
  assert.equal(podSpec.properties.volumes['x-kubernetes-patch-strategy'], 'merge,retainKeys')
  const ports = schemas['io.k8s.api.core.v1.Container'].properties.ports
  assert.deepEqual(ports['x-kubernetes-list-map-keys'], ['containerPort', 'protocol'])
  assert.deepEqual(ports.items.allOf, [{ $ref: '#/components/schemas/io.k8s.api.core.v1.ContainerPort' }])
  const requests = schemas['io.k8s.api.core.v1.ResourceRequirements'].properties.requests
  assert.deepEqual(requests.additionalProperties.allOf, [
    { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' },
  ])
  assert.deepEqual(schemas['io.k8s.apimachinery.pkg.api.resource.Quantity'].oneOf[0], { type: 'string' })
  assert.equal(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']['x-kubernetes-int-or-string'], true)
  assert.equal(
    schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy['x-kubernetes-patch-strategy'],
    'retainKeys',
  )
  assert.deepEqual(schemas['io.k8s.api.autoscaling.v1.Scale']['x-kubernetes-group-version-kind'], [
    { group: 'autoscaling', version: 'v1', kind: 'Scale' },
  ])
})

test('core and events.k8s.io Event schemas are tagged with their own GVK', () => {
  const core = doc('v1').components.schemas!
  assert.deepEqual(core['io.k8s.api.core.v1.Event']['x-kubernetes-group-version-kind'], [
    { group: '', version: 'v1', kind: 'Event' },
  ])
  const events = doc('events.k8s.io/v1').components.schemas!
  assert.deepEqual(events['io.k8s.api.events.v1.Event']['x-kubernetes-group-version-kind'], [
    { group: 'events.k8s.io', version: 'v1', kind: 'Event' },
  ])
  const del = core['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']['x-kubernetes-group-version-kind']
  assert.ok(del.length >= 8 && del.some((g: { group: string }) => g.group === 'apps'))
})
