import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { SchemaNode } from '../schema/types.js'
import { isPatchError } from './errors.js'
import { strategicMergePatch } from './strategic-merge.js'
import { liveStatefulSet, statefulSetSchema } from './testdata.js'

const containersOf = (o: any) => o.spec.template.spec.containers

describe('strategicMergePatch: kubectl bodies from kubectl-protocol.md §3.8', () => {
  test('second apply (3-way) sets replicas, image and the last-applied annotation', () => {
    const live = liveStatefulSet()
    const lastApplied = '{"apiVersion":"apps/v1","kind":"StatefulSet"}\n'
    const patch = {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } },
      spec: {
        replicas: 3,
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }],
            containers: [{ image: 'registry.k8s.io/nginx-slim:0.9', name: 'nginx' }],
          },
        },
      },
    }
    const out: any = strategicMergePatch(live, patch, statefulSetSchema)
    assert.equal(out.spec.replicas, 3)
    assert.equal(out.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], lastApplied)
    const expected = structuredClone(containersOf(live))
    expected[0].image = 'registry.k8s.io/nginx-slim:0.9'
    assert.deepEqual(containersOf(out), expected)
    assert.deepEqual(out.status, live.status, 'status untouched')
    assert.equal(JSON.stringify(out).includes('$'), false, 'no directive survives')
  })

  test('set image changes only the image of the named container', () => {
    const live = liveStatefulSet()
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }],
            containers: [{ image: 'nginx:1.10', name: 'nginx' }],
          },
        },
      },
    }
    const out: any = strategicMergePatch(live, patch, statefulSetSchema)
    const expected = liveStatefulSet()
    expected.spec.template.spec.containers[0].image = 'nginx:1.10'
    assert.deepEqual(out, expected)
  })

  test('rollout undo replaces the whole template with the revision data', () => {
    const live = liveStatefulSet()
    live.spec.template.metadata.annotations = { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' }
    const revision = {
      $patch: 'replace',
      metadata: { labels: { app: 'nginx' } },
      spec: {
        containers: [
          { name: 'nginx', image: 'registry.k8s.io/nginx-slim:0.8', ports: [{ containerPort: 80, name: 'web' }] },
        ],
        terminationGracePeriodSeconds: 10,
      },
    }
    const out: any = strategicMergePatch(live, { spec: { template: revision } }, statefulSetSchema)
    const { $patch: _, ...template } = revision
    assert.deepEqual(out.spec.template, template)
    assert.equal(out.spec.replicas, 2, 'siblings of the template are kept')
  })

  test('rollout restart adds the restartedAt annotation to the pod template', () => {
    const live = liveStatefulSet()
    const at = '2025-01-01T00:00:00Z'
    const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } } }
    const out: any = strategicMergePatch(live, patch, statefulSetSchema)
    assert.deepEqual(out.spec.template.metadata, {
      labels: { app: 'nginx' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': at },
    })
    assert.deepEqual(containersOf(out), containersOf(live))
  })

  test('set env adds an env list to the named container, merged by name on repeat', () => {
    const live = liveStatefulSet()
    const body = (env: unknown[]) => ({
      spec: {
        template: {
          spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ env, name: 'nginx' }] },
        },
      },
    })
    const once: any = strategicMergePatch(live, body([{ name: 'A', value: 'B' }]), statefulSetSchema)
    assert.deepEqual(containersOf(once)[0].env, [{ name: 'A', value: 'B' }])
    assert.equal(containersOf(once)[0].image, 'registry.k8s.io/nginx-slim:0.8')
    const twice: any = strategicMergePatch(
      once,
      body([
        { name: 'A', value: 'C' },
        { name: 'D', value: 'E' },
      ]),
      statefulSetSchema,
    )
    assert.deepEqual(containersOf(twice)[0].env, [
      { name: 'A', value: 'C' },
      { name: 'D', value: 'E' },
    ])
  })

  test('inputs are never mutated', () => {
    const live = liveStatefulSet()
    const patch = { spec: { template: { $patch: 'replace', spec: { containers: [{ name: 'x', image: 'y' }] } } } }
    const liveCopy = structuredClone(live)
    const patchCopy = structuredClone(patch)
    strategicMergePatch(live, patch, statefulSetSchema)
    assert.deepEqual(live, liveCopy)
    assert.deepEqual(patch, patchCopy)
  })
})

// A small PodSpec-shaped schema keeps the directive table readable.
const podSpec = (statefulSetSchema.fields!.spec!.fields!.template!.fields!.spec as SchemaNode)!
const c = (name: string, extra: Record<string, unknown> = {}) => ({ name, ...extra })

interface Case {
  name: string
  original: unknown
  patch: unknown
  expect?: unknown
  error?: RegExp
  schema?: SchemaNode | null
}

const cases: Case[] = [
  {
    name: 'maps merge recursively',
    original: { nodeSelector: { a: '1' } },
    patch: { nodeSelector: { b: '2' } },
    expect: { nodeSelector: { a: '1', b: '2' } },
  },
  {
    name: 'null deletes a key',
    original: { nodeSelector: { a: '1', b: '2' } },
    patch: { nodeSelector: { a: null } },
    expect: { nodeSelector: { b: '2' } },
  },
  { name: 'null for an absent key is ignored', original: {}, patch: { dnsPolicy: null }, expect: {} },
  {
    name: 'nulls inside a new map are dropped',
    original: {},
    patch: { nodeSelector: { a: null, b: '2' } },
    expect: { nodeSelector: { b: '2' } },
  },
  {
    name: 'merge list: patch item updates by key, new item goes before later server-only items (upstream order)',
    original: { containers: [c('a', { image: '1' }), c('b')] },
    patch: { containers: [c('a', { image: '2' }), c('n')] },
    expect: { containers: [c('a', { image: '2' }), c('n'), c('b')] },
  },
  {
    name: 'merge list: patch order wins for the items it names, server-only items keep their slots',
    original: { containers: [c('1'), c('2', { image: 'b' }), c('3')] },
    patch: { containers: [c('3', { image: 'c' }), c('1', { image: 'a' })] },
    expect: { containers: [c('2', { image: 'b' }), c('3', { image: 'c' }), c('1', { image: 'a' })] },
  },
  {
    name: '$setElementOrder appends a new container last',
    original: { containers: [c('a'), c('b')] },
    patch: { '$setElementOrder/containers': [c('a'), c('b'), c('n')], containers: [c('n', { image: 'x' })] },
    expect: { containers: [c('a'), c('b'), c('n', { image: 'x' })] },
  },
  {
    name: '$setElementOrder reorders without content changes',
    original: { containers: [c('a'), c('b'), c('c')] },
    patch: { '$setElementOrder/containers': [c('c'), c('a'), c('b')] },
    expect: { containers: [c('c'), c('a'), c('b')] },
  },
  {
    name: '$setElementOrder inconsistent with the patch list is rejected',
    original: { containers: [c('a'), c('b')] },
    patch: { '$setElementOrder/containers': [c('a'), c('b')], containers: [c('b'), c('a')] },
    error: /doesn't match \$setElementOrder list/,
  },
  {
    name: '$patch: delete inside a merge-list item deletes the item',
    original: { containers: [c('a'), c('b')] },
    patch: { containers: [{ name: 'a', $patch: 'delete' }] },
    expect: { containers: [c('b')] },
  },
  {
    name: '$patch: replace as a list item replaces the whole list',
    original: { containers: [c('a'), c('b')] },
    patch: { containers: [{ $patch: 'replace' }, c('z', { image: 'z' })] },
    expect: { containers: [c('z', { image: 'z' })] },
  },
  {
    name: '$patch: replace in a map replaces it with the rest of the patch map',
    original: { nodeSelector: { a: '1' }, dnsPolicy: 'x' },
    patch: { nodeSelector: { $patch: 'replace', b: '2' } },
    expect: { nodeSelector: { b: '2' }, dnsPolicy: 'x' },
  },
  {
    name: '$patch: delete on an existing map empties it (upstream leaves {})',
    original: { nodeSelector: { a: '1' }, dnsPolicy: 'x' },
    patch: { nodeSelector: { $patch: 'delete' } },
    expect: { nodeSelector: {}, dnsPolicy: 'x' },
  },
  {
    name: '$patch: delete on an absent map adds nothing',
    original: {},
    patch: { nodeSelector: { $patch: 'delete' } },
    expect: {},
  },
  {
    name: 'unknown $patch value is rejected',
    original: {},
    patch: { nodeSelector: { $patch: 'merge' } },
    error: /unknown patch type: merge in map/,
  },
  {
    name: '$patch: merge in a list is rejected',
    original: { containers: [] },
    patch: { containers: [{ $patch: 'merge' }] },
    error: /merging lists cannot yet be specified/,
  },
  {
    name: 'merge-list item without the merge key is rejected',
    original: { containers: [c('a')] },
    patch: { containers: [{ image: 'x' }] },
    error: /map: map\[image:x\] does not contain declared merge key: name/,
  },
  {
    name: 'nested merge lists merge by their own keys (ports by containerPort, env by name)',
    original: { containers: [c('a', { ports: [{ containerPort: 80 }], env: [{ name: 'X', value: '1' }] })] },
    patch: { containers: [c('a', { ports: [{ containerPort: 443 }], env: [{ name: 'X', value: '2' }] })] },
    expect: {
      containers: [
        c('a', { ports: [{ containerPort: 443 }, { containerPort: 80 }], env: [{ name: 'X', value: '2' }] }),
      ],
    },
  },
  {
    name: 'atomic lists (tolerations) are replaced',
    original: { tolerations: [{ key: 'a' }, { key: 'b' }] },
    patch: { tolerations: [{ key: 'c' }] },
    expect: { tolerations: [{ key: 'c' }] },
  },
  {
    name: 'lists of primitives without merge strategy (args) are replaced',
    original: { containers: [c('a', { args: ['1', '2'] })] },
    patch: { containers: [c('a', { args: ['3'] })] },
    expect: { containers: [c('a', { args: ['3'] })] },
  },
  {
    name: '$retainKeys keeps only the listed keys',
    original: { volumes: [{ name: 'v', emptyDir: {} }] },
    patch: { volumes: [{ name: 'v', $retainKeys: ['name', 'hostPath'], hostPath: { path: '/x' } }] },
    expect: { volumes: [{ name: 'v', hostPath: { path: '/x' } }] },
  },
  {
    name: '$retainKeys must list every key the patch sets',
    original: { volumes: [{ name: 'v' }] },
    patch: { volumes: [{ name: 'v', $retainKeys: ['name'], hostPath: { path: '/x' } }] },
    error: /invalid patch format of retainKeys/,
  },
  {
    name: 'unknown $-directive is rejected',
    original: {},
    patch: { $frobnicate: 1 },
    error: /unknown patch directive: \$frobnicate/,
  },
  { name: 'a non-object patch is rejected', original: {}, patch: [1], error: /invalid JSON document/ },
  {
    name: 'without a schema lists are replaced',
    schema: null,
    original: { containers: [c('a')] },
    patch: { containers: [c('b')] },
    expect: { containers: [c('b')] },
  },
  {
    name: 'a top-level $patch: replace replaces the document',
    original: { dnsPolicy: 'a', restartPolicy: 'b' },
    patch: { $patch: 'replace', dnsPolicy: 'c' },
    expect: { dnsPolicy: 'c' },
  },
]

// ObjectMeta-level cases (finalizers are a merge set of primitives).
const meta = statefulSetSchema.fields!.metadata!
const metaCases: Case[] = [
  {
    name: 'finalizers union',
    original: { finalizers: ['a', 'b'] },
    patch: { finalizers: ['b', 'c'] },
    expect: { finalizers: ['a', 'b', 'c'] },
  },
  {
    name: '$deleteFromPrimitiveList removes finalizers',
    original: { finalizers: ['a', 'b', 'c'] },
    patch: { '$deleteFromPrimitiveList/finalizers': ['b'] },
    expect: { finalizers: ['a', 'c'] },
  },
  {
    name: '$setElementOrder on a primitive list with deletion (kubectl 2-way shape)',
    original: { finalizers: ['a', 'b', 'c'] },
    patch: {
      '$setElementOrder/finalizers': ['c', 'a', 'd'],
      '$deleteFromPrimitiveList/finalizers': ['b'],
      finalizers: ['d'],
    },
    expect: { finalizers: ['c', 'a', 'd'] },
  },
  {
    name: '$deleteFromPrimitiveList needs a list',
    original: { finalizers: ['a'] },
    patch: { '$deleteFromPrimitiveList/finalizers': 'a' },
    error: /invalid patch format of primitive list/,
  },
  {
    name: 'labels merge, null removes one',
    original: { labels: { a: '1', b: '2' } },
    patch: { labels: { b: null, c: '3' } },
    expect: { labels: { a: '1', c: '3' } },
  },
]

for (const [group, schema, table] of [
  ['PodSpec', podSpec, cases],
  ['ObjectMeta', meta, metaCases],
] as const) {
  describe(`strategicMergePatch directives (${group})`, () => {
    for (const tc of table) {
      test(tc.name, () => {
        const s = tc.schema === null ? undefined : (tc.schema ?? schema)
        if (tc.error) {
          assert.throws(
            () => strategicMergePatch(tc.original, tc.patch, s),
            (e: unknown) => isPatchError(e) && tc.error!.test(e.message),
          )
        } else assert.deepEqual(strategicMergePatch(tc.original, tc.patch, s), tc.expect)
      })
    }
  })
}

test('directive-like keys already stored in the live object are data and survive a patch', () => {
  const revision = {
    data: { spec: { template: { $patch: 'replace', spec: { containers: [] } } } },
    metadata: { name: 'r' },
  }
  const out = strategicMergePatch(revision, { metadata: { labels: { a: 'b' } } })
  assert.deepEqual(out, {
    data: { spec: { template: { $patch: 'replace', spec: { containers: [] } } } },
    metadata: { name: 'r', labels: { a: 'b' } },
  })
})
