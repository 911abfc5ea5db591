#!/usr/bin/env node
// Writes src/api/generated/structure.json: the field structure of every API type petset serves,
// read from the model classes of the devDependency @kubernetes/client-node (each class carries a
// static attributeTypeMap, and its .d.ts marks required properties without `?`).
// Run by hand after upgrading client-node: `node scripts/gen-schema.mjs`. The output is committed
// and never edited by hand; handwritten overlays (list semantics, descriptions) live in
// src/machinery/schema/.
//
// Type strings in the output: string | boolean | integer:int32 | integer:int64 | number:double |
// date-time | quantity | int-or-string | byte | any | []<type> | map[string]<type> | <upstream type name>.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const pkgDir = join(root, 'node_modules', '@kubernetes', 'client-node')
const modelsDir = join(pkgDir, 'dist', 'gen', 'models')
const out = join(root, 'src', 'api', 'generated', 'structure.json')

/** The kinds petset serves and the client-node class of each. */
const kinds = [
  ['', 'v1', 'Namespace', 'V1Namespace'],
  ['', 'v1', 'Node', 'V1Node'],
  ['', 'v1', 'Pod', 'V1Pod'],
  ['', 'v1', 'PodTemplate', 'V1PodTemplate'],
  ['', 'v1', 'Service', 'V1Service'],
  ['', 'v1', 'Endpoints', 'V1Endpoints'],
  ['', 'v1', 'ConfigMap', 'V1ConfigMap'],
  ['', 'v1', 'Secret', 'V1Secret'],
  ['', 'v1', 'ServiceAccount', 'V1ServiceAccount'],
  ['', 'v1', 'PersistentVolume', 'V1PersistentVolume'],
  ['', 'v1', 'PersistentVolumeClaim', 'V1PersistentVolumeClaim'],
  ['', 'v1', 'Event', 'CoreV1Event'],
  ['', 'v1', 'Binding', 'V1Binding'],
  ['apps', 'v1', 'StatefulSet', 'V1StatefulSet'],
  ['apps', 'v1', 'Deployment', 'V1Deployment'],
  ['apps', 'v1', 'ReplicaSet', 'V1ReplicaSet'],
  ['apps', 'v1', 'ControllerRevision', 'V1ControllerRevision'],
  ['autoscaling', 'v1', 'Scale', 'V1Scale'],
  ['storage.k8s.io', 'v1', 'StorageClass', 'V1StorageClass'],
  ['coordination.k8s.io', 'v1', 'Lease', 'V1Lease'],
  ['discovery.k8s.io', 'v1', 'EndpointSlice', 'V1EndpointSlice'],
  ['events.k8s.io', 'v1', 'Event', 'EventsV1Event'],
  ['policy', 'v1', 'Eviction', 'V1Eviction'],
  ['', 'v1', 'DeleteOptions', 'V1DeleteOptions'],
  ['', 'v1', 'Status', 'V1Status'],
  ['meta.k8s.io', 'v1', 'Table', 'V1Table'],
]

const CORE = 'io.k8s.api.core.v1'
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1'
/** client-node class names carry no package; these rules give each class its upstream package. */
const packages = [
  [/^CoreV1/, CORE],
  [/^DiscoveryV1/, 'io.k8s.api.discovery.v1'],
  [/^EventsV1/, 'io.k8s.api.events.v1'],
  [
    /^V1(Condition|DeleteOptions|LabelSelector|LabelSelectorRequirement|ListMeta|ManagedFieldsEntry|ObjectMeta|OwnerReference|Preconditions|Status|StatusCause|StatusDetails|Table|TableColumnDefinition|TableRow|TableRowCondition)$/,
    META,
  ],
  [/^V1(StatefulSet|Deployment|ReplicaSet|DaemonSet|ControllerRevision|RollingUpdate)/, 'io.k8s.api.apps.v1'],
  [/^V1Scale(Spec|Status)?$/, 'io.k8s.api.autoscaling.v1'],
  [/^V1StorageClass$/, 'io.k8s.api.storage.v1'],
  [/^V1Lease(Spec)?$/, 'io.k8s.api.coordination.v1'],
  [/^V1(EndpointSlice|Endpoint|EndpointConditions|EndpointHints|ForNode|ForZone)$/, 'io.k8s.api.discovery.v1'],
  [/^V1Eviction$/, 'io.k8s.api.policy.v1'],
  [/^V1/, CORE],
]

/** Fields client-node types as plain strings that upstream declares as resource.Quantity (or maps of them). */
const quantityFields = new Set([
  'V1ContainerStatus.allocatedResources',
  'V1EmptyDirVolumeSource.sizeLimit',
  'V1NodeAllocatableResourceClaimStatus.resources',
  'V1NodeStatus.allocatable',
  'V1NodeStatus.capacity',
  'V1PersistentVolumeClaimStatus.allocatedResources',
  'V1PersistentVolumeClaimStatus.capacity',
  'V1PersistentVolumeSpec.capacity',
  'V1PodSpec.overhead',
  'V1PodStatus.allocatedResources',
  'V1ResourceFieldSelector.divisor',
  'V1ResourceRequirements.limits',
  'V1ResourceRequirements.requests',
  'V1VolumeResourceRequirements.limits',
  'V1VolumeResourceRequirements.requests',
])

/** meta/v1 Table types, which client-node does not model (facts from apimachinery's meta/v1 types). */
const supplement = {
  V1Table: {
    required: ['columnDefinitions', 'rows'],
    attrs: [
      ['apiVersion', 'string'],
      ['kind', 'string'],
      ['metadata', 'V1ListMeta'],
      ['columnDefinitions', 'Array<V1TableColumnDefinition>'],
      ['rows', 'Array<V1TableRow>'],
    ],
  },
  V1TableColumnDefinition: {
    required: ['name', 'type', 'format', 'description', 'priority'],
    attrs: [
      ['name', 'string'],
      ['type', 'string'],
      ['format', 'string'],
      ['description', 'string'],
      ['priority', 'number', 'int32'],
    ],
  },
  V1TableRow: {
    required: ['cells'],
    attrs: [
      ['cells', 'Array<any>'],
      ['conditions', 'Array<V1TableRowCondition>'],
      ['object', 'any'],
    ],
  },
  V1TableRowCondition: {
    required: ['type', 'status'],
    attrs: [
      ['type', 'string'],
      ['status', 'string'],
      ['reason', 'string'],
      ['message', 'string'],
    ],
  },
}

function upstreamName(cls) {
  const rule = packages.find(([re]) => re.test(cls))
  if (!rule) throw new Error(`no package rule for ${cls}`)
  return `${rule[1]}.${cls.replace(/^(CoreV1|DiscoveryV1|EventsV1|V1)/, '')}`
}

async function loadClass(cls) {
  if (supplement[cls]) {
    const s = supplement[cls]
    return {
      required: s.required,
      attrs: s.attrs.map(([baseName, type, format = '']) => ({ baseName, type, format })),
    }
  }
  const mod = await import(join(modelsDir, `${cls}.js`))
  const dts = readFileSync(join(modelsDir, `${cls}.d.ts`), 'utf8')
  const required = [...dts.matchAll(/^\s+'([A-Za-z0-9$_-]+)': /gm)].map(m => m[1])
  return { required, attrs: mod[cls].attributeTypeMap }
}

/** Translates one client-node type into the compact type string; `refs` collects classes to visit. */
function typeString(owner, attr, type, format, refs) {
  const arr = /^Array<(.+)>$/.exec(type)
  if (arr) return `[]${typeString(owner, attr, arr[1], format, refs)}`
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type)
  if (map) return `map[string]${typeString(owner, attr, map[1], format, refs)}`
  if (quantityFields.has(`${owner}.${attr}`) && type === 'string') return 'quantity'
  switch (type) {
    case 'string':
      return format === 'byte' ? 'byte' : 'string'
    case 'boolean':
      return 'boolean'
    case 'number':
      if (format === 'int32' || format === 'int64') return `integer:${format}`
      return 'number:double'
    case 'Date':
    case 'V1MicroTime':
      return 'date-time'
    case 'IntOrString':
      return 'int-or-string'
    case 'any':
    case 'object':
      return 'any'
  }
  if (!/^[A-Z][A-Za-z0-9]+$/.test(type)) throw new Error(`unexpected type ${type} at ${owner}.${attr}`)
  refs.push(type)
  return upstreamName(type)
}

const types = {}
const queue = kinds.map(k => k[3])
const seen = new Set()
while (queue.length) {
  const cls = queue.shift()
  if (seen.has(cls)) continue
  seen.add(cls)
  const { required, attrs } = await loadClass(cls)
  const fields = {}
  for (const a of attrs) fields[a.baseName] = typeString(cls, a.baseName, a.type, a.format, queue)
  const entry = { fields: sortKeys(fields) }
  if (required.length) entry.required = required
  types[upstreamName(cls)] = entry
}

function sortKeys(o) {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version
const doc = {
  $comment: `Generated by scripts/gen-schema.mjs from @kubernetes/client-node ${version}. Do not edit by hand.`,
  kinds: kinds.map(([group, version, kind, cls]) => ({ group, version, kind, type: upstreamName(cls) })),
  types: sortKeys(types),
}
writeFileSync(out, `${JSON.stringify(doc, null, 1)}\n`)
console.log(`gen-schema: wrote ${Object.keys(types).length} types for ${kinds.length} kinds to ${out}`)
